from django.contrib import admin

from kimportal.admin import ModelAdmin, TabularInline, money_column

from .models import (
    Appropriation, BudgetLine, CoverageSource, CoverageWindow, Scenario, ScenarioCoverageOverride, ScenarioPositionOverride,
    StatedFigure,
)


class AppropriationInline(TabularInline):
    model = Appropriation
    fields = ("fiscal_year", "amount", "note")
    extra = 0


@admin.register(BudgetLine)
class BudgetLineAdmin(ModelAdmin):
    list_display = ("code", "name", "county")
    list_filter = ("county",)
    list_select_related = ("county",)
    search_fields = ("code", "name")
    autocomplete_fields = ("county",)
    inlines = (AppropriationInline,)


@admin.register(Appropriation)
class AppropriationAdmin(ModelAdmin):
    list_display = ("budget_line", "fiscal_year", money_column(Appropriation, "amount"), "note")
    list_filter = ("budget_line__county", "fiscal_year")
    list_select_related = ("budget_line",)
    search_fields = ("budget_line__code", "budget_line__name", "note")
    autocomplete_fields = ("budget_line",)


class CoverageWindowInline(TabularInline):
    model = CoverageWindow
    fields = ("programme", "module", "usable_until", "note")
    extra = 0


@admin.register(CoverageSource)
class CoverageSourceAdmin(ModelAdmin):
    inlines = (CoverageWindowInline,)
    list_display = ("name", "county", "kind", money_column(CoverageSource, "amount"),
                    money_column(CoverageSource, "balance"), "balance_as_of", "usable_until", "extension_status",
                    "extended_until", "proof_of_use_due")
    list_filter = ("county", "kind", "extension_status", "usable_until")
    list_select_related = ("county",)
    search_fields = ("name", "legal_basis", "note")
    autocomplete_fields = ("county",)
    date_hierarchy = "usable_until"


class ScenarioPositionOverrideInline(TabularInline):
    model = ScenarioPositionOverride
    fields = ("position", "fte", "excluded")
    autocomplete_fields = ("position",)
    extra = 0


class ScenarioCoverageOverrideInline(TabularInline):
    model = ScenarioCoverageOverride
    fields = ("source", "usable_until", "balance")
    autocomplete_fields = ("source",)
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(ModelAdmin):
    list_display = ("name", "county", "position")
    list_filter = ("county",)
    list_select_related = ("county",)
    search_fields = ("name", "description")
    autocomplete_fields = ("county",)
    inlines = (ScenarioPositionOverrideInline, ScenarioCoverageOverrideInline)


@admin.register(ScenarioPositionOverride)
class ScenarioPositionOverrideAdmin(ModelAdmin):
    list_display = ("scenario", "position", "fte", "excluded")
    list_filter = ("scenario__county", "scenario", "excluded")
    list_select_related = ("scenario", "position__pay_grade")
    search_fields = ("scenario__name", "position__title")
    autocomplete_fields = ("scenario", "position")


@admin.register(ScenarioCoverageOverride)
class ScenarioCoverageOverrideAdmin(ModelAdmin):
    list_display = ("scenario", "source", "usable_until", money_column(ScenarioCoverageOverride, "balance"))
    list_filter = ("scenario__county", "scenario")
    list_select_related = ("scenario", "source")
    search_fields = ("scenario__name", "source__name")
    autocomplete_fields = ("scenario", "source")


@admin.register(CoverageWindow)
class CoverageWindowAdmin(ModelAdmin):
    list_display = ("source", "programme", "module", "usable_until", "note")
    list_filter = ("source__county", "programme")
    list_select_related = ("source", "programme", "module")
    search_fields = ("source__name", "programme__name", "module__name", "note")
    autocomplete_fields = ("source",)


@admin.register(StatedFigure)
class StatedFigureAdmin(ModelAdmin):
    list_display = ("block_key", "field", money_column(StatedFigure, "amount"), "period_start", "period_end",
                    "scenario", "county", "source")
    list_filter = ("county", "scenario", "field", "period_start")
    list_select_related = ("county", "scenario")
    search_fields = ("block_key", "source")
    autocomplete_fields = ("county", "scenario")
    date_hierarchy = "period_start"
