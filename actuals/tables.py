"""Tables of the actual-cost pages (django-tables2): the imports, the months, one position's year.

Each is shown on its page or exported as CSV and XLSX (kimportal.views.TableExportMixin). Cells render with
``format()`` (no template per cell); exports carry typed values: a Decimal for euros, a date for a month,
a naive local datetime for a time (openpyxl refuses aware ones), empty where there is no figure.
"""
from datetime import date

import django_tables2 as tables
from django.utils import timezone
from django_tables2.utils import A

from kimportal.money import format_money
from programmes.choices import CostType

from .models import ImportBatch

NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}
NONE = "–"  # a cell without a figure (not 0,00 €: nothing was recorded)


class MoneyColumn(tables.Column):
    """Euros with cents on the page (18.076,28 €, 19.000,00 €); the Decimal itself in exports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        kwargs.setdefault("default", NONE)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_money(value, 2)

    def value(self, value):
        return value


class MonthColumn(tables.Column):
    """A month as 01.2022 on the page; its first day (a date cell) in exports."""

    def render(self, value):
        return f"{value:%m.%Y}"

    def value(self, value):
        return value


class DateTimeColumn(tables.Column):
    """Local time as 01.07.2022 14:05 on the page; a naive local datetime in exports."""

    def render(self, value):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"

    def value(self, value):
        return timezone.localtime(value).replace(tzinfo=None)


def month_range(months: list[date]) -> str:
    """"01.2022 – 06.2022", "01.2022" or "" for the months of an import."""
    if not months:
        return ""
    first, last = min(months), max(months)
    return f"{first:%m.%Y}" if first == last else f"{first:%m.%Y} – {last:%m.%Y}"


class ImportBatchTable(tables.Table):
    """The county's imports, newest first: who, when, which file, rows, months, total, whether undone."""

    pk = tables.Column("Nr.", linkify=("actuals:import_detail", [A("pk")]))
    created_at = DateTimeColumn("eingelesen am")
    imported_by = tables.Column("von", accessor="imported_by", orderable=False)
    file_name = tables.Column("Datei")
    rows = tables.Column("Zeilen", attrs=NUM)
    months = tables.Column("Monate", accessor="totals", orderable=False)
    total = MoneyColumn("Summe", accessor="total", orderable=False)
    status = tables.Column("Stand", accessor="undone_at", empty_values=())

    class Meta:
        model = ImportBatch
        fields = ("pk", "created_at", "imported_by", "file_name", "rows", "months", "total", "status")
        sequence = fields
        empty_text = "Noch keine Ist-Kosten eingelesen."
        attrs = {"class": "table"}

    def render_months(self, record):
        return month_range([month for month, _ in record.totals_by_month()])

    def value_months(self, record):
        return self.render_months(record)

    def render_status(self, record):
        if record.undone_at is None:
            return "gültig"
        return f"rückgängig gemacht am {timezone.localtime(record.undone_at):%d.%m.%Y %H:%M} " \
               f"von {record.undone_by_name}"

    def value_status(self, record):
        return self.render_status(record)


class MonthTotalsTable(tables.Table):
    """Actual costs per month over all positions and cost types; rows are dicts (actuals.selectors.month_totals)."""

    month = MonthColumn("Monat")
    positions = tables.Column("Stellen", attrs=NUM)
    total = MoneyColumn("Ist-Kosten")

    class Meta:
        orderable = False
        empty_text = "Noch keine Ist-Kosten erfasst."
        attrs = {"class": "compact"}


class PositionYearTable(tables.Table):
    """One position's year: a row per month, a column per cost type and the month's sum; "–" (empty in
    exports) where there is no figure. Rows are dicts (actuals.selectors.year_rows)."""

    month = MonthColumn("Monat")
    total = MoneyColumn("Summe")

    class Meta:
        orderable = False
        attrs = {"class": "compact"}

    def __init__(self, data, **kwargs):
        codes = [code for code, _ in CostType.choices]
        extra = [(code, MoneyColumn(label)) for code, label in CostType.choices]
        super().__init__(data, extra_columns=extra, sequence=("month", *codes, "total"), **kwargs)

