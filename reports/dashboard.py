"""The dashboard of one county for one period: its choice of years, its assembly and its four charts.

The dashboard page and the PDF reports call the same functions, so a figure on
the screen and in a paper is one computation:

- ``dashboard(county, start, end, *, today=None, deadline_limit=6, comparison=None) -> Dashboard``
  everything at once; ``start`` and ``end`` are months as the engine takes them (any day of the first and of the
  last month). ``comparison``: a paper's own (own_share_comparison), so its chart shows the blocks its tables do.
- ``dashboard_charts(board) -> DashboardCharts``: the four charts (SVG and table).
- ``fiscal_year_period(year) -> (start, end)``: January to December of a year.
- ``fiscal_years(county, today) -> FiscalYears``: the years to choose from and the default one.

The figures themselves (staffing, own share, allocation, coverage) are reports.dashboard_figures; every function
there runs a fixed number of queries, whatever the number of positions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from budgeting import calculations as calc
from budgeting.models import Appropriation
from kimportal.deadlines import Deadline, upcoming_deadlines
from kimportal.terms import KREIS_TERMS, UnitTerms, county_unit_terms
from programmes.models import GrantDecision
from reports import charts
from reports.dashboard_figures import (
    AllocationDays, CoverageBalance, CoverageStatus, ForecastFigures, ModuleStaffing, OwnShareFigures,
    allocation_days, coverage_balance, coverage_status, figures_of, next_expiry, own_share_and_forecast,
    staffing_by_module,
)
from staffing.models import CaseManagementAllocation, Position

ZERO = calc.ZERO


def fiscal_year_period(year: int) -> tuple[date, date]:
    """A fiscal year (calendar year) as the engine's months: first days of January and December."""
    return date(year, 1, 1), date(year, 12, 1)


def period_label(start: date, end: date) -> str:
    """ "2022" for a calendar year, otherwise "12/2021–12/2022"."""
    if start.month == 1 and end.month == 12 and start.year == end.year:
        return str(start.year)
    return f"{calc.month_label(start)}–{calc.month_label(end)}"


# --------------------------------------------------------------------------- fiscal years


def _planned_range(county) -> tuple[int, int] | None:
    """First and last year the county has planned something for.

    A position counts until its end or its fixed-term end; a permanent position
    only in the year it starts, so an open-ended post does not make every
    later year look planned.
    """
    ranges = [
        Appropriation.objects.filter(budget_line__county=county).aggregate(
            first=Min("fiscal_year"), last=Max("fiscal_year")),
        GrantDecision.objects.filter(county=county).aggregate(first=Min("period_start"), last=Max("period_end")),
        CaseManagementAllocation.objects.filter(county=county).aggregate(
            first=Min("valid_from"), last=Max(Coalesce("valid_until", "valid_from"))),
        Position.objects.filter(county=county).aggregate(
            first=Min("start_on"), last=Max(Coalesce("end_on", "fixed_term_until", "start_on"))),
    ]
    years = [(r["first"], r["last"]) for r in ranges if r["first"] is not None]
    if not years:
        return None

    def year(value):
        return value if isinstance(value, int) else value.year

    return min(year(first) for first, _ in years), max(year(last) for _, last in years)


@dataclass(frozen=True)
class FiscalYears:
    """The years to choose from, newest first, and the one shown when none is chosen."""

    years: tuple[int, ...]
    default: int


def fiscal_years(county, today: date) -> FiscalYears:
    """The planned years and the current one; by default the current year if the county has
    planned for it, else the latest planned year before it (the demo data's 2022)."""
    planned = _planned_range(county)
    if planned is None:
        return FiscalYears((today.year,), today.year)
    first, last = planned
    if first <= today.year <= last:
        default = today.year
    else:
        default = last if last < today.year else first
    return FiscalYears(tuple(sorted(set(range(first, last + 1)) | {today.year}, reverse=True)), default)


# --------------------------------------------------------------------------- the whole dashboard


