"""Reads for the Kreisumlage: a county's Umlagegrundlagen and each case's own share split over its municipalities.

The figures are the own-share comparison's (budgeting.selectors.own_share_comparison): a case's own share per
month, from its blocks' months, summed per fiscal year; levy.rules splits each year. Only municipalities of the
kind "Stadt / Gemeinde" pay the levy; districts and offices of a kreisfreie Stadt do not, and a kreisfreie Stadt
raises no Kreisumlage at all (§ 56 KrO NRW: the levy is a Kreis' own).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from budgeting import calculations as calc
from kimportal.models import County, Municipality

from .models import LevyBasis
from .rules import Basis, CaseSplit, own_share_by_year, split_case

CITY_NOTE = ("{county} ist eine kreisfreie Stadt und erhebt keine Kreisumlage; der Eigenanteil wird nicht auf "
             "Kommunen umgelegt.")


@dataclass(frozen=True)
class LevyOverview:
    """The Kreisumlage of a comparison: ``applies`` False for a kreisfreie Stadt (``note`` says so, no cases)."""

    applies: bool
    note: str
    cases: tuple[CaseSplit, ...]
    # Where the Umlagegrundlagen come from, per fiscal year ("2022: Näherung, keine amtliche Zahl …"): papers and
    # pages print them, so an approximation is never read as official data (a fresh user's trial of issue 11).
    sources: tuple[str, ...] = ()

    def case(self, name: str) -> CaseSplit | None:
        return next((case for case in self.cases if case.case == name), None)


def levy_bases(county: County, sources: dict | None = None) -> dict[int, tuple[Basis, ...]]:
    """fiscal year -> the Umlagegrundlagen of the county's municipalities (kind "gemeinde") in it, by name.

    One query. ``sources``, if given, receives fiscal year -> the distinct sources of that year's bases.
    """
    bases: dict = defaultdict(list)
    for record in (LevyBasis.objects.filter(municipality__county=county,
                                            municipality__kind=Municipality.Kind.MUNICIPALITY)
                   .select_related("municipality").order_by("fiscal_year", "municipality__name")):
        bases[record.fiscal_year].append(Basis(record.municipality.name, record.amount))
        if sources is not None and record.source:
            sources.setdefault(record.fiscal_year, {})[record.source] = None
    return {year: tuple(items) for year, items in bases.items()}


def case_own_share_by_year(result: calc.CalculationResult) -> dict:
    """A case's own share (EUR) per fiscal year of the period, from its blocks' months (which add up to the blocks'
    figures); a fiscal year of the period without any own share is there with 0 €."""
    totals = {month.year: calc.ZERO for month in result.months}
    for year, amount in own_share_by_year(
            (month.month.year, month.own_share) for block in result.blocks for month in block.months).items():
        totals[year] = totals.get(year, calc.ZERO) + amount
    return totals


def levy_overview(county: County, comparison: calc.Comparison) -> LevyOverview:
    """Each case's own share split over the county's municipalities by the Umlagegrundlagen, fiscal year by year.

    A kreisfreie Stadt: no split, a note. Otherwise one query for the bases, whatever the number of cases.
    """
    if county.kind == County.Kind.KREISFREIE_STADT:
        return LevyOverview(False, CITY_NOTE.format(county=county.name), ())
    found: dict = {}
    bases = levy_bases(county, found)
    cases = tuple(split_case(result.name, case_own_share_by_year(result), bases) for result in comparison.results)
    used = sorted({y.bases_year for case in cases for y in case.split_years})
    sources = tuple(f"{year}: {'; '.join(found[year])}" for year in used if found.get(year))
    return LevyOverview(True, "", cases, sources)
