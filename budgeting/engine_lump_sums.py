"""Blocks without positions: what a programme's grant decision pays and what the county's own funds spend (pure).

Most of a KI's programmes fund no position the county records: KOMM-AN Programmteil II, Rucksack Kita and Schule
(IfKuF), the four Bausteine of "Durchstarten", "Guter Lebensabend" (passed through to a welfare organisation), the
Sprachmittlerpool. Their grant is what the Land's rates give for the months a grant decision is in force (Vorlage
000: "Die einzelnen Förderungen enden grundsätzlich zum 31.12.2022"), within the decision's stated amount:

- a "Jahrespauschale" or a "Festbetrag bis zu" (``LumpSumInput`` without ``units``): the annual amount × n/12;
- an amount per post (KOMM-AN Programmteil I: 57.000 € per full post, at most 2 posts and 114.000 € a year;
  DOMAIN.md "Rules real counties need"): the posts the decision grants × the amount × n/12, at most
  ``max_units`` posts and ``cap`` EUR a year;
- the decision's stated amount bounds the sum (pro rata by calendar months of its period, shared with the other
  blocks of the decision through the engine's ledger, budgeting.engine_blocks.Ledger);
- without a decision in force a funded lump sum pays nothing, unless the module is funded "ohne Antrag".

A module whose positions the county records (KIM Baustein 1) is computed from them, but its slot-independent
Jahrespauschalen (events 10.000 €, measures 30.000 € a year, Vorlage 002) are a block of their own beside the
positions (``BlockInput.alongside_positions``): paid by the rates in the same months as the positions, also where
no decision is in force ("kein Bescheid …: Förderung nach den Fördersätzen"), and cost-neutral.

Every lump-sum line names its source (``Line.source``): the rate's (a guideline or a paper), the decision's
("Bescheid vom …"; an amount the decision's note calls an assumption says "Annahme") or the appropriation's
("Haushaltsansatz 2022 (…)"). An amount from a guideline is never called "laut Bescheid".

Such a block spends what it is granted: total cost = grant, own share 0 (a KI spends a Land lump sum "bis zu"
its amount; costs beyond it would be recorded as positions or own funds). The county's own programme (Projektmittel,
50.000 € a year in the budget, Vorlage 000) is a block of own funds: cost and own share, no grant, on the budget
line whose appropriation covers it. So neither kind adds to the unplanned provision: the grant pays the first,
the appropriation the second (budgeting.engine_coverage).

Rounding as the papers do it (DOMAIN.md "Own-share calculation"): each annual amount for the segment's n months is
rounded to whole euros half up, then multiplied by the posts and rounded again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kimportal.money import format_fte, format_money, round_euro, to_decimal

from .engine_blocks import Ledger, split_by_cost_type
from .engine_types import COST_TYPE_LABELS, ZERO, BlockInput, BlockResult, Line, MonthFigures
from .periods import TWELVE, Share, add_months, month_label, months_in, period_amount, spread


def is_lump_sum_block(block: BlockInput) -> bool:
    """A block of lump sums only (no positions): computed by calculate_lump_sums."""
    return bool(block.lump_sums) and not block.positions


@dataclass(frozen=True)
class _Part:
    key: str
    label: str
    cost_type: str
    annual: Decimal
    share: Share
    units: Decimal | None
    funded: bool
    cap: Decimal | None
    limited_units: bool  # the posts were cut to the rate's maximum
    source: str
    unsplit: bool


@dataclass(frozen=True)
class _State:
    parts: tuple  # (_Part, ...)
    amount_limits: tuple  # ((text, EUR per month available), ...) where a decision's amount binds


WHOLE = Share(1, 1)


def _norm(share: Share) -> Share:
    return WHOLE if share.whole else share



def _count(value: Decimal) -> str:
    value = to_decimal(value)
    return str(int(value)) if value == value.to_integral_value() else format_fte(value)


def _state(block: BlockInput, month: date, ledger: Ledger) -> _State:
    # Beside positions the lump sums follow the positions' rule: the rates pay also without a decision in force.
    decided = block.alongside_positions or any(d.share_in(month).days for d in block.decisions)
    parts = []
    for lump_sum in block.lump_sums:
        share = lump_sum.share_in(month)
        if not share.days or (lump_sum.funded and block.decision_needed and not decided):
            continue
        units, limited = lump_sum.units, False
        if units is not None and lump_sum.max_units is not None and units > lump_sum.max_units:
            units, limited = lump_sum.max_units, True
        parts.append(_Part(lump_sum.key, lump_sum.label, lump_sum.cost_type, to_decimal(lump_sum.annual),
                           _norm(share), units, lump_sum.funded, lump_sum.cap, limited, lump_sum.source,
                           lump_sum.unsplit))
    monthly = sum((p.annual * (p.units if p.units is not None else 1) * p.share.value / TWELVE
                   for p in parts if p.funded), ZERO)
    limits = []
    for decision in block.decisions:
        share = decision.share_in(month)
        if decision.amount is not None and share.days:
            per_month = to_decimal(decision.amount) / months_in(decision.start, decision.end) * share.value
            available = max(per_month - ledger.amounts[(decision.key, month)], ZERO)
            if monthly > available:
                limits.append((f"{decision.label}: {format_money(decision.amount)}", available))
    return _State(tuple(parts), tuple(limits))


def _part(share: Share) -> str:
    return f" × {share.text}" if not share.whole else ""


# How a line names what the money is for: material, events and measures are "Sachausgaben" (Vorlage 002).
SPENDING_LABELS = {
    "personnel": "Personalkosten",
    "material": "Sachausgaben",
    "events": "Sachausgaben Veranstaltungen",
    "measures": "Sachausgaben Maßnahmen",
}
COST_NEUTRAL = "kostenneutral: Ausgaben in Höhe der Förderung"


def _source_text(part: _Part) -> str:
    return f"; Quelle: {part.source}" if part.source else "; Quelle nicht erfasst"


def _segment(block: BlockInput, state: _State, n: int, suffix: str):
    """One segment of n months: (total, grant, own, unsplit, lines, limits, grant by cost type), EUR.

    A funded line reads "Sachausgaben Veranstaltungen: Jahrespauschale 10.000 € × 13/12 = 10.833 €, kostenneutral:
    Ausgaben in Höhe der Förderung; Quelle: …"; an own-funds line "Haushaltsansatz 2022 (…) 50.000 € × 12/12 = …".
    """
    lines, limits, parts = [], [], {}
    grant = own = unsplit = ZERO
    for part in state.parts:
        unit = period_amount(part.annual * part.share.value, n)
        if part.units is not None:
            amount = round_euro(part.units * unit)
            text = (f"{part.label}: {_count(part.units)} Stelle{'' if part.units == 1 else 'n'} × "
                    f"{format_money(part.annual)}{_part(part.share)} × {n}/12 = {format_money(amount)}")
            if part.limited_units:
                text += f" (höchstens {_count(part.units)} Stellen)"
                limits.append(f"begrenzt durch den Fördersatz: höchstens {_count(part.units)} Stellen")
        else:
            amount = unit
            name = part.source if not part.funded and part.source else part.label
            text = f"{name}{':' if ',' in name else ''} {format_money(part.annual)}{_part(part.share)} × {n}/12 = " \
                   f"{format_money(amount)}"
        if part.cap is not None:
            ceiling = period_amount(to_decimal(part.cap) * part.share.value, n)
            if amount > ceiling:
                amount = ceiling
                text += f", höchstens {format_money(part.cap)} im Jahr: {format_money(ceiling)}"
                limits.append(f"begrenzt durch den Fördersatz: höchstens {format_money(part.cap)} im Jahr")
        if part.funded:
            grant += amount
            if part.unsplit:
                unsplit += amount
            parts[part.cost_type] = parts.get(part.cost_type, ZERO) + amount
            label = SPENDING_LABELS.get(part.cost_type, COST_TYPE_LABELS.get(part.cost_type, part.cost_type))
            lines.append(Line("grant", f"{label}{suffix}", part.units, unit, amount,
                              f"{text}, {COST_NEUTRAL}{_source_text(part)}", source=part.source))
        else:
            own += amount
            kind = COST_TYPE_LABELS.get(part.cost_type, part.cost_type)
            lines.append(Line("total", f"Eigene Mittel {kind}{suffix}", None, unit, amount, text,
                              source=part.source))
    for text, per_month in state.amount_limits:
        ceiling = round_euro(per_month * n)
        if grant > ceiling:
            lines.append(Line("grant", f"Förderung, begrenzt{suffix}", None, None, ceiling,
                              f"{format_money(grant)} begrenzt durch {text}: {format_money(ceiling)}"))
            grant = ceiling
            limits.append(f"begrenzt durch {text}")
    total = grant + own
    if grant:
        lines.append(Line("total", f"Gesamtkosten in Höhe der Förderung{suffix}", None, None, grant,
                          f"Ausgaben bis zur Höhe der Zuwendung: {format_money(grant)}"))
    lines.append(Line("own_share", f"Eigenanteil{suffix}", None, None, own,
                      f"{format_money(total)} − {format_money(grant)} = {format_money(own)}"))
    return total, grant, own, min(unsplit, grant), lines, limits, split_by_cost_type(parts, grant)


def _span(months: list[date]) -> str:
    return month_label(months[0]) if len(months) == 1 else f"{month_label(months[0])}–{month_label(months[-1])}"


def _months_without_decision(block: BlockInput, months: list[date]) -> str | None:
    """The months the block's funded lump sums run without a decision, as "01/2022–06/2022" or "3 Monate"."""
    funded = [ls for ls in block.lump_sums if ls.funded]
    without = [m for m in months if any(ls.share_in(m).days for ls in funded)
               and not any(d.share_in(m).days for d in block.decisions)]
    if not without:
        return None
    contiguous = all(add_months(a, 1) == b for a, b in zip(without, without[1:]))
    return _span(without) if contiguous else f"{len(without)} Monate"


