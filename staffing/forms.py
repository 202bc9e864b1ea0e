"""Forms of positions and of the case-management allocation; they save through staffing.services."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from budgeting.models import BudgetLine
from kimportal.concurrency import VersionedFormMixin
from kimportal.forms import GermanDecimalField, german_empty_choices
from kimportal.models import County, Partner
from kimportal.terms import KREIS_TERMS, UnitTerms, county_unit_terms
from kimportal.money import format_fte
from programmes.models import FundedSlot

from .filters import module_label, modules_for
from .models import CaseManagementAllocation, OwnShareSplit, Position
from .services import position_create, position_update
from .splits import SplitRow, split_errors

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
        self.fields["fte"].max_value = Decimal("1")  # "1.000" is then read as nothing but 1,000 (kimportal.numbers)
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
    """One municipality's row of the allocation page; every row needs its days (an empty field is not 0).

    ``terms`` (kimportal.terms.UnitTerms): the words the messages use for the unit – a Kreis's Kommune, a
    city's Stadtbezirk or Dienststelle; a Kreis's by default.
    """

    municipality = forms.IntegerField(widget=forms.HiddenInput)
    days = GermanDecimalField(label="Tage pro Woche", min_value=Decimal("0"), max_digits=5, decimal_places=2,
                              example="1,5", widget=DaysInput, error_messages=DAYS_ERRORS)
    no_demand = forms.BooleanField(label="kein Bedarf", required=False,
                                   widget=forms.CheckboxInput(attrs={"data-no-demand": ""}))
    special_arrangement = forms.CharField(label="Sonderregelung", max_length=200, required=False,
                                          widget=forms.TextInput(attrs={"size": 28}))

    def __init__(self, *args, terms: UnitTerms = KREIS_TERMS, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = terms
        self.fields["days"].error_messages["required"] = (
            f"Bitte die Tage angeben – 0, wenn {terms.definite} keine erhält.")

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days % HALF_DAY:
            raise ValidationError("Bitte in halben Tagen angeben (0,5; 1; 1,5 …).")
        return days

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_demand") and cleaned.get("days"):
            self.add_error("days", f"{self.terms.indefinite_capitalised} ohne Bedarf erhält keine Tage.")
        return cleaned


class BaseAllocationShareFormSet(forms.BaseFormSet):
    """All municipalities of the county, each exactly once (a tampered row list is refused)."""

    def __init__(self, *args, municipalities, terms: UnitTerms = KREIS_TERMS, **kwargs):
        self.municipalities = {m.pk: m for m in municipalities}
        self.terms = terms
        super().__init__(*args, form_kwargs={"terms": terms}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        ids = [form.cleaned_data["municipality"] for form in self.forms]
        if sorted(ids) != sorted(self.municipalities):
            raise ValidationError(f"Die Liste der {self.terms.plural} ist nicht mehr aktuell. "
                                  "Bitte laden Sie die Seite neu.")

    def shares(self) -> dict[int, dict]:
        """municipality id -> field values, as staffing.services.allocation_update takes them."""
        return {form.cleaned_data["municipality"]: {
            "days": form.cleaned_data["days"], "no_demand": form.cleaned_data["no_demand"],
            "special_arrangement": form.cleaned_data["special_arrangement"]} for form in self.forms}


AllocationShareFormSet = forms.formset_factory(AllocationShareForm, formset=BaseAllocationShareFormSet, extra=0,
                                               max_num=1000, validate_max=True)


class AllocationVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- the own share of a post employed for several municipalities (staffing.splits) ---------------


class OwnShareSplitForm(forms.ModelForm):
    """One municipality's part of the employer's own share: days, a share in %, and/or an amount a year."""

    class Meta:
        model = OwnShareSplit
        fields = ["partner", "days", "percent", "annual_amount", "agreement"]
        widgets = {"agreement": forms.TextInput(attrs={"size": 28})}

    def __init__(self, *args, county=None, terms: UnitTerms = KREIS_TERMS, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:
            self.fields["partner"].queryset = Partner.objects.filter(county=county).order_by("name")
        self.fields["partner"].label = f"{terms.singular} / Partner"  # a city's: "Stadtbezirk / Partner"
        for name in ("days", "percent", "annual_amount"):
            self.fields[name].widget.attrs.update({"class": "num", "size": 8})
        for field in self.fields.values():
            field.help_text = ""  # the formset's hint explains the columns once; a row has no room for help text
        german_empty_choices(self)


class BaseOwnShareSplitFormSet(forms.BaseInlineFormSet):
    """The rows together follow staffing.splits.split_errors for the position as the form has it now
    (its employer and FTE): the page's form is validated first, so ``instance`` carries the new values."""

    def validate_unique(self):
        """Duplicates are named by split_errors ("Gemeinde Nottuln steht mehrfach in der Aufteilung."), not by
        Django's generic message with the field's English name; the database constraint stays the last guard."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("partner"):
                continue
            partner = data["partner"]
            rows.append(SplitRow(partner.name, days=data.get("days"), percent=data.get("percent"),
                                 annual_amount=data.get("annual_amount"), party_id=partner.pk))
        position = self.instance
        employer = position.employer if position.employer_id else None
        fte = position.fte if isinstance(position.fte, Decimal) else None
        errors = split_errors(fte=fte, employer=employer.name if employer else None,
                              employer_id=employer.pk if employer else None, rows=rows)
        if errors:
            raise ValidationError(errors)


OwnShareSplitFormSet = forms.inlineformset_factory(
    Position, OwnShareSplit, form=OwnShareSplitForm, formset=BaseOwnShareSplitFormSet, extra=1, can_delete=True)


def own_share_split_formset(county, position, data=None):
    """The municipalities sharing the position's own share, with the county's partners to choose."""
    return OwnShareSplitFormSet(
        data, instance=position, prefix="aufteilung",
        queryset=(position.own_share_splits.select_related("partner") if position.pk
                  else OwnShareSplit.objects.none()),
        form_kwargs={"county": county, "terms": county_unit_terms(county)})


class PartnerForm(forms.ModelForm):
    """Create or change a partner of the user's county (Anstellungsträger, Empfänger einer Weiterleitung):
    a town, a welfare organisation. The name is unique in the county, whatever its capitalisation."""

    class Meta:
        model = Partner
        fields = ["name", "kind", "municipality"]
        help_texts = {
            "name": "z. B. „Stadt Musterstadt“ oder „Caritasverband … e.V.“",
            "municipality": "Bei einer Kommune als Partner: welche Kommune des Kreises.",
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        self.instance.county = county
        if county.kind == County.Kind.KREISFREIE_STADT:
            # A city's units are its districts or offices, not municipalities a partner could be.
            del self.fields["municipality"]
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices
                                           if c[0] != Partner.Kind.MUNICIPALITY]
        else:
            self.fields["municipality"].queryset = county.municipalities.order_by("name")
        german_empty_choices(self)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Partner.objects.filter(county=self.county, name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Einen Partner „%(name)s“ gibt es in Ihrem Kreis schon.",
                                  code="duplicate", params={"name": others.first().name})
        return name
