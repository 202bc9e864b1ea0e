"""Forms of the actual-cost pages: the upload, the column mapping for other layouts, the month grid."""
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms

from kimportal.forms import REQUIRED_EMPTY, GermanDecimalField
from programmes.choices import CostType

from .parsing import COST_TYPE, FIELD_LABELS, FIELDS, month_problem, suggest_columns

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FIXED = "fixed:"  # a mapping choice for Kostenart: no column, every row has this cost type


class UploadForm(forms.Form):
    file = forms.FileField(label="Datei (.csv oder .xlsx)",
                           help_text="Spalten Stellennummer;Monat;Kostenart;Betrag, z. B. "
                                     "KI-B1-01;01.2022;Personalkosten;5.123,45 – andere Spalten lassen sich danach "
                                     "zuordnen.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError("Bitte eine CSV-Datei (.csv) oder eine XLSX-Datei (.xlsx) hochladen.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Die Datei ist größer als 10 MB.")
        return upload


class MappingForm(forms.Form):
    """Which column of the file holds which field; Kostenart may instead be one cost type for every row.

    Each field starts with the column whose header looks like it (actuals.parsing.suggest_columns:
    "Ist-Betrag" → Betrag, "Buchungsmonat" → Monat, "Stelle" → Stellennummer; "Kostenstelle" → nothing).
    ``mapping()`` gives the importer's dict header → field, ``fixed_cost_type()`` the code or None.
    """

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = [h for h in headers if h]
        columns = [(str(i), header) for i, header in enumerate(headers) if header]
        suggested = suggest_columns(headers)
        for name in FIELDS:
            choices = [("", REQUIRED_EMPTY), *columns]
            if name == COST_TYPE:
                choices += [(f"{FIXED}{code}", f"keine Spalte: alle Zeilen {label}") for code, label in CostType.choices]
            self.fields[name] = forms.ChoiceField(label=FIELD_LABELS[name], choices=choices,
                                                  initial=str(suggested[name]) if name in suggested else "")

    def clean(self):
        data = super().clean()
        used = [data[name] for name in FIELDS if data.get(name) and not data[name].startswith(FIXED)]
        if len(used) != len(set(used)):
            raise forms.ValidationError("Jede Spalte der Datei bitte nur einem Feld zuordnen.")
        return data

    def mapping(self, headers: list[str]) -> dict[str, str]:
        return {headers[int(self.cleaned_data[name])]: name for name in FIELDS
                if not self.cleaned_data[name].startswith(FIXED)}

    def fixed_cost_type(self) -> str | None:
        value = self.cleaned_data[COST_TYPE]
        return value.removeprefix(FIXED) if value.startswith(FIXED) else None


def cell_name(month: date, cost_type: str) -> str:
    return f"m{month:%m}_{cost_type}"


class MonthGridForm(forms.Form):
    """A year of one position's actual costs: one money field per month and cost type; empty means none.

    ``loaded`` (hidden) carries the figures the page showed, so a save after someone else's change is refused
    instead of overwriting it (actuals.services.actual_costs_update).
    """

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, year: int, current: dict, term=None, last_month: date | None = None, **kwargs):
        """``term``: the position's (start_on, end_on or None); ``last_month``: the current month's first day. A
        figure entered or changed for a month after ``last_month`` or outside ``term`` is refused (the same rule as
        the import, actuals.parsing.month_problem); figures already stored there may stay."""
        self.year = year
        self.term, self.last_month = term, last_month
        self.months = [date(year, month, 1) for month in range(1, 13)]
        self.cost_types = list(CostType.choices)
        initial = {cell_name(m, c): current[(m, c)].amount for m in self.months for c, _ in self.cost_types
                   if (m, c) in current}
        initial["loaded"] = json.dumps({key: str(value) for key, value in initial.items()})
        super().__init__(*args, initial=initial, **kwargs)
        for month in self.months:
            for code, label in self.cost_types:
                self.fields[cell_name(month, code)] = GermanDecimalField(
                    label=f"{label} {month:%m.%Y}", required=False, currency=True, max_digits=14, decimal_places=2,
                    min_value=Decimal("0"), example="5.123,45",
                    error_messages={"min_value": "Der Betrag darf nicht negativ sein."})

    def clean(self):
        data = super().clean()
        loaded = self.loaded_values()
        for month in self.months:
            problem = month_problem(month, self.term, self.last_month)
            if problem is None:
                continue
            for code, _ in self.cost_types:
                name = cell_name(month, code)
                value = data.get(name)
                if value is not None and value != loaded[(month, code)]:
                    self.add_error(name, problem)
        return data

    def rows(self):
        """(month, [bound field per cost type]) for the template."""
        return [(month, [self[cell_name(month, code)] for code, _ in self.cost_types]) for month in self.months]

    def values(self) -> dict[tuple[date, str], Decimal | None]:
        return {(m, c): self.cleaned_data.get(cell_name(m, c)) for m in self.months for c, _ in self.cost_types}

    def loaded_values(self) -> dict[tuple[date, str], Decimal | None]:
        try:
            raw = json.loads(getattr(self, "cleaned_data", {}).get("loaded") or "{}")
            by_name = {key: Decimal(value) for key, value in raw.items()}
        except (ValueError, TypeError, InvalidOperation):
            by_name = {}
        return {(m, c): by_name.get(cell_name(m, c)) for m in self.months for c, _ in self.cost_types}
