"""Task runs in the Django admin: reading what ran, when and how it ended (runs are started by pages and commands)."""
from django.contrib import admin

from .models import TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "kind", "county", "user", "status", "progress", "created_at", "finished_at")
    list_select_related = ("county", "user")
    list_filter = ("status", "kind", "county")
    search_fields = ("title", "message")
    date_hierarchy = "created_at"
    raw_id_fields = ("user",)
    # Runs are started by the pages and manage.py render_all, which also send their task; a row added here is a
    # record only and never runs.
    readonly_fields = ("celery_id", "created_at", "started_at", "finished_at")
