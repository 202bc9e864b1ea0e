"""The dashboard's key figures and charts for one county and one period, as plain dataclasses.

The dashboard page and the PDF reports call the same functions, so a figure on
the screen and in a paper is one computation:

- ``dashboard(county, start, end, *, today=None, deadline_limit=6) -> Dashboard``
  everything below at once; ``start`` and ``end`` are months as the engine takes
  them (any day of the first and of the last month).
- ``dashboard_charts(board) -> DashboardCharts``: the four charts (SVG and table).
- ``fiscal_year_period(year) -> (start, end)``: January to December of a year.
- ``fiscal_years(county, today) -> FiscalYears``: the years to choose from and the default one.
- The parts, each usable on its own: ``staffing_by_module``, ``own_share_figures``,
  ``allocation_days``, ``coverage_status``, ``coverage_balance``.

The own share and the risk come from budgeting.selectors.own_share_comparison,
the code behind the own-share page and the PDFs; nothing here computes an own
share of its own. Every function runs a fixed number of queries, whatever the
number of positions; own_share_comparison reads once per scenario of the county.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from budgeting import calculations as calc
from budgeting.models import Appropriation, CoverageSource
from budgeting.selectors import calculation_input, own_share_comparison
from kimportal.deadlines import Deadline, upcoming_deadlines
from kimportal.terms import KREIS_TERMS, UnitTerms, county_unit_terms
from programmes.models import GrantDecision, GrantedSlot, Module
from reports import charts
from staffing.models import CaseManagementAllocation, Position

ZERO = calc.ZERO
# How far the coverage chart may reach from the first known balance.
COVERAGE_CHART_MONTHS = 60


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


# --------------------------------------------------------------------------- staffing


@dataclass(frozen=True)
class ModuleStaffing:
    """Funded against planned and filled FTE of one module in the period.

    ``funded_source`` names the grant decision the funded FTE come from; where
    no decision covers the period, the latest earlier one is carried forward
    (``carried_forward``), as KIM is permanent and Baustein 2 needs no new
    application, and the page says so.
    """

    module: str
    name: str
    funded_fte: Decimal
    funded_source: str
    carried_forward: bool
    planned_fte: Decimal
    filled_fte: Decimal

    @property
    def open_fte(self) -> Decimal:
        """Funded FTE not (yet) filled."""
        return max(self.funded_fte - self.filled_fte, ZERO)


def _funded_by_module(county, period_start: date, period_end: date) -> dict:
    """Per module id: (FTE, decision label, carried forward) of the latest decision covering the period,
    or of the latest earlier one."""
    granted: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    slots = GrantedSlot.objects.filter(
        decision__county=county, decision__period_start__lte=period_end,
    ).select_related("decision", "funded_slot")
    for slot in slots:
        granted[slot.funded_slot.module_id][(slot.decision.period_start, slot.decision.period_end)] += (
            slot.count * slot.nominal_fte)
    funded = {}
    for module_id, periods in granted.items():
        covering = [p for p in periods if p[1] >= period_start]
        first, last = max(covering) if covering else max(periods, key=lambda p: (p[1], p[0]))
        label = f"Bescheid {first:%Y}" if first.year == last.year else f"Bescheid {first:%Y}–{last:%Y}"
        funded[module_id] = (periods[(first, last)], label, not covering)
    return funded


def staffing_by_module(county, start: date, end: date) -> list[ModuleStaffing]:
    """Funded, planned and filled FTE per module for the months from ``start`` to ``end``.

    Planned: the positions active in the period (any status); filled: those of
    them with status "besetzt" since before the period's end. Modules without
    positions in the period and without a decision covering it are left out.
    """
    period_start, period_end = calc.month_start(start), calc.month_end(end)
    filled = Q(status=Position.Status.FILLED) & (Q(status_since__isnull=True) | Q(status_since__lte=period_end))
    positions = {
        row["module_id"]: row for row in Position.objects.filter(county=county).active_in(period_start, period_end)
        .order_by().values("module_id").annotate(planned=Sum("fte"), filled=Sum("fte", filter=filled))
    }
    funded = _funded_by_module(county, period_start, period_end)
    shown = set(positions) | {module_id for module_id, (_, _, carried) in funded.items() if not carried}
    modules = Module.objects.filter(pk__in=shown).select_related("programme").order_by(
        "programme__name", "position", "name")
    rows = []
    for module in modules:
        fte, source, carried = funded.get(module.pk, (ZERO, "kein Bescheid erfasst", False))
        counted = positions.get(module.pk, {})
        rows.append(ModuleStaffing(
            module=module.code, name=module.name, funded_fte=fte, funded_source=source, carried_forward=carried,
            planned_fte=counted.get("planned") or ZERO, filled_fte=counted.get("filled") or ZERO,
        ))
    return rows


# --------------------------------------------------------------------------- own share and risk


@dataclass(frozen=True)
class ModuleFigure:
    module: str
    name: str
    own_share: Decimal
    uncovered: Decimal

    @property
    def covered(self) -> Decimal:
        """The part of the own share an appropriation or a coverage source pays."""
        return self.own_share - self.uncovered


@dataclass(frozen=True)
class CaseFigure:
    name: str
    own_share: Decimal
    unplanned_provision: Decimal


@dataclass(frozen=True)
class OwnShareFigures:
    """The base case's own share (total, per block, per module) and the risk of every case.

    ``comparison`` is own_share_comparison's result itself (base case first):
    the risk range is ``comparison.risk_low`` / ``risk_high`` / ``risk_range_text``,
    and a report that prints more (lines, months, differences) finds it there.
    """

    comparison: calc.Comparison
    modules: tuple[ModuleFigure, ...]

    @property
    def base(self) -> calc.CalculationResult:
        return self.comparison.results[0]

    @property
    def blocks(self) -> list[calc.BlockResult]:
        """The base case's blocks, as the engine computed them."""
        return self.base.blocks

    @property
    def own_share(self) -> Decimal:
        return self.base.total("own_share")

    @property
    def unplanned_provision(self) -> Decimal:
        """The base case's unplanned provision (überplanmäßige Bereitstellung)."""
        return self.base.unplanned_provision

    @property
    def cases(self) -> list[CaseFigure]:
        return [CaseFigure(r.name, r.total("own_share"), r.unplanned_provision) for r in self.comparison.results]