def _notes(block: BlockInput, months: list[date]) -> list[str]:
    notes = []
    funded = any(ls.funded for ls in block.lump_sums)
    if funded and (block.alongside_positions or block.decision_needed):
        span = _months_without_decision(block, months)
        if span and block.alongside_positions:
            how = "kein Bescheid" if block.decision_needed else "ohne Antrag"
            notes.append(f"{how} für {span}: Förderung nach den Fördersätzen wie für die Stellen")
        elif span:
            notes.append(f"kein Bescheid für {span}: keine Förderung")
    for recipient, amount, start, end in block.pass_throughs:
        amount_text = format_money(amount) if amount is not None else "Betrag nicht erfasst"
        notes.append(f"davon Weiterleitung an {recipient}: {amount_text} für {start:%d.%m.%Y}–{end:%d.%m.%Y} "
                     "(Teil der Förderung, Nr. 12 VV zu § 44 LHO)")
    return notes


def calculate_lump_sums(block: BlockInput, months: list[date], ledger: Ledger | None = None) -> BlockResult:
    """A block of lump sums for the months (first days): its figures (EUR), lines, limits and notes.

    ``ledger`` carries what earlier blocks took from their decisions' amounts and receives what this block takes.
    Raises nothing: a lump sum without a valid month simply pays nothing.
    """
    ledger = ledger if ledger is not None else Ledger()
    result = BlockResult(key=block.key, label=block.label, module=block.module, fte=ZERO, units=ZERO, lines=[],
                         months=[], budget_line=block.budget_line, programme=block.programme,
                         lump_sum=True, alongside_positions=block.alongside_positions)
    segments: list[tuple[_State, list[date]]] = []
    for month in months:
        state = _state(block, month, ledger)
        if segments and segments[-1][0] == state:
            segments[-1][1].append(month)
        else:
            segments.append((state, [month]))
    several = len([s for s in segments if s[0].parts]) > 1
    for state, seg_months in segments:
        n = len(seg_months)
        total = grant = own = ZERO
        if state.parts:
            suffix = f" ({_span(seg_months)}, {n} Monat{'' if n == 1 else 'e'})" if several else ""
            total, grant, own, unsplit, lines, limits, split = _segment(block, state, n, suffix)
            result.grant_unsplit += unsplit
            result.lines.extend(lines)
            result.limits.extend(limits)
            for name, amount in split.items():
                result.grant_by_cost_type[name] = result.grant_by_cost_type.get(name, ZERO) + amount
            for month in seg_months:
                for decision in block.decisions:
                    if decision.share_in(month).days:
                        ledger.amounts[(decision.key, month)] += grant / n
        for month, g, o in zip(seg_months, spread(grant, n), spread(own, n)):
            result.months.append(MonthFigures(month, g + o, g, ZERO, o))
        result.total += total
        result.grant += grant
        result.own_share += own
    result.notes = _notes(block, months)
    result.limits = list(dict.fromkeys(result.limits))
    return result
