"""The whole state at once (issue 13): every county's own shares for one period, their inputs read together.

Computing the counties one by one reads each county's coverage sources, grant decisions (with their slots and
pass-throughs), own-share splits, cooperation agreements and the KGSt workplace costs with queries of their own:
about 16 per county, 900 for the 54 counties of NRW. Here each of those tables is read once for all counties whose
result is not in the cache yet, and split by county into the ``loaded`` dict budgeting.selectors.calculation_input
takes. The figures are exactly those of own_share_comparison county by county; results already computed for the
data version come from the cache (budgeting.cache) without reading anything.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import F

from budgeting import calculations as calc
from budgeting.cache import MISSING, cases_key, peek
from budgeting.selectors import (coverage_source_rows, own_share_comparison, own_share_split_rows,
                                 third_party_agreements, with_slots_and_pass_throughs, workplace_costs)
from programmes.models import GrantDecision


def preload(counties) -> dict[int, dict]:
    """county id -> the ``loaded`` dict of calculation_input, filled for all ``counties`` with one query per table
    (coverage sources and their windows, grant decisions with slots and first-level pass-throughs, own-share splits,
    cooperation agreements with cost splits and allocation shares) and the KGSt costs read once."""
    ids = [county.pk for county in counties]
    costs = workplace_costs()
    loaded = {county_id: {"sources": [], "decisions": [], "splits": defaultdict(list), "agreements": [],
                          "costs": costs} for county_id in ids}
    for source in coverage_source_rows(ids):
        loaded[source.county_id]["sources"].append(source)
    for decision in with_slots_and_pass_throughs(list(GrantDecision.objects.filter(county__in=ids)
                                                      .order_by("period_start", "pk")), ids):
        loaded[decision.county_id]["decisions"].append(decision)
    for split in own_share_split_rows(ids).annotate(position_county=F("position__county_id")):
        loaded[split.position_county]["splits"][split.position_id].append(split)
    for agreement in third_party_agreements(ids):
        loaded[agreement.county_id]["agreements"].append(agreement)
    return loaded


def state_comparisons(counties, start: date, end: date, scenarios=(None,), *,
                      lump_sums: bool = True) -> dict[int, calc.Comparison]:
    """county id -> own_share_comparison(county, start, end, scenarios) for every county (default: the base case
    alone), in the order given. Results cached for the data version are taken from the cache; the others are
    computed with their inputs read together (preload). Raises CalculationError as own_share_comparison does."""
    counties = list(counties)
    which = cases_key(list(scenarios))
    results: dict[int, calc.Comparison] = {}
    missing = []
    for county in counties:
        found = peek(county.pk, "own-share", (start, end, which, lump_sums))  # own_share_comparison's key
        if found is MISSING:
            missing.append(county)
        else:
            results[county.pk] = found
    loaded = preload(missing) if missing else {}
    for county in missing:
        results[county.pk] = own_share_comparison(county, start, end, list(scenarios), loaded=loaded[county.pk],
                                                  lump_sums=lump_sums)
    return {county.pk: results[county.pk] for county in counties}
