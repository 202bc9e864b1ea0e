"""The forecast (Hochrechnung) beside the plan: actual where a month has actuals, plan where it doesn't; vacancies
cost grant. Pure: the plan's engine input and result, actual costs and vacancies in, Decimals out.

DOMAIN.md "After the decision":

- A forecast for a fiscal year is the actual figures of the months closed plus the plan for the months still open.
  Per position and month: the position's actual cost (all cost types) where it has any figure for that month, a
  recorded 0,00 € included; otherwise its planned cost (FTE × KGSt workplace cost ÷ 12 × the part of the month it
  is active). A block's month is its planned total with the planned cost of the positions with actuals replaced by
  their actuals; a vacant position without actuals costs nothing in its vacant days.
- Vacancies cost grant: flat rates fund filled posts. For each vacant day of a position the block's flat rates
  (Fördersätze of kind RATE, per FTE × the position's FTE or per slot × 1) are lost, pro rata for part months:
  a case-management post at 55.000 € a year vacant January to March loses 3/12 × 55.000 € = 13.750 €. The lost
  grant never exceeds the block's planned grant of that month.
- The plan is never changed (the acceptance figures stay): a forecast is computed beside it. Third-party shares stay
  as planned. Amounts in EUR to the cent (actuals carry cents); the lost grant of a vacancy is rounded once, to the
  cent, over its whole span.

Shapes: ``forecast(calc_input, result, actuals, vacancies, appropriations)`` → ``Forecast``; ``actuals`` is
``{position key: {first day of month: EUR}}``, ``vacancies`` a sequence of ``VacancyInput``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kimportal.money import format_fte, format_money_exact

from .engine_blocks import effective_rates, workplace_cost
from .engine_types import PER_FTE, RATE, ZERO, BlockInput, BlockResult, CalculationInput, CalculationResult
from .periods import TWELVE, month_end, month_label, share_of_month

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round EUR to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class VacancyInput:
    """A position (``PositionInput.key``) vacant from ``start`` to ``end`` (inclusive; None: until further notice)."""

    position: str
    start: date
    end: date | None = None
    label: str = ""


@dataclass
class MonthForecast:
    """One month of a block: plan, actual (None: no position of the block has a figure), forecast, grant lost."""

    month: date
    plan_total: Decimal
    actual: Decimal | None
    forecast_total: Decimal
    plan_grant: Decimal
    lost_grant: Decimal
    third_party: Decimal

    @property
    def forecast_own_share(self) -> Decimal:
        return self.forecast_total - (self.plan_grant - self.lost_grant) - self.third_party


@dataclass
class BlockForecast:
    """A block's plan, actual and forecast (EUR) over the period, with the lines that explain the forecast."""

    key: str
    label: str
    module: str
    budget_line: str | None
    plan_total: Decimal
    plan_grant: Decimal
    plan_own_share: Decimal
    months: list[MonthForecast]
    lines: list[str] = field(default_factory=list)

    @property
    def actual_total(self) -> Decimal:
        return sum((m.actual for m in self.months if m.actual is not None), ZERO)

    @property
    def forecast_total(self) -> Decimal:
        return sum((m.forecast_total for m in self.months), ZERO)

    @property
    def lost_grant(self) -> Decimal:
        return sum((m.lost_grant for m in self.months), ZERO)

    @property
    def forecast_grant(self) -> Decimal:
        return self.plan_grant - self.lost_grant

    @property
    def forecast_own_share(self) -> Decimal:
        return sum((m.forecast_own_share for m in self.months), ZERO)

    @property
    def deviation(self) -> Decimal:
        """Forecast own share minus planned own share (EUR): positive means the year runs over the plan."""
        return self.forecast_own_share - self.plan_own_share


