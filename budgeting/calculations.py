"""The own-share engine: pure arithmetic on dataclasses and Decimals, no ORM.

It follows the committee papers (DOMAIN.md, "Own-share calculation"):

    total cost   = FTE × workplace cost per FTE for n months      (KGSt, per pay grade)
    grant        = units × (personnel rate + material rate) for n months, capped at the cost
    third party  = costs borne by municipalities or partners for n months
    own share    = total cost − grant − third party

Rounding happens at one documented point: every amount per FTE or per slot for
the period (the workplace cost, each rate, each municipal share) is rounded to
whole euros half up; the rounded grant components are added per unit; the
product with the FTE or the number of slots is rounded half up again.
55,000 and 9,700 for 13 months: 59,583 + 10,508 = 70,091; × 3.5 = 245,319.

The engine works month by month: consecutive months in which nothing changes
(same positions, same rates, same workplace costs) form one segment and are
computed together, so a period that spans a rate change uses each rate for its
own months. A segment's figures are spread over its months by cumulative
rounding, so the months always add up exactly to the period's figures.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kimportal.money import format_fte, format_money, round_euro, to_decimal

ZERO = Decimal("0")
TWELVE = Decimal("12")

PER_FTE = "per_fte"
PER_SLOT = "per_slot"

COST_TYPE_LABELS = {
    "personnel": "Personalkosten",
    "material": "Sachkosten",
    "events": "Veranstaltungen",
    "measures": "Maßnahmen",
}
COST_TYPE_ORDER = {name: index for index, name in enumerate(COST_TYPE_LABELS)}
FIELDS = ("total", "grant", "third_party", "own_share")
FIELD_LABELS = {
    "total": "Gesamtkosten",
    "grant": "Förderung",
    "third_party": "Kostenanteil Dritter",
    "own_share": "Eigenanteil",
}


class CalculationError(ValueError):
    """Input the engine cannot compute with; the message is German and fit for a user."""


# --------------------------------------------------------------------------- months


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from start's month to end's month, inclusive."""
    first, last = month_start(start), month_start(end)
    if last < first:
        raise CalculationError("Das Ende des Zeitraums liegt vor dem Beginn.")
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def month_label(day: date) -> str:
    return f"{day:%m/%Y}"


def period_amount(annual: Decimal, months: int) -> Decimal:
    """An annual amount for n months, rounded to whole euros: the papers' rounding point."""
    return round_euro(to_decimal(annual) * months / TWELVE)


def spread(amount: Decimal, months: int) -> list[Decimal]:
    """Split a whole-euro amount over n months by cumulative rounding.

    Every month is round(amount × k/n) − round(amount × (k−1)/n): the months add
    up exactly, and a non-negative amount never gives a negative month.
    """
    cumulative = [round_euro(amount * k / months) for k in range(months + 1)]
    return [cumulative[k + 1] - cumulative[k] for k in range(months)]


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class RateInput:
    cost_type: str
    annual: Decimal
    valid_from: date
    valid_until: date | None = None

    def valid_in(self, month: date) -> bool:
        return self.valid_from <= month and (self.valid_until is None or self.valid_until >= month)


@dataclass(frozen=True)
class PositionInput:
    key: str
    fte: Decimal
    pay_grade: str
    start_on: date | None = None
    end_on: date | None = None

    def active_in(self, month: date) -> bool:
        return (self.start_on is None or self.start_on <= month_end(month)) and (
            self.end_on is None or self.end_on >= month
        )


@dataclass(frozen=True)
class ThirdPartyShare:
    """Costs a partner bears per FTE and year (e.g. room and material costs of a municipality)."""

    label: str
    fte: Decimal
    annual_per_fte: Decimal
    valid_from: date | None = None
    valid_until: date | None = None

    def active_in(self, month: date) -> bool:
        return (self.valid_from is None or self.valid_from <= month_end(month)) and (
            self.valid_until is None or self.valid_until >= month
        )


@dataclass(frozen=True)
class BlockInput:
    key: str
    label: str
    module: str
    basis: str  # PER_FTE: rates × FTE; PER_SLOT: rates × number of positions
    positions: tuple[PositionInput, ...]
    rates: tuple[RateInput, ...] = ()
    third_parties: tuple[ThirdPartyShare, ...] = ()
    borne_by: str | None = None  # an employer other than the county bears the own share
    budget_line: str | None = None  # own share planned on this budget line


