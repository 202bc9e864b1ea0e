from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db.models import Sum

from kimportal.admin import ModelAdmin, TabularInline, money_column
from kimportal.money import format_number

from .models import (
    AllocationShare, CaseManagementAllocation, CooperationAgreement, CostSplit, OwnShareSplit, PayGrade, Position,
    WorkplaceCost,
)
from .forms import BaseOwnShareSplitFormSet
from .services import check_capacity


class WorkplaceCostInline(TabularInline):
    model = WorkplaceCost
    fields = ("year", "annual", "source")
    extra = 0


@admin.register(PayGrade)
class PayGradeAdmin(ModelAdmin):
    list_display = ("code", "agreement", "name")
    list_filter = ("agreement",)
    search_fields = ("code", "name")
    inlines = (WorkplaceCostInline,)


@admin.register(WorkplaceCost)
class WorkplaceCostAdmin(ModelAdmin):
    list_display = ("pay_grade", "year", money_column(WorkplaceCost, "annual"), "source")
    list_filter = ("pay_grade", "year")
    list_select_related = ("pay_grade",)
    search_fields = ("pay_grade__code", "source")


class AllocationShareFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.instance.capacity_fte:
            check_capacity(capacity_fte=self.instance.capacity_fte,
                           total_days=sum((data.get("days") or Decimal("0") for data in kept), Decimal("0")))


class AllocationShareInline(TabularInline):
    model = AllocationShare
    formset = AllocationShareFormSet
    fields = ("municipality", "days", "no_demand", "special_arrangement", "handed_over_to")
    autocomplete_fields = ("municipality", "handed_over_to")
    extra = 0


@admin.register(CaseManagementAllocation)
class CaseManagementAllocationAdmin(ModelAdmin):
    list_display = ("name", "code", "county", "module", "capacity_fte", "allocated", "valid_from", "valid_until")
    list_filter = ("county", "module", "valid_from", "valid_until")
    list_select_related = ("county", "module")
    search_fields = ("name", "code", "county__name")
    autocomplete_fields = ("county", "module")
    date_hierarchy = "valid_from"
    inlines = (AllocationShareInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(allocated_days_total=Sum("shares__days"))

    @admin.display(description="verteilte Tage", ordering="allocated_days_total")
    def allocated(self, obj):
        return f"{format_number(obj.allocated_days_total or 0, 2)} / {format_number(obj.capacity_days, 2)}"


class AllocationShareForm(forms.ModelForm):
    """A share edited on its own still keeps its allocation within capacity."""

    def clean(self):
        cleaned = super().clean()
        allocation, days = cleaned.get("allocation"), cleaned.get("days")
        if allocation and days is not None:
            others = allocation.shares.exclude(pk=self.instance.pk).aggregate(total=Sum("days"))["total"]
            check_capacity(capacity_fte=allocation.capacity_fte, total_days=(others or Decimal("0")) + days)
        return cleaned


@admin.register(AllocationShare)
class AllocationShareAdmin(ModelAdmin):
    form = AllocationShareForm
    list_display = ("municipality", "allocation", "days", "fte", "no_demand", "special_arrangement", "handed_over_to")
    list_filter = ("allocation__county", "allocation", "no_demand")
    list_select_related = ("municipality", "allocation", "handed_over_to")
    search_fields = ("municipality__name", "allocation__name", "special_arrangement", "handed_over_to__name")
    autocomplete_fields = ("allocation", "municipality", "handed_over_to")


class CostSplitInline(TabularInline):
    model = CostSplit
    fields = ("item", "borne_by", "annual_per_fte")
    extra = 0


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(ModelAdmin):
    list_display = ("__str__", "county", "municipality", "allocation", "signed_on", "valid_from", "valid_until")
    list_filter = ("county", "valid_from", "valid_until")
    list_select_related = ("county", "municipality", "allocation")
    search_fields = ("municipality__name", "note")
    autocomplete_fields = ("county", "municipality", "allocation")
    date_hierarchy = "valid_from"
    inlines = (CostSplitInline,)


@admin.register(CostSplit)
class CostSplitAdmin(ModelAdmin):
    list_display = ("agreement", "item", "borne_by", money_column(CostSplit, "annual_per_fte"))
    list_filter = ("agreement__county", "item", "borne_by")
    list_select_related = ("agreement__municipality",)
    search_fields = ("agreement__municipality__name",)
    autocomplete_fields = ("agreement",)


class OwnShareSplitInline(TabularInline):
    """The municipalities sharing the own share, checked together like the position page (staffing.splits)."""

    model = OwnShareSplit
    formset = BaseOwnShareSplitFormSet
    fields = ("partner", "days", "percent", "annual_amount", "agreement")
    autocomplete_fields = ("partner",)
    extra = 0


@admin.register(OwnShareSplit)
class OwnShareSplitAdmin(ModelAdmin):
    list_display = ("position", "partner", "days", "percent", "annual_amount", "agreement")
    list_select_related = ("position__pay_grade", "partner")
    list_filter = ("position__county",)
    search_fields = ("position__title", "partner__name", "agreement")
    autocomplete_fields = ("position", "partner")


@admin.register(Position)
class PositionAdmin(ModelAdmin):
    list_display = ("title", "position_number", "county", "module", "funded_slot", "pay_grade", "fte", "status",
                    "start_on", "end_on", "fixed_term_until", "employer")
    list_filter = ("county", "module__programme", "module", "status", "pay_grade", "start_on", "fixed_term_until")
    list_select_related = ("county", "module", "funded_slot__module", "pay_grade", "employer")
    search_fields = ("title", "position_number", "holder_name", "unit", "note")
    autocomplete_fields = ("county", "module", "funded_slot", "pay_grade", "employer", "allocation",
                           "own_share_budget_line")
    date_hierarchy = "start_on"
    inlines = (OwnShareSplitInline,)
