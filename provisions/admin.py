"""The value limits in the Django admin, for administrators without a county; checked as on the page."""
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from kimportal.admin import ModelAdmin, TabularInline

from . import rules
from .models import ProgrammeSpendingKind, ProvisionStage, ProvisionStatute
from .services import stages_replace


class StageInlineFormSet(BaseInlineFormSet):
    """The stages are valid only together (rules.stage_errors); saved by the service, never half."""

    def kept_forms(self):
        return [form for form in self.forms
                if (form.has_changed() or form.instance.pk) and not self._should_delete_form(form)]

    def rule_stages(self) -> list[rules.Stage]:
        return [rules.Stage(form.cleaned_data["spending_kind"], form.cleaned_data.get("upper_limit"),
                            form.cleaned_data["body"].strip(), form.cleaned_data.get("label", "").strip())
                for form in self.kept_forms()]

    def validate_unique(self):
        # Limits may swap between rows in one save; the set is checked as a whole in clean().
        pass

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        errors = rules.stage_errors(self.rule_stages(), entered_order=False)
        if errors:
            raise ValidationError(errors)


class ProvisionStageInline(TabularInline):
    """Stages are valid only as a set, so they are edited with their statute and have no admin of their own."""

    model = ProvisionStage
    formset = StageInlineFormSet
    fields = ("spending_kind", "upper_limit", "body", "label")
    extra = 1


@admin.register(ProvisionStatute)
class ProvisionStatuteAdmin(ModelAdmin):
    list_display = ("county", "source")
    list_select_related = ("county",)
    search_fields = ("county__name", "source")
    inlines = (ProvisionStageInline,)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, StageInlineFormSet):
            changes = stages_replace(statute=form.instance, stages=formset.rule_stages())
            # What the admin's change message and log read from a saved formset.
            formset.new_objects, formset.deleted_objects = changes.added, changes.deleted
            formset.changed_objects = [(row, ["body", "label"]) for row in changes.changed]
        else:
            super().save_formset(request, form, formset, change)


@admin.register(ProgrammeSpendingKind)
class ProgrammeSpendingKindAdmin(ModelAdmin):
    list_display = ("county", "programme", "spending_kind", "reason")
    list_filter = ("county", "spending_kind")
    list_select_related = ("county", "programme")
    search_fields = ("county__name", "programme__name", "reason")
    autocomplete_fields = ("county",)
