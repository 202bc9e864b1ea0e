"""Actual costs and vacancies in the Django admin (imports are listed and undone on the „Ist-Kosten“ pages)."""
from django.contrib import admin

from kimportal.admin import ModelAdmin, money_column

from .models import ActualCost, Vacancy


@admin.register(ActualCost)
class ActualCostAdmin(ModelAdmin):
    list_display = ("position", "month", "cost_type", money_column(ActualCost, "amount"), "batch")
    list_filter = ("county", "cost_type")
    list_select_related = ("position", "batch")
    raw_id_fields = ("position", "batch")
    date_hierarchy = "month"


@admin.register(Vacancy)
class VacancyAdmin(ModelAdmin):
    list_display = ("position", "start_on", "end_on", "note")
    list_filter = ("county",)
    list_select_related = ("position",)
    raw_id_fields = ("position",)
