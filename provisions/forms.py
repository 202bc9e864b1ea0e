"""Forms of the value-limits page: the statute, its stages and the kind of spending per programme.

Amounts are typed the German way (5.000 or 5.000,00) in text inputs; the stages are checked together
(provisions.rules.stage_errors) so that nothing is saved from a set with an error.
"""
from __future__ import annotations

from decimal import Decimal

from django import forms

from budgeting.forms import LocalizedModelForm
from kimportal.concurrency import VersionedFormMixin
from kimportal.forms import DecimalInput, GermanDecimalField, german_empty_choices
from programmes.models import Programme

from . import rules
from .choices import ProgrammeKind, SpendingKind
from .models import ProvisionStatute

BODY_LIST = "entscheidende-stellen"
KIND_ORDER = {rules.ALL: 0, rules.VOLUNTARY: 1, rules.MANDATORY: 2}


class StatuteForm(VersionedFormMixin, LocalizedModelForm):
    class Meta:
        model = ProvisionStatute
        fields = ["source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class StageForm(forms.Form):
    spending_kind = forms.ChoiceField(label="Art der Aufwendungen", choices=SpendingKind.choices,
                                      initial=SpendingKind.ALL)
    upper_limit = GermanDecimalField(
        label="bis einschließlich (€)", required=False, max_digits=14, decimal_places=2, currency=True,
        min_value=Decimal("0.01"), widget=DecimalInput(attrs={"class": "num", "placeholder": "leer: darüber"}),
        error_messages={"min_value": "Die Obergrenze muss über 0 € liegen.",
                        "invalid": "Bitte einen Betrag wie 5.000 oder 2.500,00 angeben.",
                        "max_decimal_places": "Bitte höchstens zwei Nachkommastellen (Cent) angeben."})
    body = forms.CharField(label="entscheidet", max_length=120,
                           widget=forms.TextInput(attrs={"list": BODY_LIST, "autocomplete": "off"}),
                           error_messages={"required": "Bitte angeben, wer entscheidet."})
    label = forms.CharField(label="Bezeichnung in der Satzung", max_length=120, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "z. B. unerheblich"}))

    def stage(self) -> rules.Stage:
        data = self.cleaned_data
        return rules.Stage(data["spending_kind"], data.get("upper_limit"), data["body"].strip(),
                           data.get("label", "").strip())


class BaseStageFormSet(forms.BaseFormSet):
    """The stages as entered; the set is refused as a whole where rules.stage_errors finds anything."""

    def filled_forms(self) -> list[StageForm]:
        """The saved stages the page listed (changed or not) and the new rows typed in, less those to remove.

        An unchanged saved stage is still a stage: leaving it out would delete it (a fresh user's trial: saving
        only a new legal basis deleted every stage).
        """
        initial = self.initial_form_count()
        return [form for index, form in enumerate(self.forms)
                if (index < initial or form.has_changed())
                and not (self.can_delete and self._should_delete_form(form))]

    def clean(self):
        super().clean()
        if any(form.errors for form in self.filled_forms()):
            return
        errors = rules.stage_errors([form.stage() for form in self.filled_forms()])
        if errors:
            raise forms.ValidationError(errors)

    def stages(self) -> list[rules.Stage]:
        return [form.stage() for form in self.filled_forms()]


StageFormSet = forms.formset_factory(StageForm, formset=BaseStageFormSet, extra=2, can_delete=True)


def stage_initial(stages) -> list[dict]:
    """Saved stages as the form lists them: both kinds together first, then voluntary, then mandatory; ascending."""
    ordered = sorted(stages, key=lambda stage: (KIND_ORDER[stage.spending_kind], stage.upper_limit is None,
                                                stage.upper_limit or 0))
    return [{"spending_kind": stage.spending_kind, "upper_limit": stage.upper_limit, "body": stage.body,
             "label": stage.label} for stage in ordered]


class ProgrammeKindForm(forms.Form):
    """The kind of one programme's spending; the programme is fixed (a hidden field limited to the county's)."""

    programme = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    spending_kind = forms.ChoiceField(
        label="Art der Aufwendungen", required=False,
        choices=[("", "nicht festgelegt (gilt als freiwillig)"), *ProgrammeKind.choices])
    reason = forms.CharField(label="Begründung", max_length=300, required=False)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        german_empty_choices(self)

    @property
    def programme_name(self) -> str:
        programme = self.initial.get("programme")
        return getattr(programme, "name", "") if programme is not None else ""


ProgrammeKindFormSet = forms.formset_factory(ProgrammeKindForm, extra=0)


def programme_kind_formset(programmes, recorded: dict, data=None):
    """A row per programme the county can have (the Land's and its own), with its recorded kind."""
    programmes = list(programmes)
    initial = [{"programme": programme,
                "spending_kind": recorded[programme.pk].spending_kind if programme.pk in recorded else "",
                "reason": recorded[programme.pk].reason if programme.pk in recorded else ""}
               for programme in programmes]
    queryset = Programme.objects.filter(pk__in=[programme.pk for programme in programmes])
    return ProgrammeKindFormSet(data, prefix="programme", initial=initial, form_kwargs={"programmes": queryset})


def programme_kinds(formset) -> dict[int, tuple[str, str]]:
    return {form.cleaned_data["programme"].pk: (form.cleaned_data["spending_kind"],
                                                form.cleaned_data["reason"].strip())
            for form in formset.forms if form.cleaned_data.get("programme")}
