"""Forms of the programmes app: localised (31.12.2022, 1.234,56), choices limited to the user's county."""
from django import forms
from django.db.models import Q

from kimportal.concurrency import VersionedFormMixin
from kimportal.forms import german_empty_choices
from kimportal.models import Partner

from .models import (Application, ApplicationStep, FocusGoal, FundedSlot, GrantDecision, GrantedSlot, Module,
                     PassThrough, Programme)
from .pass_through_forms import BasePassThroughFormSet


def visible_programmes(county):
    """The Land's reference programmes and the county's own."""
    return Programme.objects.filter(Q(county__isnull=True) | Q(county=county))


def visible_modules(county):
    return Module.objects.filter(Q(programme__county__isnull=True) | Q(programme__county=county)).select_related(
        "programme")


class DateInput(forms.DateInput):
    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%d.%m.%Y")
        kwargs.setdefault("attrs", {"placeholder": "TT.MM.JJJJ", "inputmode": "numeric"})
        super().__init__(**kwargs)


class CountyModelForm(forms.ModelForm):
    """Takes the user's county, sets it on new records and limits the choices to it."""

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        if county is not None and "county" in {f.name for f in self._meta.model._meta.fields}:
            if self.instance._state.adding and not self.instance.county_id:
                # Set before validation so the model's same-county checks see it.
                self.instance.county = county
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            elif isinstance(field, forms.IntegerField) and isinstance(field.widget, forms.TextInput):
                # Localized numbers are text inputs (never type="number", which drops letters); give phones
                # the right keypad.
                field.widget.attrs.setdefault(
                    "inputmode", "decimal" if isinstance(field, forms.DecimalField) else "numeric")
        self.limit_choices(county)
        german_empty_choices(self)

    def limit_choices(self, county):
        pass

    def check_order(self, cleaned, first, last, message):
        start, end = cleaned.get(first), cleaned.get(last)
        if start and end and end < start:
            self.add_error(last, message)


class ProgrammeForm(VersionedFormMixin, CountyModelForm):
    class Meta:
        model = Programme
        fields = ["name", "code", "funder", "granting_authority", "legal_basis", "starts_on", "ends_on",
                  "description"]
        localized_fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        self.check_order(cleaned, "starts_on", "ends_on", "Das Ende darf nicht vor dem Beginn liegen.")
        return cleaned


class ModuleChoicesMixin:
    """Programme and module of the Land or the county; the module must belong to the programme."""

    def limit_choices(self, county):
        self.fields["programme"].queryset = visible_programmes(county)
        self.fields["module"].queryset = visible_modules(county)

    def clean(self):
        cleaned = super().clean()
        programme, module = cleaned.get("programme"), cleaned.get("module")
        if programme and module and module.programme_id != programme.pk:
            self.add_error("module", "Der Baustein gehört zu einem anderen Programm.")
        return cleaned


class ApplicationForm(VersionedFormMixin, ModuleChoicesMixin, CountyModelForm):
    class Meta:
        model = Application
        fields = ["programme", "module", "title", "reference", "note"]
        localized_fields = "__all__"


class ApplicationStepForm(CountyModelForm):
    class Meta:
        model = ApplicationStep
        fields = ["kind", "occurred_on", "due_on", "note"]
        localized_fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("occurred_on") and not cleaned.get("due_on") and not self.has_error("occurred_on") \
                and not self.has_error("due_on"):
            self.add_error("occurred_on", "Bitte ein Datum angeben (erledigt am oder fällig am).")
        return cleaned


class GrantDecisionForm(VersionedFormMixin, ModuleChoicesMixin, CountyModelForm):
    class Meta:
        model = GrantDecision
        fields = ["programme", "module", "application", "reference", "authority", "issued_on", "expected",
                  "received_on", "period_start", "period_end", "amount", "pass_through_permitted",
                  "second_level_permitted", "proof_of_use_due", "note"]
        localized_fields = "__all__"

    def limit_choices(self, county):
        super().limit_choices(county)
        self.fields["application"].queryset = Application.objects.filter(county=county).order_by("title")

    def clean(self):
        cleaned = super().clean()
        self.check_order(cleaned, "period_start", "period_end",
                         "Das Ende des Zeitraums darf nicht vor dem Beginn liegen.")
        if cleaned.get("issued_on"):
            cleaned["expected"] = False  # the date of the letter makes it a real decision (GrantDecision.save)
        return cleaned


class GrantedSlotForm(CountyModelForm):
    class Meta:
        model = GrantedSlot
        fields = ["funded_slot", "count", "nominal_fte"]
        localized_fields = "__all__"

    def limit_choices(self, county):
        self.fields["funded_slot"].queryset = FundedSlot.objects.filter(
            Q(module__programme__county__isnull=True) | Q(module__programme__county=county)).select_related("module")


class PassThroughForm(CountyModelForm):
    class Meta:
        model = PassThrough
        fields = ["recipient", "amount", "parent", "purpose", "contract_signed_on", "proof_of_use_due"]
        localized_fields = "__all__"
        help_texts = {"parent": ""}  # the page explains the levels below the rows

    def limit_choices(self, county):
        # The choices of "über Erstempfänger" are the decision's first level: BasePassThroughFormSet.add_fields.
        self.fields["recipient"].queryset = Partner.objects.filter(county=county).order_by("name")


GrantedSlotFormSet = forms.inlineformset_factory(GrantDecision, GrantedSlot, form=GrantedSlotForm, extra=1,
                                                 can_delete=True)
PassThroughFormSet = forms.inlineformset_factory(GrantDecision, PassThrough, form=PassThroughForm,
                                                 formset=BasePassThroughFormSet, extra=1, can_delete=True)


class FocusGoalForm(VersionedFormMixin, CountyModelForm):
    class Meta:
        model = FocusGoal
        fields = ["field_of_action", "number", "title", "text", "measures", "starts_on", "due_on", "approved_on",
                  "approved_by", "reported_on", "status"]
        localized_fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        self.check_order(cleaned, "starts_on", "due_on", "Das Fälligkeitsdatum darf nicht vor dem Beginn liegen.")
        return cleaned
