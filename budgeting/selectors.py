"""Reads that feed the engine: the county's data as engine input, per scenario.

The engine (budgeting.calculations) knows nothing of the ORM; this module turns
positions, rates, agreements, coverage sources and stated figures into its
dataclasses. Every query is scoped to one county.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from budgeting import calculations as calc
from budgeting.models import Appropriation, CoverageSource, Scenario, StatedFigure
from kimportal.models import County
from programmes.choices import RateKind, SlotBasis
from programmes.models import FundingRate
from staffing.models import DAYS_PER_FTE, CooperationAgreement, CostSplit, Position, WorkplaceCost

BASE_CASE = "Planstand"


def block_key(position: Position) -> str:
    """Positions with the same funding, employer, allocation and own-share budget line form one block."""
    parts = [position.funded_slot.code if position.funded_slot_id else position.module.code]
    if position.allocation_id:
        parts.append(position.allocation.code)
    if position.employer_id:
        parts.append(slugify(position.employer.name))
    if position.own_share_budget_line_id:
        parts.append(f"hh-{slugify(position.own_share_budget_line.code)}")
    return ":".join(parts)


def block_label(position: Position) -> str:
    label = position.module.name
    if position.funded_slot_id:
        label += f": {position.funded_slot.name}"
    if position.allocation_id:
        label += f", {position.allocation.name}"
    if position.employer_id:
        label += f", Anstellungsträger {position.employer.name}"
    if position.own_share_budget_line_id:
        label += ", Eigenanteil im Haushalt veranschlagt"
    return label


def _rates(module_ids) -> dict:
    """Rates per (module, funded slot or None), as engine rates; lump sums are not per position."""
    kinds = {SlotBasis.PER_FTE: RateKind.PER_WORKPLACE, SlotBasis.PER_SLOT: RateKind.PER_SLOT}
    rates = defaultdict(list)
    for rate in FundingRate.objects.filter(module_id__in=module_ids, kind__in=kinds.values()).order_by("valid_from"):
        rates[(rate.module_id, rate.funded_slot_id, rate.kind)].append(
            calc.RateInput(rate.cost_type, rate.amount, rate.valid_from, rate.valid_until)
        )
    return rates, kinds


def _third_parties(county: County) -> dict:
    """Costs municipalities bear per FTE, by allocation: days / 5 × the agreed amount per FTE."""
    shares = defaultdict(list)
    agreements = (
        CooperationAgreement.objects.filter(county=county, allocation__isnull=False)
        .select_related("municipality", "allocation")
        .prefetch_related("cost_splits", "allocation__shares")
    )
    for agreement in agreements:
        days = {s.municipality_id: s.days for s in agreement.allocation.shares.all()}
        fte = days.get(agreement.municipality_id, 0) / DAYS_PER_FTE
        if not fte:
            continue
        for split in agreement.cost_splits.all():
            if split.borne_by == CostSplit.BorneBy.PARTNER and split.annual_per_fte:
                shares[agreement.allocation_id].append(calc.ThirdPartyShare(
                    f"{split.get_item_display()} der Kommunen", fte, split.annual_per_fte,
                    agreement.valid_from, agreement.valid_until,
                ))
    return shares


def workplace_costs() -> dict:
    costs = defaultdict(dict)
    for cost in WorkplaceCost.objects.select_related("pay_grade"):
        costs[cost.pay_grade.code][cost.year] = cost.annual
    return dict(costs)


def calculation_input(county: County, start: date, end: date, scenario: Scenario | None = None,
                      *, costs: dict | None = None) -> calc.CalculationInput:
    """Everything the engine needs for one county, one period and one scenario (None: the base case)."""
    months = calc.months_between(start, end)
    period_start, period_end = months[0], calc.month_end(months[-1])
    positions = list(
        Position.objects.filter(county=county).active_in(period_start, period_end)
        .select_related("module", "funded_slot", "pay_grade", "employer", "allocation", "own_share_budget_line")
        .order_by("module__programme__name", "module__position", "module__code", "pk")
    )
    overrides = {}
    if scenario is not None:
        overrides = {o.position_id: o for o in scenario.position_overrides.all()}
    rates, kinds = _rates({p.module_id for p in positions})
    third = _third_parties(county)

    grouped: dict[str, list[Position]] = {}
    for position in positions:
        override = overrides.get(position.pk)
        if override is not None and override.excluded:
            continue
        if override is not None and override.fte is not None:
            position.fte = override.fte
        grouped.setdefault(block_key(position), []).append(position)

    blocks = []
    for key, members in grouped.items():
        first = members[0]
        basis = first.funded_slot.basis if first.funded_slot_id else SlotBasis.PER_FTE
        block_rates = list(rates.get((first.module_id, first.funded_slot_id, kinds[basis]), []))
        if first.funded_slot_id:
            block_rates += rates.get((first.module_id, None, kinds[basis]), [])
        blocks.append(calc.BlockInput(
            key=key,
            label=block_label(first),
            module=first.module.code,
            basis=calc.PER_FTE if basis == SlotBasis.PER_FTE else calc.PER_SLOT,
            positions=tuple(
                calc.PositionInput(str(p.pk), p.fte, p.pay_grade.code, p.start_on, p.end_on) for p in members
            ),
            rates=tuple(block_rates),
            third_parties=tuple(third.get(first.allocation_id, ())) if first.allocation_id else (),
            borne_by=first.employer.name if first.employer_id else None,
            budget_line=first.own_share_budget_line.code if first.own_share_budget_line_id else None,
        ))

    coverage_overrides = {}
    if scenario is not None:
        coverage_overrides = {o.source_id: o for o in scenario.coverage_overrides.all()}
    sources = []
    for source in CoverageSource.objects.filter(county=county):
        override = coverage_overrides.get(source.pk)
        usable_until = source.effective_until
        balance = source.balance
        if override is not None:
            usable_until = override.usable_until or usable_until
            balance = override.balance if override.balance is not None else balance
        sources.append(calc.CoverageSourceInput(source.name, balance, usable_until, source.balance_as_of))

    appropriations = tuple(
        calc.AppropriationInput(a.budget_line.code, a.fiscal_year, a.amount)
        for a in Appropriation.objects.filter(
            budget_line__county=county, fiscal_year__gte=period_start.year, fiscal_year__lte=period_end.year
        ).select_related("budget_line")
    )

    stated = {}
    cases = Q(scenario__isnull=True) | Q(scenario=scenario) if scenario is not None else Q(scenario__isnull=True)
    figures = StatedFigure.objects.filter(cases, county=county, period_start=period_start, period_end=period_end)
    for figure in figures:
        # A figure stated for this scenario replaces the one stated for all cases.
        key = (figure.block_key, figure.field)
        if key not in stated or figure.scenario_id is not None:
            stated[key] = calc.StatedFigureInput(figure.block_key, figure.field, figure.amount, figure.source)

    return calc.CalculationInput(
        name=scenario.name if scenario is not None else BASE_CASE,
        start=period_start,
        end=months[-1],
        blocks=tuple(blocks),
        workplace_costs=costs if costs is not None else workplace_costs(),
        sources=tuple(sources),
        appropriations=appropriations,
        stated=tuple(stated.values()),
    )


def own_share_comparison(county: County, start: date, end: date, scenarios=None) -> calc.Comparison:
    """The base case and the given scenarios (default: all of the county's), computed side by side."""
    costs = workplace_costs()
    if scenarios is None:
        cases = [None, *Scenario.objects.filter(county=county).prefetch_related(
            "position_overrides", "coverage_overrides")]
    else:
        cases = list(scenarios)
    return calc.compare([calculation_input(county, start, end, case, costs=costs) for case in cases])


# --------------------------------------------------------------------------- for the own-share page and the papers

PAPER_PERIOD = (date(2021, 12, 1), date(2022, 12, 1))  # the period of the committee papers (Vorlage 002)


def default_period(county) -> tuple[date, date]:
    """The papers' period where the county has positions then, otherwise the current calendar year."""
    start, end = PAPER_PERIOD
    if Position.objects.filter(county=county).active_in(start, calc.month_end(end)).exists():
        return start, end
    year = timezone.localdate().year
    return date(year, 1, 1), date(year, 12, 1)


def side_by_side(comparison: calc.Comparison) -> list[dict]:
    """Rows of block label and own share per case; a block a case does not have is None there."""
    keys: dict[str, str] = {}
    for result in comparison.results:
        for block in result.blocks:
            keys.setdefault(block.key, block.label)
    rows = []
    for key, label in keys.items():
        cells = []
        for result in comparison.results:
            block = next((b for b in result.blocks if b.key == key), None)
            cells.append(block.own_share if block is not None else None)
        rows.append({"key": key, "label": label, "cells": cells})
    return rows


def case_blocks(comparison: calc.Comparison) -> list[dict]:
    """Each case with its blocks; a scenario's block marks whether it differs from the base case."""
    base = {b.key: b for b in comparison.results[0].blocks}
    cases = []
    for index, result in enumerate(comparison.results):
        blocks = []
        for block in result.blocks:
            other = base.get(block.key)
            changed = index > 0 and (other is None or any(block.figure(f) != other.figure(f) for f in calc.FIELDS))
            blocks.append({"block": block, "changed": changed, "covered": sorted(block.covered.items())})
        cases.append({"result": result, "blocks": blocks, "is_base": index == 0,
                      "totals": {f: result.total(f) for f in calc.FIELDS}})
    return cases


def differences(comparison: calc.Comparison) -> list[dict]:
    """Stated figures against computed ones; a figure for all cases shows once unless a scenario changes it."""
    seen, rows = set(), []
    for result in comparison.results:
        for difference in result.differences:
            if difference.text in seen:
                continue
            seen.add(difference.text)
            rows.append({"case": result.name, "difference": difference,
                         "field_label": calc.FIELD_LABELS[difference.field]})
    return rows