@dataclass(frozen=True)
class LineWarning:
    """A budget line whose forecast own share in a fiscal year exceeds its appropriation (ERPNext's "warn")."""

    budget_line: str
    fiscal_year: int
    appropriation: Decimal
    forecast_own_share: Decimal

    @property
    def excess(self) -> Decimal:
        return self.forecast_own_share - self.appropriation

    @property
    def text(self) -> str:
        return (f"Hochrechnung {self.fiscal_year}: Der Eigenanteil auf der Haushaltsstelle {self.budget_line} "
                f"({format_money_exact(cents(self.forecast_own_share))}) übersteigt den Haushaltsansatz "
                f"({format_money_exact(self.appropriation)}) um {format_money_exact(cents(self.excess))}.")


@dataclass
class Forecast:
    """The forecast of one case: its blocks, the months with actuals, and the budget-line warnings."""

    blocks: list[BlockForecast]
    warnings: list[LineWarning]
    months_with_actuals: list[date]

    def total(self, name: str) -> Decimal:
        return sum((getattr(b, name) for b in self.blocks), ZERO)


def _planned_cost(block: BlockInput, costs: dict, month: date) -> dict[str, Decimal]:
    """Each position's planned cost in the month (EUR, unrounded): FTE × workplace cost ÷ 12 × active share."""
    planned = {}
    for position in block.positions:
        share = share_of_month(month, position.start_on, position.end_on)
        if share.days:
            planned[position.key] = workplace_cost(costs, position.pay_grade, month) * position.fte / TWELVE \
                * share.value
    return planned


def _vacant_share(vacancies, position, month: date) -> Decimal:
    """The part of the month (0–1) the position is vacant while it exists; overlapping vacancies count once."""
    last = month_end(month)
    days: set[int] = set()
    for vacancy in vacancies:
        lo = max(d for d in (vacancy.start, position.start_on, month) if d is not None)
        hi = min(d for d in (vacancy.end, position.end_on, last) if d is not None)
        if hi >= lo:
            days.update(range(lo.day, hi.day + 1))
    return Decimal(len(days)) / Decimal(last.day) if days else ZERO


def _flat_rate(block: BlockInput, rates, month: date) -> Decimal:
    """The annual flat rates (EUR per FTE or per slot) of the block valid in the month (all cost types)."""
    return sum((r.annual for r in rates if r.kind == RATE and r.valid_in(month)), ZERO)


def _months_text(months: list[date], shares: list[Decimal]) -> str:
    """The vacant months as the arithmetic shows them: "3" for three whole months, "(16/30 + 1)" for 16 of June's 30
    days and all of July — exact, so the line reproduces its amount."""
    whole = sum(1 for share in shares if share == 1)
    parts = [f"{round(share * month_end(month).day)}/{month_end(month).day}"
             for month, share in zip(months, shares) if 0 < share < 1]
    if not parts:
        return str(whole)
    terms = parts + ([str(whole)] if whole else [])
    return terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"