@dataclass(frozen=True)
class Dashboard:
    """All key figures of one county for one period.

    ``own_share`` is None when the engine cannot compute (``calculation_error``
    says why, in German). ``deadlines`` are the next ones from ``today`` on,
    overdue tasks first. ``unit_terms``: the words for the allocation units
    (Kommunen; a kreisfreie Stadt's Stadtbezirke or Dienststellen).
    ``forecast``: the base case's forecast (Hochrechnung) with its budget-line
    warnings, computed with the own share (None where a paper hands in its own
    comparison or the engine cannot compute).
    """

    county: str
    start: date
    end: date
    today: date
    staffing: tuple[ModuleStaffing, ...]
    own_share: OwnShareFigures | None
    calculation_error: str
    allocation: AllocationDays | None
    coverage: tuple[CoverageStatus, ...]
    coverage_balance: CoverageBalance
    deadlines: tuple[Deadline, ...] = field(default=())
    unit_terms: UnitTerms = KREIS_TERMS
    forecast: ForecastFigures | None = None

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    @property
    def next_expiry(self) -> CoverageStatus | None:
        return next_expiry(list(self.coverage))

    @property
    def funded_fte(self) -> Decimal | None:
        """Funded FTE of the modules where they are known; None if they are known for none (no decision, no
        allocation of a module without application): the page then says what is filled, not "von 0,0"."""
        known = [row.funded_fte for row in self.staffing if row.funded_fte is not None]
        return sum(known, ZERO) if known else None

    @property
    def funded_unknown(self) -> tuple[ModuleStaffing, ...]:
        """The modules with positions but nothing known to be funded (no decision recorded)."""
        return tuple(row for row in self.staffing if row.funded_fte is None)

    @property
    def funded_sources(self) -> str:
        """Where the funded FTE come from, for the tile's hint: "laut Bescheid", an allocation, or both."""
        sources = {"laut Bescheid" if row.funded_source.startswith("Bescheid") else row.funded_source
                   for row in self.staffing if row.funded_fte is not None}
        return "; ".join(sorted(sources, key=lambda text: (text != "laut Bescheid", text)))

    @property
    def planned_fte(self) -> Decimal:
        return sum((row.planned_fte for row in self.staffing), ZERO)

    @property
    def filled_fte(self) -> Decimal:
        return sum((row.filled_fte for row in self.staffing), ZERO)


def dashboard(county, start: date, end: date, *, today: date | None = None, deadline_limit: int = 6,
              comparison: calc.Comparison | None = None) -> Dashboard:
    """The dashboard's figures for the months from ``start`` to ``end`` (e.g. fiscal_year_period(2022)).

    ``comparison``: the own shares a paper computed for the same period (the KIM paper's, without the programmes'
    lump sums); its chart then shows the blocks the paper's tables show, and no forecast is computed. Without it the
    dashboard computes every programme of the county (issue 11) and, from the same engine run, the base case's
    forecast (issue 12 §2).
    """
    today = today or timezone.localdate()
    start, end = calc.month_start(start), calc.month_start(end)
    loaded: dict = {}
    forecast = None
    if comparison is not None:
        figures, error = figures_of(comparison), ""
    else:
        try:
            (figures, forecast), error = own_share_and_forecast(county, start, end, loaded), ""
        except calc.CalculationError as exc:
            figures, error = None, str(exc)
    sources = coverage_status(county, today)
    return Dashboard(
        county=county.name,
        start=start,
        end=end,
        today=today,
        staffing=tuple(staffing_by_module(county, start, end)),
        own_share=figures,
        calculation_error=error,
        allocation=allocation_days(county, start, end),
        coverage=tuple(sources),
        coverage_balance=coverage_balance(county, start, end, sources, loaded),
        deadlines=tuple(upcoming_deadlines(county, today, include_past=False)[:deadline_limit]),
        unit_terms=county_unit_terms(county),
        forecast=forecast,
    )


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class DashboardCharts:
    own_share: charts.Chart
    allocation: charts.Chart
    staffing: charts.Chart
    coverage: charts.Chart

    def __iter__(self):
        return iter((self.own_share, self.staffing, self.allocation, self.coverage))


COVERED_COLOR = "#7fb8d4"
UNCOVERED_COLOR = "#a4161a"


