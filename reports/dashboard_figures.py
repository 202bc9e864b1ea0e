"""The dashboard's figures for one county and one period, each a plain dataclass read in a fixed number of queries.

The parts of reports.dashboard.Dashboard, each usable on its own (the KIM paper and the risk report print
some of them):

- ``staffing_by_module(county, start, end) -> list[ModuleStaffing]``: funded, planned and filled FTE per module;
- ``own_share_figures(county, start, end, loaded=None, *, lump_sums=True) -> OwnShareFigures`` and
  ``figures_of(comparison) -> OwnShareFigures``: the own share per module and the risk of every case;
- ``allocation_days(county, start, end) -> AllocationDays | None``: case-management days per municipality
  (a kreisfreie Stadt's: per district or office);
- ``coverage_status(county, today)``, ``next_expiry(statuses)``, ``coverage_balance(...)``: the coverage sources;
- ``own_share_and_forecast(county, start, end) -> (OwnShareFigures, ForecastFigures)``: the own share and risk as
  above and the base case's forecast (Hochrechnung, issue 12 §2) with its budget-line warnings, from one build of
  the engine's input (actuals.forecast.case_forecasts);
- ``months_text(months) -> str``: months as the papers name them ("01/2022–06/2022");
  ``signed_money_exact(amount) -> str``: a deviation as "−3.110,57 €" / "+1.287,57 €".

``start`` and ``end`` are months as the engine takes them (any day of the first and of the last month). The own
share and the risk come from budgeting.selectors.own_share_comparison, the code behind the own-share page and the
PDFs; nothing here computes an own share of its own.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from actuals.forecast import case_forecasts
from budgeting import calculations as calc
from budgeting.engine_forecast import Forecast, cents
from budgeting.models import CoverageSource
from kimportal.money import format_money_exact
from budgeting.selectors import calculation_input, own_share_comparison
from programmes.models import GrantedSlot, Module
from reports import charts
from staffing.models import CaseManagementAllocation, Position

ZERO = calc.ZERO
# How far the coverage chart may reach from the first known balance.
COVERAGE_CHART_MONTHS = 60


# --------------------------------------------------------------------------- staffing


@dataclass(frozen=True)
class ModuleStaffing:
    """Funded against planned and filled FTE of one module in the period.

    ``funded_source`` names where the funded FTE come from: the grant decision covering the period, or the
    latest earlier one carried forward (``carried_forward``: KIM is permanent and Baustein 2 needs no new
    application; the page says so). A module that needs no application (``application_required`` False:
    KIM Bausteine 2 and 3) and has no decision counts the capacity of its case-management allocation in
    force (a Kreis's to its municipalities, a kreisfreie Stadt's to its districts or offices). Where neither
    exists, nothing is known to be funded: ``funded_fte`` is None, never a made-up 0 (issue 11 §5: a city's
    page said "1,0 von 0,0 VZÄ").
    """

    module: str
    name: str
    funded_fte: Decimal | None
    funded_source: str
    carried_forward: bool
    planned_fte: Decimal
    filled_fte: Decimal

    @property
    def open_fte(self) -> Decimal | None:
        """Funded FTE not (yet) filled; None where nothing is known to be funded."""
        if self.funded_fte is None:
            return None
        return max(self.funded_fte - self.filled_fte, ZERO)


NO_DECISION = "kein Bescheid erfasst"


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


def _allocated_by_module(county, period_start: date, period_end: date) -> dict:
    """Per module id: (capacity in FTE, label) of the latest case-management allocation in force in the period."""
    allocations = (CaseManagementAllocation.objects.filter(county=county, valid_from__lte=period_end)
                   .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period_start))
                   .order_by("valid_from", "pk").values_list("module_id", "capacity_fte", "name"))
    return {module_id: (capacity, f"laut {name}") for module_id, capacity, name in allocations}


def staffing_by_module(county, start: date, end: date) -> list[ModuleStaffing]:
    """Funded, planned and filled FTE per module for the months from ``start`` to ``end``.

    Planned: the positions active in the period (any status); filled: those of
    them with status "besetzt" since before the period's end. Modules without
    positions in the period and without a decision covering it are left out.
    Funded: see ModuleStaffing (decision, else the allocation of a module without application, else None).
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
    allocated = _allocated_by_module(county, period_start, period_end) if shown - set(funded) else {}
    rows = []
    for module in modules:
        if module.pk in funded:
            fte, source, carried = funded[module.pk]
        elif not module.application_required and module.pk in allocated:
            (fte, source), carried = allocated[module.pk], False
        else:
            fte, source, carried = None, NO_DECISION, False
        counted = positions.get(module.pk, {})
        rows.append(ModuleStaffing(
            module=module.code, name=module.name, funded_fte=fte, funded_source=source, carried_forward=carried,
            planned_fte=counted.get("planned") or ZERO, filled_fte=counted.get("filled") or ZERO,
        ))
    return rows


