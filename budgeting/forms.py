"""Forms of the budgeting pages: localised input (0,75 · 1.234,56 · 31.12.2022), errors in German."""
from __future__ import annotations

import re
from datetime import date

from django import forms
from django.db.models import Q

from budgeting import calculations as calc
from budgeting.models import (
    Appropriation, BudgetLine, CoverageSource, CoverageWindow, Scenario, ScenarioCoverageOverride,
    ScenarioPositionOverride, StatedFigure,
)
from kimportal.concurrency import VersionedFormMixin
from programmes.models import Module, Programme
from kimportal.forms import DecimalInput, WholeNumberInput, german_empty_choices
from staffing.models import Position

DATE_WIDGET = forms.DateInput(format="%d.%m.%Y", attrs={"placeholder": "TT.MM.JJJJ", "inputmode": "numeric"})
MONTH_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),  # <input type="month">
    re.compile(r"^(?P<month>\d{1,2})[./](?P<year>\d{4})$"),  # 12.2021, 12/2021
)


class LocalizedModelForm(forms.ModelForm):
    """Numbers as 1.234,56 and dates as 31.12.2022, in and out; numbers in text inputs, never type="number"."""

    def __init__(self, *args, county=None, **kwargs):
        self.county = county
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = DecimalInput(attrs={"class": "num"})
            elif isinstance(field, forms.IntegerField) and isinstance(field.widget, forms.NumberInput):
                field.widget = WholeNumberInput(attrs={"class": "num"})
            elif isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
        german_empty_choices(self)


# --------------------------------------------------------------------------- own-share page


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """A month as <input type="month"> sends it (2021-12) or as people type it (12.2021) where a browser has none."""

    widget = MonthInput
    default_error_messages = {"invalid": "Bitte einen Monat als MM.JJJJ angeben, z. B. 12.2021."}

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "placeholder": "MM.JJJJ"}

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        for pattern in MONTH_PATTERNS:
            match = pattern.match(value)
            if match:
                year, month = int(match.group("year")), int(match.group("month"))
                if 1 <= month <= 12 and 2000 <= year <= 2100:
                    return date(year, month, 1)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class CalculationForm(forms.Form):
    start = MonthField(label="von (Monat)")
    end = MonthField(label="bis (Monat)")
    scenarios = forms.ModelMultipleChoiceField(
        label="Szenarien", queryset=Scenario.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = Scenario.objects.filter(county=county).order_by("position", "name")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "Der letzte Monat liegt vor dem ersten.")
            elif len(calc.months_between(start, end)) > 120:
                self.add_error("end", "Bitte höchstens zehn Jahre auf einmal berechnen.")
        return cleaned


