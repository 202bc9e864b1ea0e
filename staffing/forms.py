"""Forms of positions and of the case-management allocation; they save through staffing.services."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from budgeting.models import BudgetLine
from kimportal.concurrency import VersionedFormMixin
from kimportal.forms import GermanDecimalField, german_empty_choices
from kimportal.models import Partner
from kimportal.money import format_fte
from programmes.models import FundedSlot

from .filters import module_label, modules_for
from .models import CaseManagementAllocation, Position
from .services import position_create, position_update

HALF_DAY = Decimal("0.5")


class DateInput(forms.DateInput):
    """The browser's date picker; typed German dates (31.12.2022) are accepted as well."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PositionForm(VersionedFormMixin, forms.ModelForm):
    """Create or change a position; ``version`` is the version the user loaded (optimistic locking)."""

    class Meta:
        model = Position
        fields = ["title", "position_number", "holder_name", "unit", "module", "funded_slot", "pay_grade", "fte",
                  "status", "status_since", "start_on", "end_on", "fixed_term_until", "employer", "county_top_up",
                  "allocation", "own_share_budget_line", "note"]
        localized_fields = ["fte"]
        widgets = {
            "fte": forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            "status_since": DateInput, "start_on": DateInput, "end_on": DateInput, "fixed_term_until": DateInput,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"fte": "z. B. 0,75 – größer als 0 und höchstens 1,0"}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        if self.instance.pk:
            self.initial["fte"] = format_fte(self.instance.fte)
        else:
            self.instance.county = county
        modules = modules_for(county)
        self.fields["module"].queryset = modules
        self.fields["module"].label_from_instance = module_label
        self.fields["funded_slot"].queryset = (FundedSlot.objects.filter(module__in=modules.values("pk"))
                                               .select_related("module").order_by("module__code", "name"))
        self.fields["employer"].queryset = Partner.objects.filter(county=county).order_by("name")
        self.fields["employer"].empty_label = "Kreis (eigene Anstellung)"
        self.fields["allocation"].queryset = CaseManagementAllocation.objects.filter(county=county).order_by(
            "-valid_from")
        self.fields["own_share_budget_line"].queryset = BudgetLine.objects.filter(county=county).order_by("code")
        german_empty_choices(self)

    def save(self, commit=True):
        """Write through the service, which checks the version; raises ConflictError on a lost update."""
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.instance.pk:
            self.instance = position_update(position=self.instance, expected_version=self.cleaned_data["version"],
                                            **fields)
        else:
            self.instance = position_create(county=self.county, **fields)
        return self.instance


class DaysInput(forms.TextInput):
    """Days per week as German text (1,5): a number input would follow the browser's locale and silently drop
    letters, leaving an empty field behind (issue 9, §6); the server parses and checks every value."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "size": 5, "class": "num",
                          "data-days": "", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format_fte(value)  # 2,0 · 1,5 · 0,0
        return super().format_value(value)


DAYS_ERRORS = {
    "required": "Bitte die Tage angeben – 0, wenn die Kommune keine erhält.",
    "invalid": "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5.",
    "max_digits": "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5.",
    "max_decimal_places": "Bitte in halben Tagen angeben (0,5; 1; 1,5 …).",
    "max_whole_digits": "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5.",
}


class AllocationShareForm(forms.Form):
    """One municipality's row of the allocation page; every row needs its days (an empty field is not 0)."""

    municipality = forms.IntegerField(widget=forms.HiddenInput)
    days = GermanDecimalField(label="Tage pro Woche", min_value=Decimal("0"), max_digits=5, decimal_places=2,
                              example="1,5", widget=DaysInput, error_messages=DAYS_ERRORS)
    no_demand = forms.BooleanField(label="kein Bedarf", required=False,
                                   widget=forms.CheckboxInput(attrs={"data-no-demand": ""}))
    special_arrangement = forms.CharField(label="Sonderregelung", max_length=200, required=False,
                                          widget=forms.TextInput(attrs={"size": 28}))

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days % HALF_DAY:
            raise ValidationError("Bitte in halben Tagen angeben (0,5; 1; 1,5 …).")
        return days

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_demand") and cleaned.get("days"):
            self.add_error("days", "Eine Kommune ohne Bedarf erhält keine Tage.")
        return cleaned


class BaseAllocationShareFormSet(forms.BaseFormSet):
    """All municipalities of the county, each exactly once (a tampered row list is refused)."""

    def __init__(self, *args, municipalities, **kwargs):
        self.municipalities = {m.pk: m for m in municipalities}
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        ids = [form.cleaned_data["municipality"] for form in self.forms]
        if sorted(ids) != sorted(self.municipalities):
            raise ValidationError("Die Liste der Kommunen ist nicht mehr aktuell. Bitte laden Sie die Seite neu.")

    def shares(self) -> dict[int, dict]:
        """municipality id -> field values, as staffing.services.allocation_update takes them."""
        return {form.cleaned_data["municipality"]: {
            "days": form.cleaned_data["days"], "no_demand": form.cleaned_data["no_demand"],
            "special_arrangement": form.cleaned_data["special_arrangement"]} for form in self.forms}


AllocationShareFormSet = forms.formset_factory(AllocationShareForm, formset=BaseAllocationShareFormSet, extra=0,
                                               max_num=1000, validate_max=True)


class AllocationVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