def own_share_chart(board: Dashboard, chart_id: str = "eigenanteil") -> charts.Chart:
    """Own share per module, split into what is covered and what is not (the risk of the base case)."""
    title = f"Eigenanteil je Baustein {board.period}"
    modules = board.own_share.modules if board.own_share else ()
    categories = [m.name for m in modules]
    series = [
        charts.Series("gedeckt", tuple(m.covered for m in modules), COVERED_COLOR),
        charts.Series("ungedeckt", tuple(m.uncovered for m in modules), UNCOVERED_COLOR),
    ]
    description = ("Eigenanteil des Planstands je Baustein, aufgeteilt in den Teil, den Haushaltsansätze oder "
                   "Deckungsmittel tragen, und den ungedeckten Teil.")
    svg = charts.bar_chart(categories, series, chart_id=chart_id, title=title, description=description,
                           stacked=True)
    table = charts.bar_table(categories, [*series, charts.Series("Eigenanteil", tuple(m.own_share for m in modules))],
                             caption=title, category_heading="Baustein", total=True)
    return charts.Chart(chart_id, title, description, svg, table)


def staffing_chart(board: Dashboard, chart_id: str = "stellen") -> charts.Chart:
    """Funded against filled FTE per module (the planned FTE go into the table)."""
    title = f"Geförderte und besetzte Stellen {board.period}"
    categories = [row.name for row in board.staffing]
    # A module without a decision has no funded bar; its table note says "kein Bescheid erfasst".
    funded = charts.Series("gefördert", tuple(
        ZERO if row.funded_fte is None else row.funded_fte for row in board.staffing))
    filled = charts.Series("besetzt", tuple(row.filled_fte for row in board.staffing), charts.PALETTE[1])
    planned = charts.Series("im Stellenplan", tuple(row.planned_fte for row in board.staffing))
    description = "Vollzeitäquivalente je Baustein: laut Zuwendungsbescheid gefördert und tatsächlich besetzt."
    svg = charts.bar_chart(categories, [funded, filled], chart_id=chart_id, title=title, description=description,
                           unit=charts.FTE)
    table = charts.bar_table(categories, [funded, planned, filled], caption=title, category_heading="Baustein",
                             unit=charts.FTE, notes=[row.funded_source for row in board.staffing], total=True)
    return charts.Chart(chart_id, title, description, svg, table)


def allocation_chart(board: Dashboard, chart_id: str = "cm-einsatz") -> charts.Chart:
    """Case-management days per week by municipality (a kreisfreie Stadt's: by district or office)."""
    allocation = board.allocation
    rows = allocation.rows if allocation else ()
    unit = board.unit_terms.singular
    title = f"CM-Einsatz: Tage pro Woche je {unit}"
    description = (f"{allocation.name}: {charts.DAYS.format(allocation.total)} von "
                   f"{charts.DAYS.format(allocation.capacity_days)} verteilt." if allocation else
                   "Für diesen Zeitraum ist keine CM-Einsatzplanung erfasst.")
    categories = [row.municipality for row in rows]
    days = charts.Series("Tage pro Woche", tuple(row.days for row in rows))
    notes = [row.note for row in rows]
    svg = charts.bar_chart(categories, [days], chart_id=chart_id, title=title, description=description,
                           unit=charts.DAYS, notes=notes)
    table = charts.bar_table(categories, [days], caption=title, category_heading=unit, unit=charts.DAYS,
                             notes=notes, total=True)
    return charts.Chart(chart_id, title, description, svg, table)


def coverage_chart(board: Dashboard, chart_id: str = "deckungsmittel") -> charts.Chart:
    """Balance of each coverage source over time, the expiry dates marked."""
    balance = board.coverage_balance
    title = "Restbetrag der Deckungsmittel im Zeitverlauf"
    description = ("Vorschau der Berechnung (Planstand): Restbetrag nach den Eigenanteilen, die die Deckungsmittel "
                   "Monat für Monat tragen; nach dem Ende der Verwendbarkeit gestrichelt.")
    band = charts.Band(board.start, calc.month_end(board.end), f"Haushaltsjahr {board.period}"
                       if board.period.isdigit() else board.period)
    svg = charts.step_chart(balance.series, chart_id=chart_id, title=title, description=description,
                            start=balance.start, end=balance.end, markers=balance.markers, band=band)
    table = charts.step_table(balance.series, caption=title)
    return charts.Chart(chart_id, title, description, svg, table)


def dashboard_charts(board: Dashboard) -> DashboardCharts:
    """The four charts of the dashboard; a PDF embeds ``chart.svg`` and may print ``chart.table``."""
    return DashboardCharts(
        own_share=own_share_chart(board),
        allocation=allocation_chart(board),
        staffing=staffing_chart(board),
        coverage=coverage_chart(board),
    )
