"""The own-share engine: pure arithmetic on dataclasses and Decimals, no ORM.

It follows the committee papers (DOMAIN.md, "Own-share calculation") and the rules real counties need
("Rules real counties need"):

    total cost   = FTE × workplace cost per FTE for n months      (KGSt, per pay grade)
    grant        = the smallest of: units × rates (or a fixed amount) for n months, what the grant
                   decision in force grants (slots, amount), the rate's caps (posts, EUR a year), the cost
    third party  = costs borne by municipalities or partners for n months
    own share    = total cost − grant − third party

Rounding happens at one documented point: every amount per FTE or per slot for the period (the
workplace cost, each rate, each municipal share) is rounded to whole euros half up; the rounded grant
components are added per unit; the product with the FTE or the number of slots is rounded half up
again. 55,000 and 9,700 for 13 months: 59,583 + 10,508 = 70,091; × 3.5 = 245,319.

The engine works month by month: consecutive months in which nothing changes (same positions, same
rates, same workplace costs, no binding limit changing) form one segment and are computed together, so
a period that spans a rate change uses each rate for its own months. Part months count pro rata by
calendar days (budgeting.periods). A segment's figures are spread over its months by cumulative
rounding, so the months always add up exactly to the period's figures. Who pays the own shares is the
coverage forecast (budgeting.engine_coverage).

Modules: budgeting.periods (months), budgeting.engine_types (dataclasses), budgeting.engine_blocks
(one block of positions), budgeting.engine_lump_sums (a block without positions: a decision's lump sums or the
county's own funds), budgeting.engine_coverage (appropriations and coverage sources). This module puts them
together and keeps the names the rest of the application imports.
"""
from __future__ import annotations

from datetime import date

from kimportal.money import format_money

from .engine_blocks import Ledger, calculate_block, effective_rates, workplace_cost  # noqa: F401
from .engine_lump_sums import calculate_lump_sums, is_lump_sum_block
from .engine_coverage import appropriations_of, balance_dates, forecast, usable_after
from .engine_types import (  # noqa: F401
    ALL_BLOCKS, COST_TYPE_LABELS, COST_TYPE_ORDER, FIELD_LABELS, FIELDS, FIXED, PER_FTE, PER_SLOT, PROGRAMME_PREFIX,
    RATE, STATED_FIELD_LABELS, ZERO, AppropriationInput, BlockInput, BlockResult, CalculationInput, CalculationResult,
    Comparison, CoverageSourceInput, DecisionInput, Difference, Line, LumpSumInput, MonthFigures, PositionInput,
    RateInput, SourceUsage, SplitInput, StatedFigureInput, ThirdPartyShare, UsageWindow,
)
from .periods import (  # noqa: F401
    TWELVE, CalculationError, Share, add_months, month_end, month_label, month_start, months_between,
    period_amount, share_of_month, spread,
)


def drawing_start(calc: CalculationInput) -> date:
    """The month the coverage forecast starts with: the earliest balance date before the period, if any.

    DOMAIN.md: "the uncovered amount of a month never depends on the month a user starts the displayed
    period with" – a period starting after a balance date first draws the months in between.
    """
    start = month_start(calc.start)
    earliest = [month_start(s.free_on) for s in calc.sources
                if s.free_on is not None and month_start(s.free_on) < start and usable_after(s, s.free_on)]
    return min(earliest, default=start)


def _blocks(calc: CalculationInput, months: list[date], boundaries: tuple) -> list[BlockResult]:
    ledger = Ledger()
    return [calculate_lump_sums(block, months, ledger) if is_lump_sum_block(block)
            else calculate_block(block, calc.workplace_costs, months, ledger, boundaries) for block in calc.blocks]


