from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from kimportal.admin import ModelAdmin, TabularInline, money_column
from kimportal.concurrency import claim_version

from .models import (
    Application, ApplicationStep, FocusGoal, FundedSlot, FundingRate, GrantDecision, GrantedSlot, Module, PassThrough,
    Programme,
)
from .pass_through_forms import BasePassThroughFormSet
from .pass_throughs import Passing, limit_errors


class ModuleInline(TabularInline):
    model = Module
    fields = ("position", "code", "name")
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ModelAdmin):
    list_display = ("name", "code", "county", "funder", "granting_authority", "starts_on", "ends_on")
    list_filter = ("county", "granting_authority", "ends_on")
    list_select_related = ("county",)
    search_fields = ("name", "code", "funder", "legal_basis")
    autocomplete_fields = ("county",)
    inlines = (ModuleInline,)


class FundedSlotInline(TabularInline):
    model = FundedSlot
    fields = ("code", "name", "basis", "nominal_fte")
    extra = 0


class FundingRateInline(TabularInline):
    model = FundingRate
    fields = ("funded_slot", "kind", "cost_type", "amount", "cap", "max_fte", "valid_from", "valid_until", "source")
    autocomplete_fields = ("funded_slot",)
    extra = 0


@admin.register(Module)
class ModuleAdmin(ModelAdmin):
    list_display = ("name", "code", "programme", "position")
    list_filter = ("programme",)
    list_select_related = ("programme",)
    search_fields = ("name", "code", "programme__name")
    autocomplete_fields = ("programme",)
    inlines = (FundedSlotInline, FundingRateInline)


@admin.register(FundedSlot)
class FundedSlotAdmin(ModelAdmin):
    list_display = ("name", "code", "module", "basis", "nominal_fte")
    list_filter = ("module__programme", "module", "basis")
    list_select_related = ("module",)
    search_fields = ("name", "code", "module__name")
    autocomplete_fields = ("module",)


@admin.register(FundingRate)
class FundingRateAdmin(ModelAdmin):
    list_display = ("module", "funded_slot", "kind", "cost_type", money_column(FundingRate, "amount"),
                    money_column(FundingRate, "cap"), "max_fte", "valid_from", "valid_until", "source")
    list_filter = ("module__programme", "module", "kind", "cost_type", "valid_from", "valid_until")
    list_select_related = ("module", "funded_slot__module")
    search_fields = ("module__name", "module__code", "funded_slot__name", "source")
    autocomplete_fields = ("module", "funded_slot")
    date_hierarchy = "valid_from"


class ApplicationStepInline(TabularInline):
    model = ApplicationStep
    fields = ("kind", "occurred_on", "due_on", "note")
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ModelAdmin):
    list_display = ("title", "reference", "county", "programme", "module")
    list_filter = ("county", "programme", "module")
    list_select_related = ("county", "programme", "module")
    search_fields = ("title", "reference", "programme__name", "module__name")
    autocomplete_fields = ("county", "programme", "module")
    inlines = (ApplicationStepInline,)


@admin.register(ApplicationStep)
class ApplicationStepAdmin(ModelAdmin):
    list_display = ("application", "kind", "occurred_on", "due_on", "note")
    list_filter = ("application__county", "kind", "occurred_on", "due_on")
    list_select_related = ("application",)
    search_fields = ("application__title", "application__reference", "note")
    autocomplete_fields = ("application",)
    date_hierarchy = "due_on"


class GrantedSlotInline(TabularInline):
    model = GrantedSlot
    fields = ("funded_slot", "count", "nominal_fte")
    autocomplete_fields = ("funded_slot",)
    extra = 0


class PassThroughInline(TabularInline):
    """Both levels of a decision's pass-throughs, checked together with the decision (Nr. 12 VV zu § 44 LHO)."""

    model = PassThrough
    formset = BasePassThroughFormSet
    fields = ("recipient", "amount", "parent", "purpose", "contract_signed_on", "proof_of_use_due")
    autocomplete_fields = ("recipient",)
    extra = 0


@admin.register(GrantDecision)
class GrantDecisionAdmin(ModelAdmin):
    list_display = ("__str__", "reference", "county", "programme", "module", "period_start", "period_end",
                    money_column(GrantDecision, "amount"), "pass_through_permitted", "received_on",
                    "proof_of_use_due")
    list_filter = ("county", "programme", "module", "period_start", "pass_through_permitted", "proof_of_use_due")
    list_select_related = ("county", "programme", "module")
    search_fields = ("reference", "authority", "programme__name", "module__name", "note")
    autocomplete_fields = ("county", "programme", "module", "application")
    date_hierarchy = "period_start"
    inlines = (GrantedSlotInline, PassThroughInline)


@admin.register(GrantedSlot)
class GrantedSlotAdmin(ModelAdmin):
    list_display = ("decision", "funded_slot", "count", "nominal_fte", "total_fte")
    list_filter = ("decision__county", "funded_slot__module")
    list_select_related = ("decision__programme", "decision__module", "funded_slot__module")
    search_fields = ("funded_slot__name", "decision__reference", "decision__programme__name")
    autocomplete_fields = ("decision", "funded_slot")


class PassThroughForm(forms.ModelForm):
    """A pass-through edited on its own still keeps its decision's rules, with the decision's other rows."""

    def clean(self):
        cleaned = super().clean()
        decision, recipient = cleaned.get("decision"), cleaned.get("recipient")
        if decision is not None and recipient is not None and not self.errors:
            parent = cleaned.get("parent")
            edited = Passing(key=self.instance.pk or "neu", recipient=recipient.name, amount=cleaned.get("amount"),
                             parent=parent.pk if parent else None, recipient_id=recipient.pk)
            others = [Passing.of(row) for row in decision.pass_throughs.exclude(pk=self.instance.pk)
                      .select_related("recipient")]
            errors = limit_errors(decision.pass_through_limits, [*others, edited])
            if errors:
                raise ValidationError(errors)
        return cleaned


@admin.register(PassThrough)
class PassThroughAdmin(ModelAdmin):
    form = PassThroughForm
    list_display = ("recipient", "decision", money_column(PassThrough, "amount"), "parent", "contract_signed_on",
                    "proof_of_use_due")
    list_filter = ("decision__county", "decision__pass_through_permitted", ("parent", admin.EmptyFieldListFilter),
                   "proof_of_use_due")
    list_select_related = ("recipient", "decision__programme", "decision__module", "parent__recipient",
                           "parent__decision__programme", "parent__decision__module")
    search_fields = ("recipient__name", "purpose", "decision__reference")
    autocomplete_fields = ("decision", "recipient", "parent")

    def save_model(self, request, obj, form, change):
        # A row changed on its own changes its decision: browser editors who loaded the decision notice it.
        claim_version(obj.decision, expected_version=None)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        claim_version(obj.decision, expected_version=None)
        super().delete_model(request, obj)


@admin.register(FocusGoal)
class FocusGoalAdmin(ModelAdmin):
    list_display = ("__str__", "county", "field_of_action", "status", "due_on", "approved_on", "reported_on")
    list_filter = ("county", "field_of_action", "status", "due_on")
    list_select_related = ("county",)
    search_fields = ("title", "text", "measures")
    autocomplete_fields = ("county",)
    date_hierarchy = "due_on"
