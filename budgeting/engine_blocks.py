"""One block's figures month by month: cost, grant within its limits, third parties, own share (pure).

The grant of a month is the smallest of (DOMAIN.md, "Rules real counties need"):
- what the rates give for the positions (units × rate, a fixed amount "bis zu" for the block),
- what the grant decision in force grants for its slots and its amount,
- the rate's own caps (at most ``max_units`` posts, at most ``cap`` EUR a year),
- the cost.
Slots and amounts of a decision or a capped rate are shared by every block that draws on them: the
blocks take from them in the order they are given (a ledger per month), so the sum over blocks never
exceeds the limit.

Consecutive months in which nothing changes form one segment and are computed together (the papers'
rounding: each amount per unit for the segment rounded to whole euros, then × units, rounded again).
A limit only starts a new segment where it binds, so whole-month figures without binding limits stay
exactly the papers' figures.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from kimportal.money import format_fte, format_money, round_euro, to_decimal

from .engine_types import (
    COST_TYPE_LABELS, COST_TYPE_ORDER, FIXED, PER_FTE, ZERO, BlockInput, BlockResult, Line, MonthFigures,
    RateInput,
)
from .engine_parties import employer_lines
from .periods import (
    TWELVE, CalculationError, Share, add_months, month_label, month_start, months_in, period_amount, spread,
    version_end,
)


def workplace_cost(costs: dict, pay_grade: str, month: date) -> Decimal:
    """The KGSt cost (EUR per FTE and year) of the latest year not after the month's year.

    Raises CalculationError when the pay grade has no cost for that year or before.
    """
    by_year = costs.get(pay_grade) or {}
    years = [y for y in by_year if y <= month.year]
    if not years:
        raise CalculationError(f"Für {pay_grade} fehlen die Arbeitsplatzkosten (KGSt) für {month.year}.")
    return to_decimal(by_year[max(years)])


def effective_rates(rates) -> tuple[RateInput, ...]:
    """Rates with an open end end the day before a newer rate of the same cost type and kind starts
    (budgeting.periods.version_end)."""
    starts = defaultdict(list)
    for rate in rates:
        starts[(rate.cost_type, rate.kind)].append(rate.valid_from)
    return tuple(
        replace(rate, valid_until=version_end(rate.valid_from, rate.valid_until, starts[(rate.cost_type, rate.kind)]))
        for rate in rates)


def rate_key(block: BlockInput, rate: RateInput) -> str:
    return rate.key or f"{block.module}:{rate.cost_type}:{rate.kind}:{rate.valid_from}"


class Ledger:
    """What the blocks computed so far took from shared limits, per limit key and month (units, EUR)."""

    def __init__(self):
        self.units = defaultdict(lambda: ZERO)
        self.amounts = defaultdict(lambda: ZERO)


@dataclass(frozen=True)
class _Group:
    share: Share
    fte_by_grade: tuple  # ((grade, fte), ...)
    slots: int

    @property
    def fte(self) -> Decimal:
        return sum((f for _, f in self.fte_by_grade), ZERO)


@dataclass(frozen=True)
class _State:
    groups: tuple  # (_Group, ...), whole month first
    rates: tuple  # ((cost_type, annual, share), ...) rates × units
    fixed: tuple  # ((cost_type, annual, share, max_units), ...)
    costs: tuple  # ((grade, annual), ...)
    third: tuple  # ((label, annual_per_fte, fte, share), ...)
    unit_limit: tuple | None  # (text, units) where a slot limit binds
    amount_limits: tuple  # ((text, cost_type or None, EUR per month available, EUR per month taken by other
    #                   blocks), ...) where they bind
    epoch: int  # segments never span a balance date (budgeting.engine_coverage)

    @property
    def fte(self) -> Decimal:
        return sum((g.fte for g in self.groups), ZERO)

    @property
    def slots(self) -> int:
        return sum(g.slots for g in self.groups)


WHOLE = Share(1, 1)


def _norm(share: Share) -> Share:
    """Whole months compare equal whatever their length (31, 30 or 28 days), so they form one segment."""
    return WHOLE if share.whole else share


def _units(block: BlockInput, group: _Group) -> Decimal:
    return group.fte if block.basis == PER_FTE else Decimal(group.slots)


def _groups(block: BlockInput, month: date) -> tuple:
    """The block's positions active in the month, grouped by their share of it (whole months first) and pay grade."""
    groups: dict = defaultdict(lambda: (defaultdict(lambda: ZERO), [0]))
    for position in block.positions:
        share = _norm(position.share_in(month))
        if share.days and position.fte > 0:
            by_grade, slots = groups[share]
            by_grade[position.pay_grade] += to_decimal(position.fte)
            slots[0] += 1
    return tuple(
        _Group(share, tuple(sorted(by_grade.items())), slots[0])
        for share, (by_grade, slots) in sorted(groups.items(), key=lambda item: (not item[0].whole, item[0]))
    )


