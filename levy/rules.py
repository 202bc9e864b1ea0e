"""The Kreisumlage rules: how an amount is split over a county's municipalities by their Umlagegrundlagen.

Pure: Decimals and dataclasses in and out, no ORM, no request.

Source: Vorlage 001 (Rhein-Sieg-Kreis, 2014), Anhang 2 — the KI's extra cost "auf die Kreisumlage für die
kreisangehörigen Städte und Gemeinden"; § 56 KrO NRW (the levy is raised on the municipalities' Umlagegrundlagen);
DOMAIN.md, "Kreisumlage": a municipality's share is its Umlagegrundlagen divided by their sum over the county's
municipalities, and the shares of an amount are rounded so that they add up to it exactly.

Rounding (largest remainder, Hare–Niemeyer): every municipality first gets its exact share rounded down to the
unit (whole euros; cents where the amount itself has cents, so that the parts can add up to it); the units left
over go, one each, to the largest remainders. Ties are broken in a stable, documented order that does not depend
on the order of the input: the larger Umlagegrundlagen first, then the municipality's name (alphabetically).
Each amount is therefore less than one unit away from its exact share, and the amounts add up to the amount.
A negative amount (a refund) is split like its absolute value, with the signs turned.

The shares themselves (basis ÷ sum, shown as "0.1234") are rounded to four places the same way, so that they
add up to exactly 1.0000 as a table's sum row shows them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

ZERO = Decimal("0")
EURO = Decimal("1")
CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")


class LevyError(ValueError):
    """The amount cannot be split: no bases, a negative basis, a zero sum, a float. The message is German."""


@dataclass(frozen=True)
class Basis:
    """A municipality's Umlagegrundlagen (EUR) for one fiscal year."""

    municipality: str
    amount: Decimal


@dataclass(frozen=True)
class Part:
    """One municipality's part of a split amount: its basis (EUR), its share (4 places) and its amount (EUR)."""

    municipality: str
    basis: Decimal
    share: Decimal
    amount: Decimal


def _decimal(value, what: str) -> Decimal:
    if isinstance(value, float) or not isinstance(value, (Decimal, int)):
        raise LevyError(f"{what} muss ein Dezimalbetrag sein, keine Gleitkommazahl ({value!r}).")
    return Decimal(value)