class StatedFigureForm(LocalizedModelForm):
    """A figure as a paper printed it; the block is one the engine computed for the period."""

    start = MonthField(widget=forms.HiddenInput)
    end = MonthField(widget=forms.HiddenInput)

    class Meta:
        model = StatedFigure
        fields = ["scenario", "block_key", "field", "amount", "source"]
        labels = {"scenario": "gilt für", "amount": "Betrag laut Vorlage (€)"}

    def __init__(self, *args, county, blocks=(), **kwargs):
        super().__init__(*args, county=county, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(county=county).order_by("position", "name")
        self.fields["scenario"].empty_label = "alle Fälle (Planstand und Szenarien)"
        self.fields["block_key"] = forms.ChoiceField(
            label="Block", choices=[("", "---------")] + [(b.key, b.label) for b in blocks]
            + [(calc.ALL_BLOCKS, "Alle Programme (Summe, z. B. Landeszuschüsse laut Vorlage 000)")])
        self.fields["start"].widget = forms.HiddenInput()
        self.fields["end"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError("Der Zeitraum ist ungültig; bitte die Seite neu laden.")
        return cleaned

    def _post_clean(self):
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        self.instance.county = self.county
        if start and end:
            self.instance.period_start, self.instance.period_end = start, calc.month_end(end)
        super()._post_clean()

    def validate_unique(self):
        # A figure for the same block, field, period and case replaces the earlier one (views.stated_figure_save).
        pass


# --------------------------------------------------------------------------- coverage and appropriations


class CoverageSourceForm(VersionedFormMixin, LocalizedModelForm):
    class Meta:
        model = CoverageSource
        fields = ["name", "kind", "legal_basis", "amount", "balance", "balance_as_of", "balance_free_from",
                  "usable_until", "extension_status", "extended_until", "proof_of_use_due", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = CoverageSource.objects.filter(county=self.county, name=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("Deckungsmittel mit diesem Namen gibt es in Ihrem Kreis schon.")
        return name


class CoverageWindowForm(LocalizedModelForm):
    """A deadline for one purpose: a programme (the county's or the Land's), or one module of it."""

    class Meta:
        model = CoverageWindow
        fields = ["programme", "module", "usable_until", "note"]

    def __init__(self, *args, county=None, programmes=None, modules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["module"].queryset = modules
        german_empty_choices(self)

    def clean(self):
        cleaned = super().clean()
        module, programme = cleaned.get("module"), cleaned.get("programme")
        if module and programme and module.programme_id != programme.pk:
            self.add_error("module", "Der Baustein gehört zu einem anderen Programm.")
        return cleaned


class BaseCoverageWindowFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            purpose = (form.cleaned_data.get("programme"), form.cleaned_data.get("module"))
            if purpose[0] is None:
                continue
            if purpose in seen:
                raise forms.ValidationError("Für denselben Zweck ist nur eine Frist möglich.")
            seen.add(purpose)


CoverageWindowFormSet = forms.inlineformset_factory(
    CoverageSource, CoverageWindow, form=CoverageWindowForm, formset=BaseCoverageWindowFormSet, extra=1,
    can_delete=True)


def coverage_window_formset(county, source, data=None):
    """The deadlines by purpose of a coverage source, with the county's and the Land's programmes to choose."""
    programmes = Programme.objects.filter(Q(county=county) | Q(county__isnull=True)).order_by("name")
    modules = Module.objects.filter(programme__in=programmes).select_related("programme").order_by("programme__name",
                                                                                                  "position")
    return CoverageWindowFormSet(
        data, instance=source, prefix="fristen",
        queryset=source.windows.select_related("programme", "module") if source.pk else CoverageWindow.objects.none(),
        form_kwargs={"county": county, "programmes": programmes, "modules": modules})


class AppropriationForm(VersionedFormMixin, LocalizedModelForm):
    class Meta:
        model = Appropriation
        fields = ["budget_line", "fiscal_year", "amount", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(county=self.county).order_by("code")
        self.fields["fiscal_year"].localize = False  # 2022, not 2.022


# --------------------------------------------------------------------------- scenarios


class ScenarioForm(VersionedFormMixin, LocalizedModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Scenario.objects.filter(county=self.county, name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Ein Szenario mit diesem Namen gibt es in Ihrem Kreis schon.")
        return name


class CountyChoicesForm(LocalizedModelForm):
    """An override row whose choice field is limited to the county; the choices are built once per formset."""

    choice_field = ""

    def __init__(self, *args, choices=None, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.choice_field]
        field.queryset = queryset
        if choices is not None:
            field.choices = choices


class PositionOverrideForm(CountyChoicesForm):
    choice_field = "position"

    class Meta:
        model = ScenarioPositionOverride
        fields = ["position", "fte", "excluded"]

    def clean(self):
        cleaned = super().clean()
        fte = cleaned.get("fte")
        if fte is not None and not 0 < fte <= 1:
            self.add_error("fte", "Der Stellenanteil muss größer als 0 und höchstens 1 VZÄ sein.")
        if cleaned.get("position") and fte is None and not cleaned.get("excluded"):
            raise forms.ValidationError("Bitte einen Stellenanteil angeben oder die Stelle ausschließen.")
        return cleaned


class CoverageOverrideForm(CountyChoicesForm):
    choice_field = "source"

    class Meta:
        model = ScenarioCoverageOverride
        fields = ["source", "usable_until", "balance"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("usable_until") is None and cleaned.get("balance") is None:
            raise forms.ValidationError("Bitte ein Datum „verwendbar bis“ oder einen Restbetrag angeben.")
        return cleaned


PositionOverrideFormSet = forms.inlineformset_factory(
    Scenario, ScenarioPositionOverride, form=PositionOverrideForm, extra=2, can_delete=True)
CoverageOverrideFormSet = forms.inlineformset_factory(
    Scenario, ScenarioCoverageOverride, form=CoverageOverrideForm, extra=1, can_delete=True)


def override_formsets(county, scenario, data=None):
    """Both override formsets of a scenario, with choices limited to the county and built once."""
    positions = Position.objects.filter(county=county).select_related("pay_grade").order_by("module__code", "title",
                                                                                               "pk")
    sources = CoverageSource.objects.filter(county=county).order_by("name")

    def choices(queryset):
        return [("", "---------")] + [(obj.pk, str(obj)) for obj in queryset]

    return (
        PositionOverrideFormSet(
            data, instance=scenario, prefix="stellen",
            queryset=scenario.position_overrides.select_related("position") if scenario.pk
            else ScenarioPositionOverride.objects.none(),
            form_kwargs={"county": county, "queryset": positions, "choices": choices(positions)}),
        CoverageOverrideFormSet(
            data, instance=scenario, prefix="deckung",
            queryset=scenario.coverage_overrides.select_related("source") if scenario.pk
            else ScenarioCoverageOverride.objects.none(),
            form_kwargs={"county": county, "queryset": sources, "choices": choices(sources)}),
    )



class DeadlineFilterForm(forms.Form):
    UPCOMING, ALL = "anstehend", "alle"
    zeitraum = forms.ChoiceField(
        label="Anzeigen", required=False, widget=forms.RadioSelect,
        choices=[(UPCOMING, "nur anstehende (und überfällige)"), (ALL, "auch vergangene")])

    def include_past(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("zeitraum") == self.ALL