def _spread_cents(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split a cent amount over months in proportion to weights, by cumulative rounding (the parts add up)."""
    total = sum(weights, ZERO)
    parts, done, running = [], ZERO, ZERO
    for weight in weights:
        running += weight
        upto = cents(amount * running / total) if total else ZERO
        parts.append(upto - done)
        done = upto
    return parts


def _lost_grant(block: BlockInput, rates, months: list[date], by_position: dict) -> tuple[dict[date, Decimal], list[str]]:
    """The grant lost by vacancies (``by_position``: position key → its VacancyInputs) per month (EUR), and a line
    per vacancy that says how."""
    lost: dict[date, Decimal] = defaultdict(lambda: ZERO)
    lines = []
    for position in block.positions:
        mine = by_position.get(position.key)
        if not mine:
            continue
        units = position.fte if block.basis == PER_FTE else Decimal(1)
        shares = [_vacant_share(mine, position, m) for m in months]
        weights = [_flat_rate(block, rates, m) * units * share for m, share in zip(months, shares)]
        amount = cents(sum(weights, ZERO) / TWELVE)
        if not amount:
            continue
        for month, part in zip(months, _spread_cents(amount, weights)):
            lost[month] += part
        vacant = [m for m, s in zip(months, shares) if s]
        span = month_label(vacant[0]) if len(vacant) == 1 else f"{month_label(vacant[0])}–{month_label(vacant[-1])}"
        n_text = _months_text(months, shares)
        rate = _flat_rate(block, rates, vacant[0])
        per = f" × {format_fte(position.fte)} VZÄ" if block.basis == PER_FTE else ""
        label = mine[0].label or f"Stelle {position.key}"
        lines.append(f"Vakanz {label} {span}: {n_text}/12 × {format_money_exact(rate)}{per} = "
                     f"{format_money_exact(amount)} Förderung entfallen")
    return lost, lines


def forecast_block(block: BlockInput, result: BlockResult, costs: dict, actuals: dict,
                   by_position: dict) -> BlockForecast:
    """The forecast of one block (see the module's rules); ``by_position``: position key → its VacancyInputs.
    Raises CalculationError for a missing workplace cost."""
    rates = effective_rates(block.rates)
    months = [m.month for m in result.months]
    lost, lines = _lost_grant(block, rates, months, by_position)
    out = []
    actual_months = []
    for figures in result.months:
        month = figures.month
        planned = _planned_cost(block, costs, month)
        with_actuals = {key: actuals[key][month] for key in planned if month in actuals.get(key, {})}
        forecast = figures.total
        for key, amount in planned.items():
            if key in with_actuals:
                forecast += with_actuals[key] - amount
            elif by_position.get(key):
                position = next(p for p in block.positions if p.key == key)
                forecast -= amount * _vacant_share(by_position[key], position, month)
        if planned and len(with_actuals) == len(planned):
            forecast = sum(with_actuals.values(), ZERO)  # every position has actuals: exactly those
        actual = sum(with_actuals.values(), ZERO) if with_actuals else None
        if with_actuals:
            actual_months.append(month)
        plan_grant = figures.grant
        out.append(MonthForecast(month, figures.total, actual, cents(forecast), plan_grant,
                                 min(lost.get(month, ZERO), plan_grant), figures.third_party))
    if actual_months:
        lines.insert(0, f"Ist {month_label(actual_months[0])}–{month_label(actual_months[-1])}"
                        if len(actual_months) > 1 else f"Ist {month_label(actual_months[0])}")
    return BlockForecast(result.key, result.label, result.module, result.budget_line, result.total, result.grant,
                         result.own_share, out, lines)


def forecast(calc_input: CalculationInput, result: CalculationResult, actuals: dict, vacancies=(),
             appropriations=()) -> Forecast:
    """The forecast of a case beside its plan: blocks of positions get actuals and vacancies, other blocks (lump
    sums) stay as planned. ``appropriations``: AppropriationInput of the county; a budget line whose forecast own
    share in a fiscal year exceeds its appropriation gets a LineWarning."""
    inputs = {b.key: b for b in calc_input.blocks}
    by_position = defaultdict(list)  # the vacancies of each position, grouped once for all blocks
    for vacancy in vacancies:
        by_position[vacancy.position].append(vacancy)
    blocks = []
    for block_result in result.blocks:
        block = inputs.get(block_result.key)
        if block is None or not block.positions:
            months = [MonthForecast(m.month, m.total, None, m.total, m.grant, ZERO, m.third_party)
                      for m in block_result.months]
            blocks.append(BlockForecast(block_result.key, block_result.label, block_result.module,
                                        block_result.budget_line, block_result.total, block_result.grant,
                                        block_result.own_share, months))
            continue
        blocks.append(forecast_block(block, block_result, calc_input.workplace_costs, actuals, by_position))
    by_line: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for block in blocks:
        if block.budget_line:
            for month in block.months:
                by_line[(block.budget_line, month.month.year)] += month.forecast_own_share
    warnings = [LineWarning(a.budget_line, a.fiscal_year, a.amount, by_line[(a.budget_line, a.fiscal_year)])
                for a in appropriations
                if (a.budget_line, a.fiscal_year) in by_line and by_line[(a.budget_line, a.fiscal_year)] > a.amount]
    months_with = sorted({m.month for b in blocks for m in b.months if m.actual is not None})
    return Forecast(blocks, warnings, months_with)