class _Staffing:
    """The block's groups of positions month by month, kept up to date from change points (issue 13).

    A position counts whole months between its first and last whole month and a part month (by calendar days) in
    the month it starts or ends mid-month. So instead of asking every position about every month, the whole months
    are a running sum per pay grade changed only where a position begins or stops counting whole months, and the
    part months are looked up for the month. The engine then scales with the changes, not with months × positions;
    the groups are the same as ``_groups`` gives (the FTE sums keep the exponent a plain sum has: 1,5 not 1,50).
    Months must be asked in ascending order; an earlier month is computed directly.
    """

    FROM_THE_START = date.min

    def __init__(self, block: BlockInput):
        self.block = block
        events: dict = defaultdict(list)  # month -> [(grade, fte, +1 / -1)]
        self.partial: dict = defaultdict(list)  # month -> [(share, grade, fte)]
        for position in block.positions:
            if not position.fte > 0:
                continue
            fte = to_decimal(position.fte)
            first, last = self._whole_months(position, fte)
            if first is not None and (last is None or first <= last):
                events[first].append((position.pay_grade, fte, 1))
                if last is not None:
                    events[add_months(last, 1)].append((position.pay_grade, fte, -1))
        self.events = sorted(events.items())
        self.next_event = 0
        self.running: dict = {}  # grade -> [sum, count, Counter of exponents]
        self.asked: date | None = None

    def _whole_months(self, position, fte: Decimal) -> tuple[date | None, date | None]:
        """(first, last) whole month of the position (FROM_THE_START / None for open ends; first None: none at
        all); records its part months."""
        start, end = position.start_on, position.end_on
        if start is not None and end is not None and month_start(start) == month_start(end):
            share = position.share_in(month_start(start))
            if not share.days:
                return None, None
            if share.whole:
                return month_start(start), month_start(start)
            self.partial[month_start(start)].append((share, position.pay_grade, fte))
            return None, None
        if start is not None and end is not None and end < start:
            return None, None
        first, last = self.FROM_THE_START, None
        if start is not None:
            first = month_start(start)
            share = position.share_in(first)
            if not share.whole:
                self.partial[first].append((share, position.pay_grade, fte))
                first = add_months(first, 1)
        if end is not None:
            last = month_start(end)
            share = position.share_in(last)
            if not share.whole:
                self.partial[last].append((share, position.pay_grade, fte))
                last = add_months(last, -1)
        return first, last

    def groups(self, month: date) -> tuple:
        if self.asked is not None and month < self.asked:
            return _groups(self.block, month)
        self.asked = month
        while self.next_event < len(self.events) and self.events[self.next_event][0] <= month:
            for grade, fte, sign in self.events[self.next_event][1]:
                entry = self.running.setdefault(grade, [ZERO, 0, Counter()])
                entry[0] += fte * sign
                entry[1] += sign
                entry[2][fte.as_tuple().exponent] += sign
            self.next_event += 1
        result = []
        whole = [(grade, self._sum(entry)) for grade, entry in sorted(self.running.items()) if entry[1]]
        if whole:
            result.append(_Group(WHOLE, tuple(whole), sum(entry[1] for entry in self.running.values())))
        parts: dict = defaultdict(lambda: (defaultdict(lambda: ZERO), [0]))
        for share, grade, fte in self.partial.get(month, ()):
            by_grade, slots = parts[share]
            by_grade[grade] += fte
            slots[0] += 1
        result.extend(_Group(share, tuple(sorted(by_grade.items())), slots[0])
                      for share, (by_grade, slots) in sorted(parts.items()))
        return tuple(result)

    @staticmethod
    def _sum(entry) -> Decimal:
        """The running sum with the exponent of ZERO + each active FTE (the subtractions of ended ones left out)."""
        exponent = min([0, *(e for e, count in entry[2].items() if count)])
        return entry[0].quantize(Decimal(1).scaleb(exponent))