def calculate(calc: CalculationInput) -> CalculationResult:
    """One case for the period: blocks, coverage, differences to stated figures.

    Raises CalculationError for a period ending before it starts or a missing workplace cost.
    """
    months = months_between(calc.start, calc.end)
    first = drawing_start(calc)
    boundaries = balance_dates(calc.sources, first, months[-1])
    appropriations = appropriations_of(calc)
    balances = None
    if first < months[0]:
        # The months between the balance date and the period's start draw first (their own run).
        before = months_between(first, add_months(months[0], -1))
        early = _blocks(calc, before, boundaries)
        # Appropriations are planned for the displayed period: the early run draws on a copy of them.
        drawn = forecast(calc, calc.blocks, early, before, appropriations_of(calc))
        balances = {u.name: u.closing_balance for u in drawn}
    blocks = _blocks(calc, months, boundaries)
    sources = forecast(calc, calc.blocks, blocks, months, appropriations, balances)
    # Blocks of positions active only before the period (loaded for the drawing months) are not shown.
    # Blocks of lump sums without a figure in the period (their decisions lie outside it) are not shown either.
    shown = [b for b, block in zip(blocks, calc.blocks)
             if (is_lump_sum_block(block) and (b.total or b.grant))
             or (not is_lump_sum_block(block)
                 and (not block.positions or any(p.active_in(m) for p in block.positions for m in months)))]
    differences = [difference for stated in calc.stated
                   if (difference := stated_difference(stated, shown)) is not None]
    return CalculationResult(calc.name, months[0], months[-1], months, shown, sources, differences)


def stated_difference(stated: StatedFigureInput, blocks: list[BlockResult]) -> Difference | None:
    """A stated figure against the computed one: of its block, of every block (ALL_BLOCKS, Vorlage 000's Land
    totals) or of one programme's blocks ("programm:<code>"); None where the case has no such block or field."""
    if stated.field not in STATED_FIELD_LABELS:
        return None
    if stated.block_key == ALL_BLOCKS:
        chosen, key, label = blocks, ALL_BLOCKS, "Alle Programme"
    elif stated.block_key.startswith(PROGRAMME_PREFIX):
        code = stated.block_key.removeprefix(PROGRAMME_PREFIX)
        chosen = [b for b in blocks if b.programme == code]
        key, label = stated.block_key, f"Programm {code}"
        if not chosen:
            return None
    else:
        chosen = [b for b in blocks if b.key == stated.block_key]
        if not chosen:
            return None
        key, label = chosen[0].key, chosen[0].label
    computed = sum((b.figure(stated.field) for b in chosen), ZERO)
    several = stated.block_key == ALL_BLOCKS or stated.block_key.startswith(PROGRAMME_PREFIX)
    explanation = stated_explanation(stated.field, chosen) if several else ""
    return Difference(key, label, stated.field, stated.amount, computed, stated.source, explanation)


def stated_explanation(field: str, blocks: list[BlockResult]) -> str:
    """What a computed Land total over several blocks consists of, so a difference to a paper's total can be read
    ("" for other fields). Vorlage 000 states rounded totals ("rd.") of an attachment whose amounts are not recorded:
    the difference is what the paper plans beyond the recorded positions, rates and decisions.

    grant_personnel: the positions' grant (for the months they are filled: a vacant funded slot gets none,
    DOMAIN.md "Vacancies cost grant") and the lump sums' and fixed amounts'; grant_material: the positions'
    material rates, the lump sums, and within them the decided amounts not split by cost type.
    """
    if field not in ("grant_personnel", "grant_material"):
        return ""
    positions = sum((b.figure(field) for b in blocks if not b.lump_sum), ZERO)
    lump_sums = sum((b.figure(field) for b in blocks if b.lump_sum), ZERO)
    if field == "grant_personnel":
        parts = [f"Förderung der Stellen für die Monate ihrer Besetzung {format_money(positions)}",
                 f"Festbeträge und Pauschalen ohne Stellen {format_money(lump_sums)}"]
    else:
        unsplit = sum((b.grant_unsplit for b in blocks), ZERO)
        parts = [f"Sachkostensätze der Stellen {format_money(positions)}",
                 f"Jahrespauschalen und Beträge der Bescheide {format_money(lump_sums)}"
                 + (f" (darin {format_money(unsplit)} ohne Aufteilung nach Kostenarten, als Sachkosten gezählt)"
                    if unsplit else "")]
    return ("berechnet aus den erfassten Stellen, Fördersätzen und Bescheiden: " + "; ".join(parts)
            + ". Die Einzelbeträge der Vorlage sind nicht erfasst; die Differenz ist, was sie darüber hinaus "
              "plant (gerundete Beträge, unbesetzte bewilligte Förderstellen, Änderungen nach der Planung)")


def compare(calcs: list[CalculationInput]) -> Comparison:
    """Several cases side by side. Raises CalculationError for an empty list."""
    if not calcs:
        raise CalculationError("Keine Berechnung angegeben.")
    return Comparison([calculate(c) for c in calcs])
