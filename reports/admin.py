from django.contrib import admin

from kimportal.admin import ModelAdmin

from .models import IssuedReport, ReportSetup


@admin.register(ReportSetup)
class ReportSetupAdmin(ModelAdmin):
    list_display = ("report", "county", "paper_number", "committee", "meeting_date", "subject")
    list_filter = ("county", "report", "paper_kind")
    list_select_related = ("county",)
    search_fields = ("report", "paper_number", "subject", "committee")
    autocomplete_fields = ("county",)


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Issued papers are records: they can be looked at and deleted, never changed."""

    list_display = ("paper_number", "title", "county", "report", "committee", "meeting_date", "issued_at",
                    "issued_by", "page_count")
    list_filter = ("county", "report")
    list_select_related = ("county", "issued_by")
    search_fields = ("paper_number", "title", "committee")
    date_hierarchy = "issued_at"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    def has_change_permission(self, request, obj=None):
        return False