def own_share_figures(county, start: date, end: date, loaded: dict | None = None) -> OwnShareFigures:
    """Own share and risk for the period, base case and all scenarios (raises calc.CalculationError).

    ``loaded``: shared with coverage_balance, so the county's sources and decisions are read once.
    """
    comparison = own_share_comparison(county, start, end, loaded=loaded)
    blocks = comparison.results[0].blocks
    names = dict(Module.objects.filter(code__in={b.module for b in blocks}).values_list("code", "name"))
    per_module: dict = {}
    for block in blocks:
        if block.lump_sum and not block.own_share:
            continue  # a programme's lump sums paid by its grant alone: no own share to chart (issue 11)
        own, uncovered = per_module.get(block.module, (ZERO, ZERO))
        per_module[block.module] = (own + block.own_share, uncovered + block.uncovered)
    modules = tuple(ModuleFigure(code, names.get(code, code), own, uncovered)
                    for code, (own, uncovered) in per_module.items())
    return OwnShareFigures(comparison, modules)


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True)
class MunicipalityDays:
    municipality: str
    days: Decimal
    note: str  # "kein Bedarf", a special arrangement, a welfare organisation it is handed to


@dataclass(frozen=True)
class AllocationDays:
    name: str
    allocation_id: int
    valid_from: date
    valid_until: date | None
    capacity_days: Decimal
    rows: tuple[MunicipalityDays, ...]

    @property
    def total(self) -> Decimal:
        return sum((row.days for row in self.rows), ZERO)


def allocation_days(county, start: date, end: date) -> AllocationDays | None:
    """Days per week per municipality of the allocation valid in the period (the latest if several)."""
    period_start, period_end = calc.month_start(start), calc.month_end(end)
    allocation = (
        CaseManagementAllocation.objects.filter(county=county, valid_from__lte=period_end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period_start))
        .order_by("-valid_from", "-pk").first()
    )
    if allocation is None:
        return None
    rows = []
    for share in allocation.shares.select_related("municipality", "handed_over_to").order_by("municipality__name"):
        if share.no_demand:
            note = "kein Bedarf"
        elif share.special_arrangement:
            note = share.special_arrangement
        elif share.handed_over_to_id:
            note = f"weitergegeben an {share.handed_over_to.name}"
        else:
            note = ""
        rows.append(MunicipalityDays(share.municipality.name, share.days, note))
    return AllocationDays(allocation.name, allocation.pk, allocation.valid_from, allocation.valid_until,
                          allocation.capacity_days, tuple(rows))


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class CoverageStatus:
    name: str
    source_id: int
    usable_until: date  # counting a granted extension
    extension: str
    balance: Decimal
    balance_as_of: date
    days_left: int  # negative once expired

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def coverage_status(county, today: date) -> list[CoverageStatus]:
    """The county's coverage sources by expiry date, with the days from ``today`` until they expire."""
    return [
        CoverageStatus(s.name, s.pk, s.effective_until, s.get_extension_status_display(), s.balance,
                       s.balance_as_of, (s.effective_until - today).days)
        for s in sorted(CoverageSource.objects.filter(county=county), key=lambda s: (s.effective_until, s.name))
    ]


