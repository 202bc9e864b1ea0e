"""The rollovers in the Django admin (reading and repairs; the page /fortschreibung/ is where they are made)."""
from django.contrib import admin

from kimportal.admin import ModelAdmin, TabularInline

from .models import ExpectedDecision, ExpectedSlot, Rollover, RolloverAppropriation


class RolloverAppropriationInline(TabularInline):
    model = RolloverAppropriation
    raw_id_fields = ("budget_line",)
    extra = 0


class ExpectedSlotInline(TabularInline):
    model = ExpectedSlot
    raw_id_fields = ("funded_slot",)
    extra = 0


@admin.register(Rollover)
class RolloverAdmin(ModelAdmin):
    list_display = ("__str__", "county", "scenario", "applied_at", "applied_by")
    list_select_related = ("county", "scenario", "applied_by")
    list_filter = ("county",)
    raw_id_fields = ("scenario", "applied_by")
    inlines = [RolloverAppropriationInline]


@admin.register(ExpectedDecision)
class ExpectedDecisionAdmin(ModelAdmin):
    list_display = ("__str__", "rollover", "amount", "flag")
    list_select_related = ("rollover", "programme", "module")
    list_filter = ("rollover__county",)
    raw_id_fields = ("rollover", "source", "programme", "module")
    inlines = [ExpectedSlotInline]