@dataclass(frozen=True)
class CoverageSourceInput:
    name: str
    balance: Decimal
    usable_until: date
    balance_as_of: date | None = None

    def usable_in(self, month: date) -> bool:
        return month_end(month) <= self.usable_until


@dataclass(frozen=True)
class AppropriationInput:
    budget_line: str
    fiscal_year: int
    amount: Decimal


@dataclass(frozen=True)
class StatedFigureInput:
    block_key: str
    field: str
    amount: Decimal
    source: str = ""


@dataclass(frozen=True)
class CalculationInput:
    name: str
    start: date
    end: date
    blocks: tuple[BlockInput, ...]
    workplace_costs: dict  # pay grade -> {year: annual cost per FTE}
    sources: tuple[CoverageSourceInput, ...] = ()
    appropriations: tuple[AppropriationInput, ...] = ()
    stated: tuple[StatedFigureInput, ...] = ()


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Line:
    """One line of a block with its arithmetic, as a report prints it."""

    field: str
    label: str
    quantity: Decimal | None
    unit_amount: Decimal | None
    amount: Decimal
    text: str
    detail: str = ""


@dataclass
class MonthFigures:
    month: date
    total: Decimal = ZERO
    grant: Decimal = ZERO
    third_party: Decimal = ZERO
    own_share: Decimal = ZERO
    covered: dict = field(default_factory=dict)  # source name -> amount
    uncovered: Decimal = ZERO


@dataclass
class BlockResult:
    key: str
    label: str
    module: str
    fte: Decimal
    units: Decimal
    lines: list[Line]
    months: list[MonthFigures]
    total: Decimal = ZERO
    grant: Decimal = ZERO
    third_party: Decimal = ZERO
    own_share: Decimal = ZERO
    borne_by: str | None = None
    budget_line: str | None = None

    @property
    def uncovered(self) -> Decimal:
        return sum((m.uncovered for m in self.months), ZERO)

    @property
    def covered(self) -> dict:
        totals: dict = defaultdict(lambda: ZERO)
        for m in self.months:
            for name, amount in m.covered.items():
                totals[name] += amount
        return dict(totals)

    def figure(self, name: str) -> Decimal:
        return getattr(self, name)


@dataclass(frozen=True)
class Difference:
    block_key: str
    block_label: str
    field: str
    stated: Decimal
    computed: Decimal
    source: str

    @property
    def difference(self) -> Decimal:
        return self.stated - self.computed

    @property
    def text(self) -> str:
        sign = "+" if self.difference > 0 else ""
        return (
            f"{self.block_label}, {FIELD_LABELS[self.field]}: laut Vorlage {format_money(self.stated)}, "
            f"berechnet {format_money(self.computed)}, Differenz {sign}{format_money(self.difference)}"
            + (f" ({self.source})" if self.source else "")
        )


@dataclass
class SourceUsage:
    name: str
    opening_balance: Decimal
    usable_until: date
    used: dict = field(default_factory=dict)  # month -> amount

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance - sum(self.used.values(), ZERO)


@dataclass
class CalculationResult:
    name: str
    start: date
    end: date
    months: list[date]
    blocks: list[BlockResult]
    sources: list[SourceUsage]
    differences: list[Difference]

    @property
    def month_count(self) -> int:
        return len(self.months)

    def total(self, name: str) -> Decimal:
        return sum((b.figure(name) for b in self.blocks), ZERO)

    @property
    def unplanned_provision(self) -> Decimal:
        """What no coverage source pays: the overspend risk the treasurer must find."""
        return sum((b.uncovered for b in self.blocks), ZERO)

    def block(self, key: str) -> BlockResult:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)


@dataclass
class Comparison:
    results: list[CalculationResult]

    @property
    def risk_low(self) -> Decimal:
        return min(r.unplanned_provision for r in self.results)

    @property
    def risk_high(self) -> Decimal:
        return max(r.unplanned_provision for r in self.results)

    @property
    def risk_range_text(self) -> str:
        if self.risk_low == self.risk_high:
            return format_money(self.risk_low)
        return f"{format_money(self.risk_low)} – {format_money(self.risk_high)}"


# --------------------------------------------------------------------------- computing


def workplace_cost(costs: dict, pay_grade: str, month: date) -> Decimal:
    """The KGSt cost of the latest year not after the month's year."""
    by_year = costs.get(pay_grade) or {}
    years = [y for y in by_year if y <= month.year]
    if not years:
        raise CalculationError(f"Für {pay_grade} fehlen die Arbeitsplatzkosten (KGSt) für {month.year}.")
    return to_decimal(by_year[max(years)])