def next_expiry(statuses: list[CoverageStatus]) -> CoverageStatus | None:
    """The next source to expire; if all have expired, the one that expired last."""
    upcoming = [s for s in statuses if not s.expired]
    if upcoming:
        return upcoming[0]
    return statuses[-1] if statuses else None


@dataclass(frozen=True)
class CoverageBalance:
    """Balances of the coverage sources month by month, as the engine's forecast (base case) uses them."""

    start: date
    end: date  # last day shown
    series: tuple[charts.StepSeries, ...] = ()
    markers: tuple[charts.Marker, ...] = ()
    error: str = ""


def coverage_balance(county, start: date, end: date, sources: list[CoverageStatus],
                     loaded: dict | None = None) -> CoverageBalance:
    """The balance of each source from its first known balance to the later of the period's end and its expiry.

    The forecast is the engine's (budgeting.calculations, coverage forecast):
    own shares take their appropriation first, then the source that expires
    first. A balance drops in the month whose own shares use it; after its
    expiry the rest is no longer usable.
    """
    if not sources:
        return CoverageBalance(calc.month_start(start), calc.month_end(end))
    first = calc.month_start(min(s.balance_as_of for s in sources))
    last = max(calc.month_start(end), calc.month_start(max(s.usable_until for s in sources)), first)
    last = calc.months_between(first, last)[:COVERAGE_CHART_MONTHS][-1]
    chart_end = calc.month_end(last)
    try:
        result = calc.calculate(calculation_input(county, first, last, loaded=loaded))
    except calc.CalculationError as exc:
        return CoverageBalance(first, chart_end, error=str(exc))
    by_name = {s.name: s for s in sources}
    series = []
    for usage in result.sources:
        status = by_name[usage.name]
        balance = usage.opening_balance
        points = [(status.balance_as_of, balance)]
        for month in sorted(usage.used):
            balance -= usage.used[month]
            points.append((max(month, status.balance_as_of), balance))
        series.append(charts.StepSeries(usage.name, tuple(points), usable_until=status.usable_until))
    several = len(sources) > 1
    markers = tuple(
        charts.Marker(s.usable_until, (f"{s.name}: " if several else "") + f"verwendbar bis {s.usable_until:%d.%m.%Y}")
        for s in sources
    )
    return CoverageBalance(first, chart_end, tuple(series), markers)


# --------------------------------------------------------------------------- the whole dashboard


@dataclass(frozen=True)
class Dashboard:
    """All key figures of one county for one period.

    ``own_share`` is None when the engine cannot compute (``calculation_error``
    says why, in German). ``deadlines`` are the next ones from ``today`` on,
    overdue tasks first. ``unit_terms``: the words for the allocation units
    (Kommunen; a kreisfreie Stadt's Stadtbezirke or Dienststellen).
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

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    @property
    def next_expiry(self) -> CoverageStatus | None:
        return next_expiry(list(self.coverage))

    @property
    def funded_fte(self) -> Decimal:
        return sum((row.funded_fte for row in self.staffing), ZERO)

    @property
    def planned_fte(self) -> Decimal:
        return sum((row.planned_fte for row in self.staffing), ZERO)

    @property
    def filled_fte(self) -> Decimal:
        return sum((row.filled_fte for row in self.staffing), ZERO)


def dashboard(county, start: date, end: date, *, today: date | None = None, deadline_limit: int = 6) -> Dashboard:
    """The dashboard's figures for the months from ``start`` to ``end`` (e.g. fiscal_year_period(2022))."""
    today = today or timezone.localdate()
    start, end = calc.month_start(start), calc.month_start(end)
    loaded: dict = {}
    try:
        figures, error = own_share_figures(county, start, end, loaded), ""
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
    funded = charts.Series("gefördert", tuple(row.funded_fte for row in board.staffing))
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