# --------------------------------------------------------------------------- own share and risk


@dataclass(frozen=True)
class ModuleFigure:
    """One module's own share in the base case (euros for the period) and the part nothing covers."""

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
    """One case (the base case or a scenario): own share and unplanned provision for the period, in euros."""

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


def own_share_figures(county, start: date, end: date, loaded: dict | None = None, *,
                      lump_sums: bool = True) -> OwnShareFigures:
    """Own share and risk for the period, base case and all scenarios (raises calc.CalculationError).

    ``loaded``: shared with coverage_balance, so the county's sources and decisions are read once.
    ``lump_sums`` False: only the blocks of positions, as the KIM paper computes them (own_share_comparison).
    """
    return figures_of(own_share_comparison(county, start, end, loaded=loaded, lump_sums=lump_sums))


def figures_of(comparison: calc.Comparison) -> OwnShareFigures:
    """The figures of a comparison already computed (a paper's own), so its chart shows the blocks its tables do."""
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


# --------------------------------------------------------------------------- forecast (Hochrechnung)


def months_text(months: list[date]) -> str:
    """Months as the papers name them: runs of consecutive months as "01/2022–06/2022", others "09/2022",
    joined by commas; "" for none."""
    runs: list[list[date]] = []
    for month in sorted(months):
        if runs and calc.add_months(runs[-1][-1], 1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(calc.month_label(run[0]) if len(run) == 1
                     else f"{calc.month_label(run[0])}–{calc.month_label(run[-1])}" for run in runs)


def signed_money_exact(amount: Decimal) -> str:
    """A deviation in EUR with its sign, cents only where there are any: "+1.287,57 €", "−3.110,57 €" (a real minus
    sign, as reports.templatetags.paper.signed_money), "0 €"."""
    sign = "+" if amount > 0 else "\u2212" if amount < 0 else ""
    return f"{sign}{format_money_exact(abs(amount))}"


@dataclass(frozen=True)
class ForecastFigures:
    """The base case's forecast (Hochrechnung) for the period (budgeting.engine_forecast): actual where a month has
    actuals, plan where not; vacancies cost grant. Amounts in EUR to the cent.

    ``shown``: the period has actuals or grant lost by vacancies; otherwise the forecast is the plan and the pages
    say nothing more. ``warnings``: the budget lines whose forecast own share exceeds their appropriation in a
    fiscal year (ERPNext's budget "warn"), each with its German ``text``.
    """

    forecast: Forecast

    @property
    def shown(self) -> bool:
        return bool(self.forecast.months_with_actuals) or any(b.lost_grant for b in self.forecast.blocks)

    @property
    def plan_own_share(self) -> Decimal:
        return self.forecast.total("plan_own_share")

    @property
    def forecast_own_share(self) -> Decimal:
        return cents(self.forecast.total("forecast_own_share"))

    @property
    def deviation(self) -> Decimal:
        """Forecast minus planned own share (EUR): positive means the year runs over the plan."""
        return self.forecast_own_share - self.plan_own_share

    @property
    def deviation_text(self) -> str:
        return signed_money_exact(self.deviation)

    @property
    def lost_grant(self) -> Decimal:
        return cents(self.forecast.total("lost_grant"))

    @property
    def warnings(self) -> list:
        return self.forecast.warnings

    @property
    def actual_months(self) -> str:
        """The months with actuals, e.g. "01/2022–06/2022" ("" for none)."""
        return months_text(self.forecast.months_with_actuals)


def own_share_and_forecast(county, start: date, end: date,
                           loaded: dict | None = None) -> tuple[OwnShareFigures, ForecastFigures]:
    """Own share and risk of the base case and all scenarios (as own_share_figures) and the base case's forecast,
    from one build of the engine's input and one engine run (actuals.forecast.case_forecasts; two more queries for
    the actuals and vacancies; ``loaded`` shared with coverage_balance). Raises calc.CalculationError for unusable
    input."""
    cases = case_forecasts(county, start, end, only_base=True, loaded=loaded)
    return figures_of(cases.comparison), ForecastFigures(cases.forecasts[0])


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True)
class MunicipalityDays:
    """Days per week one unit (municipality, district or office) gets, with a note on why it gets none."""

    municipality: str
    days: Decimal
    note: str  # "kein Bedarf", a special arrangement, a welfare organisation it is handed to


@dataclass(frozen=True)
class AllocationDays:
    """The allocation in force: its capacity (FTE × 5 days) and the days of each unit."""

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
    """A coverage source as of ``today``: usable until (with a granted extension), balance, days left."""

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