def _state(block: BlockInput, rates, costs: dict, month: date, ledger: Ledger, epoch: int,
           staffing: _Staffing | None = None) -> _State:
    group_list = staffing.groups(month) if staffing is not None else _groups(block, month)
    valid = [(r, _norm(r.share_in(month))) for r in rates if r.share_in(month).days]
    per_unit = tuple(sorted(((r.cost_type, to_decimal(r.annual), s) for r, s in valid if r.kind != FIXED),
                            key=lambda x: (COST_TYPE_ORDER.get(x[0], 99), x[1], x[2])))
    fixed = tuple(sorted((r.cost_type, to_decimal(r.annual), s, r.max_units) for r, s in valid if r.kind == FIXED))
    grades = sorted({grade for g in group_list for grade, _ in g.fte_by_grade})
    wpc = tuple((grade, workplace_cost(costs, grade, month)) for grade in grades)
    third: dict = defaultdict(lambda: ZERO)
    for share_input in block.third_parties:
        share = _norm(share_input.share_in(month))
        if share.days:
            third[(share_input.label, to_decimal(share_input.annual_per_fte), share)] += to_decimal(share_input.fte)
    third_t = tuple(sorted(((k[0], k[1], v, k[2]) for k, v in third.items()), key=lambda x: (x[0], x[1], x[3])))

    # Limits, binding only: the units first, then the amounts on the grant those units give.
    units = sum((_units(block, g) for g in group_list), ZERO)
    unit_limit = None
    candidates = []
    for decision in block.decisions:
        if decision.units is not None and decision.share_in(month).days:
            available = decision.units - ledger.units[(decision.units_key or decision.key, month)]
            label = "Förderstellen" if block.basis != PER_FTE else "VZÄ"
            candidates.append((f"{decision.label}: {format_fte(decision.units)} {label}", max(available, ZERO)))
    for rate, _ in valid:
        if rate.max_units is not None and rate.kind != FIXED:
            available = rate.max_units - ledger.units[(rate_key(block, rate), month)]
            candidates.append((f"Fördersatz: höchstens {_count(rate.max_units)} Stellen", max(available, ZERO)))
    if candidates:
        text, available = min(candidates, key=lambda c: c[1])
        if units > available:
            unit_limit = (text, available)
    effective = unit_limit[1] if unit_limit else units
    monthly = {cost_type: ZERO for cost_type, _, _ in per_unit}
    for cost_type, annual, share in per_unit:
        monthly[cost_type] += sum((min(_units(block, g), effective) * annual * share.value * g.share.value / TWELVE
                                   for g in group_list), ZERO)
    whole = sum(monthly.values(), ZERO) + sum((a * s.value / TWELVE for _, a, s, _ in fixed), ZERO)
    amount_limits = []
    for decision in block.decisions:
        share = _norm(decision.share_in(month))
        if decision.amount is not None and share.days:
            # What the decision passes on to third parties is not the county's (Nr. 12 VV zu § 44 LHO).
            per_month = decision.available / months_in(decision.start, decision.end) * share.value
            available = max(per_month - ledger.amounts[(decision.key, month)], ZERO)
            if whole > available:
                amount_limits.append((f"{decision.label}: {decision.amount_text}", None, available,
                                      per_month - available))
    for rate, share in valid:
        if rate.cap is not None:
            per_month = to_decimal(rate.cap) / TWELVE * share.value
            available = max(per_month - ledger.amounts[(rate_key(block, rate), month)], ZERO)
            own = monthly.get(rate.cost_type, ZERO) if rate.kind != FIXED else to_decimal(rate.annual) * share.value / TWELVE
            if own > available:
                amount_limits.append((f"Fördersatz: höchstens {format_money(rate.cap)} im Jahr",
                                      rate.cost_type if rate.kind != FIXED else "fixed:" + rate.cost_type, available,
                                      per_month - available))
    return _State(group_list, per_unit, fixed, wpc, third_t, unit_limit, tuple(amount_limits), epoch)


