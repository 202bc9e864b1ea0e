"""Reads of actual costs: the figures per position and month (for the forecast), the lookups an import needs,
the rows of the pages' tables."""
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from kimportal.models import County
from kimportal.money import round_cent
from programmes.choices import CostType
from staffing.models import Position

from .models import ActualCost, ImportBatch
from .parsing import AMBIGUOUS, normalize

# Other ways a file names a cost type (besides its German name and its code).
COST_TYPE_ALIASES = {
    CostType.PERSONNEL: ("PK", "Personal"),
    CostType.MATERIAL: ("SK", "Sachmittel"),
    CostType.EVENTS: ("Veranstaltung",),
    CostType.MEASURES: ("Maßnahme", "Massnahmen"),
}


def actuals_by_position_month(county: County, first: date, last: date) -> dict[int, dict[date, dict[str, Decimal]]]:
    """The county's actual costs from the month of ``first`` to the month of ``last`` (both included).

    Shape: ``{position_id: {first day of month: {cost-type code: euros}}}``; a month without any figure is
    missing (not zero: the forecast takes the plan there), a month recorded as 0,00 € is there. One query.
    """
    start = first.replace(day=1)
    rows = (ActualCost.objects.filter(county=county, month__gte=start, month__lte=last)
            .values_list("position_id", "month", "cost_type", "amount").order_by("position_id", "month", "cost_type"))
    result: dict[int, dict[date, dict[str, Decimal]]] = defaultdict(dict)
    for position_id, month, cost_type, amount in rows:
        result[position_id].setdefault(month, {})[cost_type] = amount
    return dict(result)


def position_numbers(county: County) -> dict[str, int | None]:
    """Normalized Stellennummer → position id of the county's positions that have one; None where several do."""
    found: dict[str, int | None] = {}
    for pk, number in Position.objects.filter(county=county).exclude(position_number="").values_list(
            "pk", "position_number"):
        key = normalize(number)
        found[key] = AMBIGUOUS if key in found else pk
    return found


def position_terms(county: County) -> dict[int, tuple[date, date | None]]:
    """Position id → (start_on, end_on or None) of the county's positions: the months an actual cost may fall in."""
    return {pk: (start, end) for pk, start, end in Position.objects.filter(county=county).values_list(
        "pk", "start_on", "end_on")}


def cost_type_names() -> dict[str, str]:
    """Normalized name → cost-type code: each type's German name first, then its code and abbreviations."""
    names: dict[str, str] = {}
    for code, label in CostType.choices:
        for name in (label, code, *COST_TYPE_ALIASES.get(code, ())):
            names.setdefault(normalize(name), code)
    return names


def imports_for_table(county: County):
    """The county's imports, newest first, with the users named on the list."""
    return ImportBatch.objects.filter(county=county).select_related("user", "undone_by").order_by("-created_at", "-pk")


def month_grid(position: Position, year: int) -> dict[tuple[date, str], ActualCost]:
    """(month, cost type) → ActualCost of ``position`` in ``year``."""
    rows = ActualCost.objects.filter(position=position, month__year=year).select_related("batch", "entered_by")
    return {(row.month, row.cost_type): row for row in rows}


def month_totals(county: County, limit: int | None = None) -> list[dict]:
    """The county's months with actual costs, newest first: ``{"month": date, "positions": int, "total": Decimal}``
    (all positions and cost types); at most ``limit`` months."""
    rows = (ActualCost.objects.filter(county=county).values("month")
            .annotate(total=Sum("amount"), positions=Count("position", distinct=True)).order_by("-month"))
    # SQLite sums a decimal column to 131683.760000000; the cents are what the figures hold.
    return [{**row, "total": round_cent(row["total"])} for row in (rows[:limit] if limit else rows)]


def year_rows(grid: dict[tuple[date, str], ActualCost], year: int) -> list[dict]:
    """Twelve rows ``{"month": date, <cost-type code>: Decimal | None, …, "total": Decimal | None}`` from a
    month_grid: None where there is no figure (the month's total too, when it has none at all)."""
    rows = []
    for number in range(1, 13):
        month = date(year, number, 1)
        row = {"month": month}
        for code, _ in CostType.choices:
            figure = grid.get((month, code))
            row[code] = figure.amount if figure is not None else None
        figures = [row[code] for code, _ in CostType.choices if row[code] is not None]
        row["total"] = sum(figures, Decimal("0")) if figures else None
        rows.append(row)
    return rows


def year_total(rows: list[dict], key: str) -> Decimal | None:
    """The sum of ``key`` over year_rows; None where no row has a figure (shown "–", not 0,00 €)."""
    values = [row[key] for row in rows if row[key] is not None]
    return sum(values, Decimal("0")) if values else None