def _largest_remainder(units: int, bases: Sequence[Basis], weights: Sequence[Fraction]) -> list[int]:
    """``units`` (a whole number ≥ 0) apportioned by ``weights`` (summing to 1): whole numbers adding up to it."""
    exact = [units * weight for weight in weights]
    floors = [int(value.numerator // value.denominator) for value in exact]
    left = units - sum(floors)
    order = sorted(range(len(bases)),
                   key=lambda i: (-(exact[i] - floors[i]), -bases[i].amount, bases[i].municipality, i))
    for index in order[:left]:
        floors[index] += 1
    return floors


def split(amount: Decimal, bases: Sequence[Basis], *, unit: Decimal | None = None) -> tuple[Part, ...]:
    """``amount`` (EUR) split over ``bases`` in proportion to their Umlagegrundlagen.

    Returns one Part per basis, in the order given; the amounts add up exactly to ``amount``. ``unit``: the
    smallest amount handed out (default: 1 € for a whole-euro amount, 0,01 € otherwise).

    Raises LevyError (German message) for no bases, a negative basis, a sum of zero, a float, or an amount
    finer than ``unit``.
    """
    amount = _decimal(amount, "Der Betrag")
    bases = list(bases)
    if not bases:
        raise LevyError("Es sind keine Umlagegrundlagen erfasst; der Betrag lässt sich nicht aufteilen.")
    values = [_decimal(b.amount, f"Die Umlagegrundlagen von {b.municipality}") for b in bases]
    negative = [b.municipality for b, v in zip(bases, values) if v < 0]
    if negative:
        raise LevyError(f"Umlagegrundlagen können nicht negativ sein ({', '.join(negative)}).")
    total = sum(values, ZERO)
    if total == 0:
        raise LevyError("Die Summe der Umlagegrundlagen ist 0 €; der Betrag lässt sich nicht aufteilen.")
    if unit is None:
        unit = EURO if amount == amount.to_integral_value() else CENT
    units = Fraction(abs(amount)) / Fraction(unit)
    if units.denominator != 1:
        raise LevyError(f"Der Betrag {amount} lässt sich nicht in Schritten von {unit} € aufteilen.")
    weights = [Fraction(v) / Fraction(total) for v in values]
    counts = _largest_remainder(int(units), bases, weights)
    shares = _largest_remainder(int(1 / SHARE_PLACES), bases, weights)
    sign = -1 if amount < 0 else 1
    return tuple(
        Part(b.municipality, v, (count_share * SHARE_PLACES).quantize(SHARE_PLACES),
             (sign * count * unit).quantize(unit) + ZERO)
        for b, v, count, count_share in zip(bases, values, counts, shares))


# --------------------------------------------------------------------------- a case's own share by fiscal year


@dataclass(frozen=True)
class YearSplit:
    """One fiscal year of a case: its own share (EUR), the year whose bases split it (``bases_year``, which is
    the fiscal year or the latest earlier year with bases; None: none recorded, ``parts`` empty, ``note`` says so)."""

    fiscal_year: int
    own_share: Decimal
    bases_year: int | None
    parts: tuple[Part, ...]
    note: str = ""

    @property
    def split_total(self) -> Decimal:
        return sum((p.amount for p in self.parts), ZERO)


@dataclass(frozen=True)
class MunicipalityRow:
    """A municipality's amounts per fiscal year (EUR; None where it had no basis that year) and their sum."""

    municipality: str
    cells: tuple[Part | None, ...]
    total: Decimal


@dataclass(frozen=True)
class CaseSplit:
    """A case's own share split over the municipalities, fiscal year by fiscal year and summed."""

    case: str
    years: tuple[YearSplit, ...]
    rows: tuple[MunicipalityRow, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def split_years(self) -> tuple[YearSplit, ...]:
        """The years that were split (had bases), in order: the columns of a table."""
        return tuple(year for year in self.years if year.parts)

    @property
    def total(self) -> Decimal:
        """What was split (EUR): the case's own share of every fiscal year with bases."""
        return sum((row.total for row in self.rows), ZERO)

    @property
    def own_share(self) -> Decimal:
        return sum((year.own_share for year in self.years), ZERO)


def bases_for(fiscal_year: int, bases_by_year: Mapping[int, Sequence[Basis]]) -> tuple[int | None, Sequence[Basis]]:
    """The bases that split a fiscal year: its own, else the latest earlier year's; (None, ()) if there are none."""
    years = [year for year, bases in bases_by_year.items() if year <= fiscal_year and bases]
    if not years:
        return None, ()
    year = max(years)
    return year, bases_by_year[year]


def split_case(case: str, own_share_by_year: Mapping[int, Decimal],
               bases_by_year: Mapping[int, Sequence[Basis]]) -> CaseSplit:
    """Split a case's own share (EUR per fiscal year) over the municipalities, year by year, and sum per municipality.

    A fiscal year without bases (none for it or any earlier year) is not split: a note says so
    ("Für 2022 sind keine Umlagegrundlagen erfasst …"). A year whose bases cannot split it (sum 0) gets the
    LevyError's message as its note. Rows are the municipalities of the split years, by name.
    """
    years, notes = [], []
    for fiscal_year in sorted(own_share_by_year):
        amount = own_share_by_year[fiscal_year]
        bases_year, bases = bases_for(fiscal_year, bases_by_year)
        if bases_year is None:
            note = (f"Für {fiscal_year} sind keine Umlagegrundlagen erfasst; der Eigenanteil "
                    f"{fiscal_year} wird nicht aufgeteilt.")
            years.append(YearSplit(fiscal_year, amount, None, (), note))
            notes.append(note)
            continue
        try:
            parts = split(amount, bases)
        except LevyError as exc:
            note = f"{fiscal_year}: {exc}"
            years.append(YearSplit(fiscal_year, amount, None, (), note))
            notes.append(note)
            continue
        note = ""
        if bases_year != fiscal_year:
            note = (f"Für {fiscal_year} sind keine Umlagegrundlagen erfasst; aufgeteilt nach den "
                    f"Umlagegrundlagen {bases_year}.")
            notes.append(note)
        years.append(YearSplit(fiscal_year, amount, bases_year, parts, note))
    split_years = [year for year in years if year.parts]
    names = sorted({part.municipality for year in split_years for part in year.parts})
    rows = []
    for name in names:
        cells = tuple(next((p for p in year.parts if p.municipality == name), None) for year in split_years)
        rows.append(MunicipalityRow(name, cells, sum((c.amount for c in cells if c is not None), ZERO)))
    return CaseSplit(case, tuple(years), tuple(rows), tuple(notes))


def own_share_by_year(months: Iterable[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """(fiscal year, own share EUR) per month of every block → own share per fiscal year (the calendar year)."""
    totals: dict[int, Decimal] = {}
    for year, amount in months:
        totals[year] = totals.get(year, ZERO) + amount
    return totals
