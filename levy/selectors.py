"""Reads for the Kreisumlage: a county's Umlagegrundlagen and each case's own share split over its municipalities.

The figures are the own-share comparison's (budgeting.selectors.own_share_comparison): a case's own share per
month, from its blocks' months, summed per fiscal year; levy.rules splits each year. Only municipalities of the
kind "Stadt / Gemeinde" pay the levy; districts and offices of a kreisfreie Stadt do not, and a kreisfreie Stadt
raises no Kreisumlage at all (§ 56 KrO NRW: the levy is a Kreis' own).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from budgeting import calculations as calc
from kimportal.models import County, Municipality
from programmes.models import Module

from .models import LevyBasis
from .rules import Basis, CaseSplit, own_share_by_year, split_case

# What is split (issue 11 §4): the own-share page and own_share split the own share of everything the comparison
# holds; the KIM paper computes only the blocks of positions (Vorlage 002) and splits that. Each says which.
SCOPE_ALL = "Eigenanteil aller Programme (Stellen, Pauschalen, Festbeträge und eigene Mittel)"
SCOPE_POSITIONS = "Eigenanteil der Stellen"
SHORT_MODULE = re.compile(r"^(\w+) (\d+)$")

CITY_NOTE = ("{county} ist eine kreisfreie Stadt und erhebt keine Kreisumlage; der Eigenanteil wird nicht auf "
             "Kommunen umgelegt.")


@dataclass(frozen=True)
class LevyOverview:
    """The Kreisumlage of a comparison: ``applies`` False for a kreisfreie Stadt (``note`` says so, no cases)."""

    applies: bool
    note: str
    cases: tuple[CaseSplit, ...]
    # What own share is split, in words: SCOPE_ALL, or SCOPE_POSITIONS with the programmes and modules
    # ("Eigenanteil der Stellen: Kommunales Integrationsmanagement (KIM), Bausteine 1–3"); "" for a kreisfreie Stadt.
    scope: str = ""
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


def _numbered(names: list[str]) -> str:
    """Short module names in words: ["Baustein 1", "Baustein 2", "Baustein 3"] → "Bausteine 1–3",
    ["Baustein 1", "Baustein 3"] → "Bausteine 1, 3"; anything else listed as it is."""
    matches = [SHORT_MODULE.match(name) for name in names]
    if len(names) < 2 or not all(matches) or len({m.group(1) for m in matches}) != 1:
        return ", ".join(names)
    numbers = sorted(int(m.group(2)) for m in matches)
    consecutive = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    listed = f"{numbers[0]}–{numbers[-1]}" if consecutive else ", ".join(map(str, numbers))
    return f"{matches[0].group(1)}e {listed}"


def positions_scope(comparison: calc.Comparison) -> str:
    """SCOPE_POSITIONS with the programmes and modules of the base case's blocks, e.g. "Eigenanteil der Stellen:
    Kommunales Integrationsmanagement (KIM), Bausteine 1–3". One query (the modules' names)."""
    codes = {block.module for block in comparison.results[0].blocks} if comparison.results else set()
    modules: dict[str, list[str]] = {}
    for module in (Module.objects.filter(code__in=codes).select_related("programme")
                   .order_by("programme__name", "position", "name")):
        modules.setdefault(module.programme.name, []).append(module.name.split(" – ")[0].strip())
    if not modules:
        return SCOPE_POSITIONS
    return f"{SCOPE_POSITIONS}: " + "; ".join(f"{programme}, {_numbered(names)}" for programme, names in modules.items())


def levy_overview(county: County, comparison: calc.Comparison, *, lump_sums: bool = True) -> LevyOverview:
    """Each case's own share split over the county's municipalities by the Umlagegrundlagen, fiscal year by year.

    ``lump_sums``: as the comparison was computed (budgeting.selectors.own_share_comparison): True, the own share
    of all programmes (the own-share page, own_share); False, only the blocks of positions (the KIM paper). It
    only names what is split (``scope``); the figures are the comparison's. A kreisfreie Stadt: no split, a note.
    Otherwise one query for the bases, whatever the number of cases (and one for the modules' names without
    lump sums).
    """
    if county.kind == County.Kind.KREISFREIE_STADT:
        return LevyOverview(False, CITY_NOTE.format(county=county.name), ())
    found: dict = {}
    bases = levy_bases(county, found)
    cases = tuple(split_case(result.name, case_own_share_by_year(result), bases) for result in comparison.results)
    used = sorted({y.bases_year for case in cases for y in case.split_years})
    sources = tuple(f"{year}: {'; '.join(found[year])}" for year in used if found.get(year))
    scope = SCOPE_ALL if lump_sums else positions_scope(comparison)
    return LevyOverview(True, "", cases, sources=sources, scope=scope)
