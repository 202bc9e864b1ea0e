"""Months and part months: the calendar arithmetic of the own-share engine (pure, no ORM).

The papers count whole months. A position, rate, third-party share or coverage
that starts or ends within a month counts that month pro rata by calendar days
(TVöD § 24 Abs. 3: "für jeden Kalendertag ... ein Dreißigstel" is the pay
rule for part months; the Land's guidelines pro-rate grants the same way, by
the month's calendar days): a position from 16.06. counts 15/30 of June.
Whole months keep the papers' figures exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache

from kimportal.money import round_euro, to_decimal

TWELVE = Decimal("12")


class CalculationError(ValueError):
    """Input the engine cannot compute with; the message is German and fit for a user."""


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@lru_cache(maxsize=4096)
def month_end(day: date) -> date:
    """The last day of ``day``'s month (cached: the engine asks for the same months over and over)."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from start's month to end's month, inclusive.

    Raises CalculationError when ``end`` lies in a month before ``start``.
    """
    first, last = month_start(start), month_start(end)
    if last < first:
        raise CalculationError("Das Ende des Zeitraums liegt vor dem Beginn.")
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_label(day: date) -> str:
    """MM/YYYY, as the papers write a month."""
    return f"{day:%m/%Y}"


@dataclass(frozen=True, order=True)
class Share:
    """The part of a month something counts for: ``days`` of the month's ``of`` calendar days."""

    days: int
    of: int

    @property
    def whole(self) -> bool:
        return self.days == self.of

    @cached_property
    def value(self) -> Decimal:
        """The share as a Decimal (exact for whole months: 1); computed once per share."""
        return Decimal(1) if self.whole else Decimal(self.days) / Decimal(self.of)

    @property
    def text(self) -> str:
        """"15/30" for a part month, "" for a whole month."""
        return "" if self.whole else f"{self.days}/{self.of}"


@lru_cache(maxsize=65536)
def share_of_month(month: date, start: date | None, end: date | None) -> Share:
    """Which part of ``month`` a span from ``start`` to ``end`` (inclusive, either open) covers, by calendar days.

    Cached per (month, start, end): every rate, decision and third-party share is asked about every month of every
    block, with few distinct spans.

    ``Share(0, n)`` when the span misses the month, ``Share(n, n)`` for the whole month.
    """
    first, last = month_start(month), month_end(month)
    length = last.day
    lo = max(first, start) if start else first
    hi = min(last, end) if end else last
    days = (hi - lo).days + 1 if hi >= lo else 0
    return Share(days, length)


@lru_cache(maxsize=4096)
def months_in(start: date, end: date) -> Decimal:
    """Calendar months from start to end, part months by calendar days (a decision's period: 01.01.–15.03.2022 are
    2 + 15/31 months); 1 for an empty period. Cached: every month of every block asks for its decisions' periods."""
    return sum((share_of_month(m, start, end).value for m in months_between(start, end)), Decimal(0)) or Decimal(1)


def version_end(valid_from: date, valid_until: date | None, other_starts) -> date | None:
    """The last day a version (of a rate) applies: its own end, or for an open end the day before the next newer
    version starts; None: until further notice.

    DOMAIN.md "Rates go on changing": a rate without an end date is valid until a newer one starts (Baustein 2:
    55.000 € until 31.12.2022, 57.000 € from 01.01.2023). ``other_starts``: the start dates of all versions.
    """
    if valid_until is not None:
        return valid_until
    newer = [start for start in other_starts if start > valid_from]
    return min(newer) - timedelta(days=1) if newer else None


def period_amount(annual, months: int, share: Share | None = None) -> Decimal:
    """An annual amount (EUR) for n months (or one part month), rounded to whole euros half up.

    This is the papers' rounding point: 55.000 € for 13 months are 59.583 €; for 15/30 of one month
    55.000 / 12 × 15/30 = 2.292 €.
    """
    value = to_decimal(annual) * months / TWELVE
    if share is not None and not share.whole:
        value = value * share.days / share.of
    return round_euro(value)


def spread(amount: Decimal, months: int) -> list[Decimal]:
    """Split a whole-euro amount over n months by cumulative rounding.

    Every month is round(amount × k/n) − round(amount × (k−1)/n): the months add
    up exactly, and a non-negative amount never gives a negative month.
    """
    cumulative = [round_euro(amount * k / months) for k in range(months + 1)]
    return [cumulative[k + 1] - cumulative[k] for k in range(months)]
