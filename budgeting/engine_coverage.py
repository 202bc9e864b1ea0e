"""Who pays the own shares month by month: appropriations, then coverage sources, the rest unplanned (pure).

Rules (DOMAIN.md, "A balance has a date", "Deadlines by purpose", "Part months"):
- an own share is paid first by its budget line's appropriation for the fiscal year, then by coverage
  sources still usable for the block's purpose, earliest deadline first; what stays is uncovered: the
  unplanned provision (§ 83 GO NRW); commitments (below) come before the appropriation;
- a source's balance is free from a date ("nach abgeschlossener Planung für 2021 ... Restbetrag
  450.000 €, Stand 27.05.2021": free from December 2021). Before it, the planned uses are commitments:
  the source pays them as planned and the balance stays untouched;
- the forecast runs from the balance's date whatever period is displayed: a period starting later first
  draws the months between (budgeting.calculations runs them), one starting earlier never draws the
  balance for months before it is free;
- a deadline within a month covers that month pro rata by calendar days (usable until 15.02.2023 covers
  15/28 of February).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from kimportal.money import round_euro, to_decimal

from .engine_types import ZERO, BlockInput, BlockResult, CalculationInput, CoverageSourceInput, SourceUsage
from .periods import month_end, month_start, share_of_month


def balance_dates(sources, start: date, end: date) -> tuple[date, ...]:
    """Months after ``start`` (up to ``end``) in which a source's balance becomes free.

    The engine starts a new segment there, so the months from the balance date on are computed the same way
    whichever month the displayed period starts with (their own shares, and so what stays uncovered). Whether
    the source is still usable then does not matter: a scenario that only moves a deadline ("verlängert bis
    30.11.2022") must not change a block's cost, grant or own share by a euro of rounding (a fresh user's
    trial of issue 10). A period that starts on the balance date (the papers' 12/2021–12/2022) is not split.
    """
    dates = set()
    for source in sources:
        free = source.free_on
        if free is None:
            continue
        month = month_start(free)
        if start < month <= end:
            dates.add(month)
    return tuple(sorted(dates))


def usable_after(source: CoverageSourceInput, day: date) -> bool:
    """Whether the source may still pay something on or after ``day`` (for any purpose)."""
    untils = [source.usable_until, *(w.usable_until for w in source.windows)]
    return any(until is not None and until >= day for until in untils)


def _plain(value) -> Decimal:
    """An amount as given, but a whole number of euros without its ",00" (450000.00 -> 450000)."""
    value = to_decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _portion(amount: Decimal, days: int, of: int) -> Decimal:
    return amount if days == of else round_euro(amount * days / of)


def appropriations_of(calc: CalculationInput) -> dict:
    """The appropriations as (budget line, fiscal year) -> EUR, to draw from (mutable)."""
    appropriations = defaultdict(lambda: ZERO)
    for a in calc.appropriations:
        appropriations[(a.budget_line, a.fiscal_year)] += _plain(a.amount)
    return appropriations


def forecast(calc: CalculationInput, inputs: tuple[BlockInput, ...], blocks: list[BlockResult], months: list[date],
             appropriations: dict, balances: dict | None = None) -> list[SourceUsage]:
    """Fill each block month's ``covered`` and ``uncovered``; return what each source paid.

    ``appropriations`` ((budget line, year) -> EUR, see appropriations_of) is drawn from in place;
    ``balances`` (source name -> EUR) is what an earlier run left, by default the sources' balances.
    """
    sources = sorted(calc.sources, key=lambda s: (s.usable_until or date.max, s.name))
    remaining = {s.name: _plain(s.balance) for s in sources}
    if balances:
        remaining.update(balances)
    usage = [SourceUsage(s.name, _plain(s.balance), s.usable_until, free_from=s.free_on,
                         drawn_before=_plain(s.balance) - remaining[s.name]) for s in sources]
    for index, month in enumerate(months):
        length = month_end(month).day
        for block_input, block in zip(inputs, blocks):
            figures = block.months[index]
            need = figures.own_share
            if need <= 0:
                continue
            own = figures.own_share
            # Before a balance is free, the planned uses are commitments the source pays as planned, ahead of any
            # appropriation (Vorlage 002: the KIM own shares until November 2021 are paid from the
            # Integrationspauschale; the appropriation of the 2020 positions starts in December 2021).
            drawable_days = {}
            for source, used in zip(sources, usage):
                usable = source.share_for(block_input, month).days
                free = source.free_on
                committed_days = 0
                if usable and free is not None and free > month:
                    committed_days = min(usable, share_of_month(month, None, free - timedelta(days=1)).days)
                drawable_days[source.name] = usable - committed_days
                if committed_days and need > 0:
                    take = min(need, _portion(own, committed_days, length))
                    if take > 0:
                        used.committed[month] = used.committed.get(month, ZERO) + take
                        label = f"{source.name} (verplant)"
                        figures.covered[label] = figures.covered.get(label, ZERO) + take
                        need -= take
            if block.budget_line and need > 0:
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
                drawable = drawable_days[source.name]
                if drawable <= 0 or remaining[source.name] <= 0:
                    continue
                portion = need if drawable == length else min(need, _portion(own, drawable, length))
                take = min(portion, remaining[source.name])
                remaining[source.name] -= take
                used.used[month] = used.used.get(month, ZERO) + take
                figures.covered[source.name] = figures.covered.get(source.name, ZERO) + take
                need -= take
            figures.uncovered = need
    return usage