def _count(value: Decimal) -> str:
    """A number of posts: 2, 1,5."""
    value = to_decimal(value)
    return str(int(value)) if value == value.to_integral_value() else format_fte(value)



def _n(months: list[date]) -> str:
    return "1 Monat" if len(months) == 1 else f"{len(months)} Monate"


def _span(months: list[date]) -> str:
    if len(months) == 1:
        return month_label(months[0])
    return f"{month_label(months[0])}–{month_label(months[-1])}"


def _part(share: Share) -> str:
    return f" × {share.text}" if not share.whole else ""


def _segment(block: BlockInput, state: _State, n: int, suffix: str):
    """Figures (EUR) and lines of one segment of n months with nothing changing.

    Returns (total, grant, third, own, lines, limits, parties, split): EUR amounts, the lines with their arithmetic,
    the limits that bound the grant, for a partner-employed block who bears the third-party amount, and the grant
    by cost type (split_by_cost_type).
    """
    lines: list[Line] = []
    limits: list[str] = []
    total = ZERO
    for group in state.groups:
        costs = dict(state.costs)
        for grade, grade_fte in group.fte_by_grade:
            annual = costs[grade]
            unit = period_amount(annual, n, group.share)
            amount = round_euro(grade_fte * unit)
            total += amount
            part = f" (anteilig {group.share.text})" if not group.share.whole else ""
            lines.append(Line(
                "total", f"Gesamtkosten {grade}{part}{suffix}", grade_fte, unit, amount,
                f"{format_fte(grade_fte)} VZÄ × {format_money(unit)} = {format_money(amount)}",
                f"Arbeitsplatzkosten {grade} {format_money(annual)} × {n}/12{_part(group.share)} = {format_money(unit)}",
            ))

    grant = ZERO
    remaining = state.unit_limit[1] if state.unit_limit else None
    component_amounts = defaultdict(lambda: ZERO)
    for group in state.groups:
        units = _units(block, group)
        if remaining is not None:
            units = min(units, remaining)
            remaining -= units
        components = [(cost_type, annual, rate_share, period_amount(annual * rate_share.value, n, group.share))
                      for cost_type, annual, rate_share in state.rates]
        if not components:
            continue
        unit_grant = sum((c[3] for c in components), ZERO)
        amount = round_euro(units * unit_grant)
        for cost_type, _, _, per_unit in components:
            component_amounts[cost_type] += units * per_unit
        grant += amount
        detail = " + ".join(
            f"{COST_TYPE_LABELS.get(t, t)} {format_money(a)}{_part(rs)} × {n}/12{_part(group.share)} = {format_money(p)}"
            for t, a, rs, p in components)
        if block.basis == PER_FTE:
            quantity, unit_label = format_fte(units), "VZÄ"
        else:
            quantity = str(int(units)) if units == units.to_integral_value() else format_fte(units)
            unit_label = "Förderstelle" if units == 1 else "Förderstellen"
        text = f"{quantity} {unit_label} × {format_money(unit_grant)} = {format_money(amount)}"
        if state.unit_limit:
            text += f", begrenzt durch {state.unit_limit[0]}"
        part = f" (anteilig {group.share.text})" if not group.share.whole else ""
        lines.append(Line("grant", f"Förderung{part}{suffix}", units, unit_grant, amount, text, detail))
    if state.unit_limit:
        limits.append(f"begrenzt durch {state.unit_limit[0]}")

    for cost_type, annual, share, max_units in state.fixed:
        amount = period_amount(annual * share.value, n)
        text = f"Festbetrag {format_money(annual)}{_part(share)} × {n}/12 = {format_money(amount)}"
        fte = state.fte
        if max_units is not None and fte > max_units:
            ceiling = round_euro(total * max_units / fte)
            if amount > ceiling:
                amount = ceiling
                text += f", gedeckelt auf die Kosten von {format_fte(max_units)} VZÄ: {format_money(ceiling)}"
                limits.append(f"begrenzt durch die Kosten von höchstens {format_fte(max_units)} VZÄ")
        component_amounts["fixed:" + cost_type] += amount
        grant += amount
        lines.append(Line("grant", f"Förderung {COST_TYPE_LABELS.get(cost_type, cost_type)} (Festbetrag){suffix}",
                          None, None, amount, text))

    for text, cost_type, per_month, taken in state.amount_limits:
        ceiling = round_euro(per_month * n)
        # Shared with other blocks: say what they took, so that "→ 0 €" explains itself (a fresh user's trial).
        shared = (f" (davon für andere Blöcke bereits gebunden: {format_money(round_euro(taken * n))})"
                  if round_euro(taken * n) else "")
        if cost_type is None:
            if grant > ceiling:
                lines.append(Line("grant", f"Förderung, begrenzt{suffix}", None, None, ceiling,
                                  f"{format_money(grant)}, begrenzt durch {text}{shared} → {format_money(ceiling)}"))
                grant = ceiling
                limits.append(f"begrenzt durch {text}")
        else:
            own = round_euro(component_amounts.get(cost_type, ZERO))
            if own > ceiling:
                grant -= own - ceiling
                lines.append(Line("grant", f"Förderung, begrenzt{suffix}", None, None, grant,
                                  f"{COST_TYPE_LABELS.get(cost_type.removeprefix('fixed:'), cost_type)} "
                                  f"{format_money(own)}, begrenzt durch {text}{shared} → {format_money(ceiling)}"))
                limits.append(f"begrenzt durch {text}")
    grant = max(grant, ZERO)
    # Rates are caps ("bis zu"): the grant never exceeds the cost.
    if grant > total:
        last = max(i for i, line in enumerate(lines) if line.field == "grant")
        line = lines[last]
        lines[last] = Line(line.field, line.label, line.quantity, line.unit_amount, total,
                           f"{line.text}, gedeckelt auf die Kosten {format_money(total)}", line.detail)
        grant = total
        limits.append("begrenzt durch die Kosten")

    third = ZERO
    parties: dict = {}
    if block.borne_by:
        top_up = ZERO
        if block.county_top_up:
            # The county's voluntary top-up per FTE is its own share, never more than what the grant leaves.
            unit = period_amount(block.county_top_up, n)
            top_up = min(sum((round_euro(g.fte * period_amount(block.county_top_up, n, g.share))
                              for g in state.groups), ZERO), total - grant)
            lines.append(Line(
                "own_share", f"Zuschuss des Kreises{suffix}", state.fte, unit, top_up,
                f"{format_fte(state.fte)} VZÄ × {format_money(unit)} = {format_money(top_up)}",
                f"{format_money(block.county_top_up)} je VZÄ × {n}/12 = {format_money(unit)}",
            ))
        third = total - grant - top_up
        employer, parties = employer_lines(
            block, [g.share for g in state.groups], third, n, suffix,
            f"{format_money(total)} − {format_money(grant)} − {format_money(top_up)} = {format_money(third)}"
            if top_up else f"{format_money(total)} − {format_money(grant)} = {format_money(third)}")
        lines.extend(employer)
    else:
        fte = state.fte
        for label, annual, share_fte, share in state.third:
            share_fte = min(share_fte, fte)
            unit = period_amount(annual, n, share)
            amount = min(round_euro(share_fte * unit), total - grant - third)
            third += amount
            lines.append(Line(
                "third_party", f"{label}{suffix}", share_fte, unit, amount,
                f"{format_fte(share_fte)} VZÄ × {format_money(unit)} = {format_money(amount)}",
                f"{format_money(annual)} × {n}/12{_part(share)} = {format_money(unit)}",
            ))
    own = total - grant - third
    lines.append(Line(
        "own_share", f"Eigenanteil{suffix}", None, None, own,
        f"{format_money(total)} − {format_money(grant)} − {format_money(third)} = {format_money(own)}"
        if third else f"{format_money(total)} − {format_money(grant)} = {format_money(own)}",
    ))
    return total, grant, third, own, lines, limits, parties, split_by_cost_type(component_amounts, grant)


