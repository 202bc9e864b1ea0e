"""Tables of positions, case-management allocations and partners (django-tables2), exported as CSV and XLSX too."""
from decimal import Decimal

import django_tables2 as tables
from django.db.models import Sum
from django_tables2.utils import A

from kimportal.models import Partner
from kimportal.money import format_fte, format_number
from kimportal.tables import NUM, GermanDateColumn, LeanTable

from .models import DAYS_PER_FTE, CaseManagementAllocation, Position


def _plain(value: Decimal | None) -> Decimal | None:
    """Exports carry the number itself (a spreadsheet cell), without trailing zeros: 0.75, not 0.750."""
    return None if value is None else value.normalize()


class FTEColumn(tables.Column):
    """VZÄ as the papers write them (0,75; 1,0); the footer holds the sum over all filtered rows, not the page."""

    def __init__(self, *args, total: bool = False, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)
        self.total = total

    def render(self, value):
        return format_fte(value)

    def value(self, value):
        return _plain(value)

    def render_footer(self, bound_column, table):
        if not self.total:
            return ""
        total = table.data.data.aggregate(total=Sum(bound_column.accessor.replace(".", "__")))["total"]
        return format_fte(total or Decimal("0"))


class DaysColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_number(value, 1)

    def value(self, value):
        return _plain(value)


class PositionTable(LeanTable):
    title = tables.Column(linkify=("staffing:position_detail", [A("pk")]), footer="Summe")
    position_number = tables.Column()
    holder_name = tables.Column()
    unit = tables.Column()
    module = tables.Column("Baustein", accessor="module__name")
    funded_slot = tables.Column("Förderstelle", accessor="funded_slot__name")
    pay_grade = tables.Column("Entgeltgruppe", accessor="pay_grade__code", order_by=("pay_grade__code",))
    fte = FTEColumn("VZÄ", total=True)
    status = tables.Column()
    start_on = GermanDateColumn()
    fixed_term_until = GermanDateColumn()
    employer = tables.Column("Anstellungsträger", accessor="employer__name", default="Kreis")

    class Meta:
        model = Position
        # VZÄ and its sum first, so they are in view on a laptop; the Baustein names its programme.
        fields = ("title", "fte", "pay_grade", "module", "funded_slot", "unit", "status", "start_on",
                  "fixed_term_until", "employer", "position_number", "holder_name")
        sequence = fields
        empty_text = "Keine Stellen gefunden."
        attrs = {"class": "positions"}


class AllCountiesPositionTable(PositionTable):
    """The administrators' list of every county's positions: the county first; a title opens the Django admin."""

    county = tables.Column("Kreis", accessor="county__name", order_by=("county__name", "title", "pk"))
    title = tables.Column(linkify=("admin:staffing_position_change", [A("pk")]), footer="Summe")

    class Meta(PositionTable.Meta):
        fields = ("county", *PositionTable.Meta.fields)
        sequence = fields


class AllocationTable(LeanTable):
    name = tables.Column(linkify=("staffing:allocation_detail", [A("pk")]))
    module = tables.Column("Baustein", accessor="module__name")
    capacity_fte = FTEColumn()
    capacity_days = tables.Column("Kapazität (Tage pro Woche)", empty_values=(), order_by=("capacity_fte",),
                                  attrs=NUM)
    allocated_days = DaysColumn("verteilt (Tage pro Woche)")
    valid_from = GermanDateColumn()
    valid_until = GermanDateColumn()

    class Meta:
        model = CaseManagementAllocation
        fields = ("name", "module", "capacity_fte", "capacity_days", "allocated_days", "valid_from", "valid_until")
        sequence = fields
        empty_text = "Keine CM-Einsatzplanung vorhanden."

    def render_capacity_days(self, record):
        return format_number(record.capacity_fte * DAYS_PER_FTE, 1)

    def value_capacity_days(self, record):
        return _plain(record.capacity_fte * DAYS_PER_FTE)


class PartnerTable(LeanTable):
    """The county's partners; the counts come annotated (staffing.partner_views.PartnerListView)."""

    name = tables.Column(linkify=("staffing:partner_detail", [A("pk")]))
    kind = tables.Column()
    municipality = tables.Column("Kommune", accessor="municipality__name", default="–")
    employed = tables.Column("Stellen als Anstellungsträger", attrs=NUM)
    received = tables.Column("Weiterleitungen erhalten", attrs=NUM)

    class Meta:
        model = Partner
        fields = ("name", "kind", "municipality", "employed", "received")
        sequence = fields
        empty_text = "Noch keine Partner erfasst."