@dataclass(frozen=True)
class _State:
    fte_by_grade: tuple  # ((grade, fte), ...)
    slots: int
    rates: tuple  # ((cost_type, annual), ...)
    costs: tuple  # ((grade, annual), ...)
    third: tuple  # ((label, annual_per_fte, fte), ...)

    @property
    def fte(self) -> Decimal:
        return sum((f for _, f in self.fte_by_grade), ZERO)


def _state(block: BlockInput, costs: dict, month: date) -> _State:
    fte_by_grade: dict = defaultdict(lambda: ZERO)
    slots = 0
    for position in block.positions:
        if position.active_in(month) and position.fte > 0:
            fte_by_grade[position.pay_grade] += to_decimal(position.fte)
            slots += 1
    grades = tuple(sorted(fte_by_grade.items()))
    rates = tuple(sorted(
        ((r.cost_type, to_decimal(r.annual)) for r in block.rates if r.valid_in(month)),
        key=lambda rate: (COST_TYPE_ORDER.get(rate[0], 99), rate),
    ))
    wpc = tuple((grade, workplace_cost(costs, grade, month)) for grade, _ in grades)
    third: dict = defaultdict(lambda: ZERO)
    for share in block.third_parties:
        if share.active_in(month):
            third[(share.label, to_decimal(share.annual_per_fte))] += to_decimal(share.fte)
    return _State(grades, slots, rates, wpc, tuple(sorted((k[0], k[1], v) for k, v in third.items())))


def _segments(block: BlockInput, costs: dict, months: list[date]) -> list[tuple[_State, list[date]]]:
    segments: list[tuple[_State, list[date]]] = []
    for month in months:
        state = _state(block, costs, month)
        if segments and segments[-1][0] == state:
            segments[-1][1].append(month)
        else:
            segments.append((state, [month]))
    return segments


def _n(months: list[date]) -> str:
    return "1 Monat" if len(months) == 1 else f"{len(months)} Monate"


def _span(months: list[date]) -> str:
    if len(months) == 1:
        return month_label(months[0])
    return f"{month_label(months[0])}–{month_label(months[-1])}"


def _segment(block: BlockInput, state: _State, months: list[date], label_suffix: str):
    """Figures and lines of one segment of n months with nothing changing."""
    n = len(months)
    lines: list[Line] = []
    fte = state.fte

    total = ZERO
    for (grade, grade_fte), (_, annual) in zip(state.fte_by_grade, state.costs):
        unit = period_amount(annual, n)
        amount = round_euro(grade_fte * unit)
        total += amount
        lines.append(Line(
            "total", f"Gesamtkosten {grade}{label_suffix}", grade_fte, unit, amount,
            f"{format_fte(grade_fte)} VZÄ × {format_money(unit)} = {format_money(amount)}",
            f"Arbeitsplatzkosten {grade} {format_money(annual)} × {n}/12 = {format_money(unit)}",
        ))

    units = fte if block.basis == PER_FTE else Decimal(state.slots)
    unit_label = "VZÄ" if block.basis == PER_FTE else ("Förderstelle" if state.slots == 1 else "Förderstellen")
    components = [(cost_type, annual, period_amount(annual, n)) for cost_type, annual in state.rates]
    unit_grant = sum((c[2] for c in components), ZERO)
    grant = round_euro(units * unit_grant)
    detail = " + ".join(
        f"{COST_TYPE_LABELS.get(t, t)} {format_money(a)} × {n}/12 = {format_money(p)}" for t, a, p in components
    )
    if components:
        quantity = format_fte(units) if block.basis == PER_FTE else str(state.slots)
        text = f"{quantity} {unit_label} × {format_money(unit_grant)} = {format_money(grant)}"
        # Rates are caps ("bis zu"): the grant never exceeds the cost.
        if grant > total:
            text += f", gedeckelt auf die Kosten {format_money(total)}"
            grant = total
        lines.append(Line("grant", f"Förderung{label_suffix}", units, unit_grant, grant, text, detail))

    third = ZERO
    if block.borne_by:
        third = total - grant
        lines.append(Line(
            "third_party", f"Eigenanteil trägt {block.borne_by}{label_suffix}", None, None, third,
            f"{format_money(total)} − {format_money(grant)} = {format_money(third)}",
        ))
    else:
        for label, annual, share_fte in state.third:
            share_fte = min(share_fte, fte)
            unit = period_amount(annual, n)
            amount = round_euro(share_fte * unit)
            amount = min(amount, total - grant - third)
            third += amount
            lines.append(Line(
                "third_party", f"{label}{label_suffix}", share_fte, unit, amount,
                f"{format_fte(share_fte)} VZÄ × {format_money(unit)} = {format_money(amount)}",
                f"{format_money(annual)} × {n}/12 = {format_money(unit)}",
            ))
    own = total - grant - third
    lines.append(Line(
        "own_share", f"Eigenanteil{label_suffix}", None, None, own,
        f"{format_money(total)} − {format_money(grant)} − {format_money(third)} = {format_money(own)}"
        if third else f"{format_money(total)} − {format_money(grant)} = {format_money(own)}",
    ))
    return total, grant, third, own, lines