def split_by_cost_type(parts: dict, grant: Decimal) -> dict[str, Decimal]:
    """The grant (EUR) split over cost types in proportion to ``parts`` (cost type, or "fixed:" + cost type ->
    unrounded EUR the rates give); whole euros half up, the rest on the largest part, so they add up to ``grant``."""
    merged: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for name, amount in parts.items():
        merged[name.removeprefix("fixed:")] += amount
    base = sum(merged.values(), ZERO)
    if not grant or base <= 0:
        return {}
    split = {name: round_euro(amount * grant / base) for name, amount in merged.items() if amount}
    largest = max(split, key=lambda name: (merged[name], name))
    split[largest] += grant - sum(split.values(), ZERO)
    return split


def add_split(into: dict, split: dict) -> None:
    """Add one segment's grant by cost type (EUR) to a block's."""
    for name, amount in split.items():
        into[name] = into.get(name, ZERO) + amount


def _record(block: BlockInput, state: _State, rates, months: list[date], grant: Decimal, ledger: Ledger) -> None:
    """Book what this segment took from shared decision slots and amounts and capped rates."""
    units = state.unit_limit[1] if state.unit_limit else sum((_units(block, g) for g in state.groups), ZERO)
    per_month = grant / len(months)
    for month in months:
        for decision in block.decisions:
            if decision.share_in(month).days:
                ledger.units[(decision.units_key or decision.key, month)] += units
                ledger.amounts[(decision.key, month)] += per_month
        for rate in rates:
            if rate.share_in(month).days and (rate.cap is not None or rate.max_units is not None):
                ledger.units[(rate_key(block, rate), month)] += units
                ledger.amounts[(rate_key(block, rate), month)] += per_month


