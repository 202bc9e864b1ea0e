"""Umlagegrundlagen in the Django admin: one row per municipality and fiscal year."""
from django.contrib import admin

from kimportal.admin import ModelAdmin, money_column

from .models import LevyBasis


@admin.register(LevyBasis)
class LevyBasisAdmin(ModelAdmin):
    list_display = ("municipality", "county", "fiscal_year", money_column(LevyBasis, "amount"), "source")
    list_filter = ("fiscal_year", "municipality__county")
    list_select_related = ("municipality__county",)
    search_fields = ("municipality__name", "municipality__county__name", "source")
    autocomplete_fields = ("municipality",)
    ordering = ("municipality__county__name", "-fiscal_year", "municipality__name")

    @admin.display(description="Kreis", ordering="municipality__county__name")
    def county(self, obj):
        return obj.municipality.county