def calculate_block(block: BlockInput, costs: dict, months: list[date]) -> BlockResult:
    segments = _segments(block, costs, months)
    result = BlockResult(
        key=block.key, label=block.label, module=block.module, fte=ZERO, units=ZERO, lines=[], months=[],
        borne_by=block.borne_by, budget_line=block.budget_line,
    )
    several = len([s for s in segments if s[0].fte_by_grade]) > 1
    for state, seg_months in segments:
        if state.fte_by_grade:
            suffix = f" ({_span(seg_months)}, {_n(seg_months)})" if several else ""
            total, grant, third, own, lines = _segment(block, state, seg_months, suffix)
            result.lines.extend(lines)
            result.fte = max(result.fte, state.fte)
            result.units = max(result.units, state.fte if block.basis == PER_FTE else Decimal(state.slots))
        else:
            total = grant = third = own = ZERO
        n = len(seg_months)
        for month, g, t, o in zip(seg_months, spread(grant, n), spread(third, n), spread(own, n)):
            result.months.append(MonthFigures(month, g + t + o, g, t, o))
        result.total += total
        result.grant += grant
        result.third_party += third
        result.own_share += own
    return result


def _forecast_coverage(calc: CalculationInput, blocks: list[BlockResult], months: list[date]) -> list[SourceUsage]:
    """Month by month, an own share is paid by its budget line's appropriation, then by
    coverage sources still usable and with balance (earliest expiry first); what stays is uncovered."""
    appropriations = defaultdict(lambda: ZERO)
    for a in calc.appropriations:
        appropriations[(a.budget_line, a.fiscal_year)] += to_decimal(a.amount)
    sources = sorted(calc.sources, key=lambda s: (s.usable_until, s.name))
    usage = [SourceUsage(s.name, to_decimal(s.balance), s.usable_until) for s in sources]
    remaining = {s.name: to_decimal(s.balance) for s in sources}
    for index, month in enumerate(months):
        for block in blocks:
            figures = block.months[index]
            need = figures.own_share
            if need <= 0:
                continue
            if block.budget_line:
                key = (block.budget_line, month.year)
                take = min(need, appropriations[key])
                if take > 0:
                    appropriations[key] -= take
                    label = f"Haushaltsansatz {block.budget_line} ({month.year})"
                    figures.covered[label] = figures.covered.get(label, ZERO) + take
                    need -= take
            for source, used in zip(sources, usage):
                if need <= 0:
                    break
                if not source.usable_in(month) or remaining[source.name] <= 0:
                    continue
                take = min(need, remaining[source.name])
                remaining[source.name] -= take
                used.used[month] = used.used.get(month, ZERO) + take
                figures.covered[source.name] = figures.covered.get(source.name, ZERO) + take
                need -= take
            figures.uncovered = need
    return usage


def calculate(calc: CalculationInput) -> CalculationResult:
    months = months_between(calc.start, calc.end)
    blocks = [calculate_block(block, calc.workplace_costs, months) for block in calc.blocks]
    sources = _forecast_coverage(calc, blocks, months)
    by_key = {b.key: b for b in blocks}
    differences = []
    for stated in calc.stated:
        block = by_key.get(stated.block_key)
        if block is None or stated.field not in FIELDS:
            continue
        differences.append(Difference(
            block.key, block.label, stated.field, to_decimal(stated.amount), block.figure(stated.field), stated.source
        ))
    return CalculationResult(calc.name, months[0], months[-1], months, blocks, sources, differences)


def compare(calcs: list[CalculationInput]) -> Comparison:
    if not calcs:
        raise CalculationError("Keine Berechnung angegeben.")
    return Comparison([calculate(c) for c in calcs])