def _notes(block: BlockInput, months: list[date]) -> list[str]:
    """Months without a decision in force: the grant rests on the rates alone; the page says so."""
    if not block.positions:
        return []
    without = [m for m in months if not any(d.share_in(m).days for d in block.decisions)]
    if not without:
        return []
    span = _span(without) if _contiguous(without) else f"{len(without)} Monaten"
    if not block.decision_needed:
        return [f"ohne Antrag: Förderung nach den Fördersätzen ({span})"]
    return [f"kein Bescheid für {span}: Förderung nach den Fördersätzen"]


def _contiguous(months: list[date]) -> bool:
    return all(add_months(a, 1) == b for a, b in zip(months, months[1:]))


def calculate_block(block: BlockInput, costs: dict, months: list[date], ledger: Ledger | None = None,
                    boundaries: tuple = ()) -> BlockResult:
    """A block's figures for the months (first days), its lines, limits and notes.

    ``ledger`` carries what earlier blocks took from shared limits (and receives what this block takes);
    ``boundaries`` are months where a new segment must start (balance dates, budgeting.engine_coverage).
    Raises CalculationError for a missing workplace cost.
    """
    ledger = ledger if ledger is not None else Ledger()
    rates = effective_rates(block.rates)
    result = BlockResult(key=block.key, label=block.label, module=block.module, fte=ZERO, units=ZERO, lines=[],
                         months=[], borne_by=block.borne_by, budget_line=block.budget_line,
                         programme=block.programme)
    segments: list[tuple[_State, list[date]]] = []
    staffing = _Staffing(block)
    for month in months:
        # A month's state reads only other blocks' use of that month, so all states can be built first.
        state = _state(block, rates, costs, month, ledger, sum(1 for b in boundaries if b <= month), staffing)
        if segments and segments[-1][0] == state:
            segments[-1][1].append(month)
        else:
            segments.append((state, [month]))
    several = len([s for s in segments if s[0].groups]) > 1
    for state, seg_months in segments:
        n = len(seg_months)
        if state.groups:
            suffix = f" ({_span(seg_months)}, {_n(seg_months)})" if several else ""
            total, grant, third, own, lines, limits, parties, split = _segment(block, state, n, suffix)
            add_split(result.grant_by_cost_type, split)
            result.lines.extend(lines)
            for party, amount in parties.items():
                result.parties[party] = result.parties.get(party, ZERO) + amount
            result.limits.extend(limits)
            result.fte = max(result.fte, state.fte)
            result.units = max(result.units, state.fte if block.basis == PER_FTE else Decimal(state.slots))
            _record(block, state, rates, seg_months, grant, ledger)
        else:
            total = grant = third = own = ZERO
        for month, g, t, o in zip(seg_months, spread(grant, n), spread(third, n), spread(own, n)):
            result.months.append(MonthFigures(month, g + t + o, g, t, o))
        result.total += total
        result.grant += grant
        result.third_party += third
        result.own_share += own
    result.notes = _notes(block, months)
    result.limits = list(dict.fromkeys(result.limits))
    return result
