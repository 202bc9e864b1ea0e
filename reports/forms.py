from django import forms

from budgeting import calculations as calc
from budgeting.forms import LocalizedModelForm, MonthField
from budgeting.models import Scenario
from kimportal.concurrency import VersionedFormMixin
from kimportal.forms import WholeNumberInput

from .models import ReportSetup
from .registry import FISCAL_YEAR, PERIOD, SCENARIO, ReportParams

FIELDS_OF = {PERIOD: ("start", "end"), SCENARIO: ("scenario",), FISCAL_YEAR: ("fiscal_year",)}
MAX_MONTHS = 120


class ReportParamsForm(forms.Form):
    """The parameters of one report, from the preview's query string or the command line.

    Empty parameters take the report's defaults; wrong ones give German messages.
    """

    start = MonthField(label="von (Monat)", required=False)
    end = MonthField(label="bis (Monat)", required=False)
    scenario = forms.CharField(label="Szenario", required=False, max_length=120)
    fiscal_year = forms.IntegerField(
        label="Haushaltsjahr", required=False, min_value=2000, max_value=2100, widget=WholeNumberInput,
        error_messages={"invalid": "Bitte das Haushaltsjahr als Zahl angeben, z. B. 2022.",
                        "min_value": "Bitte ein Haushaltsjahr zwischen 2000 und 2100 angeben.",
                        "max_value": "Bitte ein Haushaltsjahr zwischen 2000 und 2100 angeben."})

    def __init__(self, data=None, *, county, report):
        super().__init__(data)
        self.county, self.report = county, report
        wanted = {name for parameter in report.parameters for name in FIELDS_OF[parameter]}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "scenario" in self.fields:
            self.scenario_names = list(Scenario.objects.filter(county=county).order_by("position", "name")
                                       .values_list("name", flat=True))
            self.fields["scenario"].widget = forms.Select(
                choices=[("", "Planstand und alle Szenarien")] + [(name, name) for name in self.scenario_names])

    def clean_scenario(self):
        name = (self.cleaned_data.get("scenario") or "").strip()
        if name and name not in self.scenario_names:
            known = "; ".join(self.scenario_names) or "keine"
            raise forms.ValidationError(f"Unbekanntes Szenario „{name}“ (bekannt: {known}).")
        return name or None

    def clean(self):
        cleaned = super().clean()
        if "start" in self.fields and not self.errors:
            start, end = cleaned.get("start"), cleaned.get("end")
            if bool(start) != bool(end):
                raise forms.ValidationError("Bitte ersten und letzten Monat angeben – oder keinen von beiden.")
            if start and end < start:
                self.add_error("end", "Der letzte Monat liegt vor dem ersten.")
            elif start and len(calc.months_between(start, end)) > MAX_MONTHS:
                self.add_error("end", "Bitte höchstens zehn Jahre auf einmal.")
        return cleaned

    def params(self) -> ReportParams:
        """The validated parameters, with the report's defaults where none were given."""
        defaults = self.report.default_params(self.county)
        cleaned = self.cleaned_data
        return ReportParams(
            start=cleaned.get("start") or defaults.start,
            end=cleaned.get("end") or defaults.end,
            scenario=cleaned.get("scenario") or None,
            fiscal_year=cleaned.get("fiscal_year") or defaults.fiscal_year,
        )

    def error_text(self, names: dict[str, str] | None = None) -> str:
        """All errors in one line, each named by ``names`` (e.g. command-line options) or the field's label."""
        parts = []
        for name, errors in self.errors.items():
            label = (names or {}).get(name) or (self.fields[name].label if name in self.fields else "")
            parts.extend(f"{label}: {error}" if label else error for error in errors)
        return " ".join(parts)


class ReportSetupForm(VersionedFormMixin, LocalizedModelForm):
    class Meta:
        model = ReportSetup
        fields = ["paper_number", "paper_date", "paper_kind", "committee", "meeting_date", "subject",
                  "preliminary_remarks", "explanations", "coverage_text", "resolution", "signatory"]
        widgets = {
            "preliminary_remarks": forms.Textarea(attrs={"rows": 8}),
            "explanations": forms.Textarea(attrs={"rows": 12}),
            "coverage_text": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }
