"""Reads that feed the engine: the county's data as engine input, per scenario.

The engine (budgeting.calculations) knows nothing of the ORM; this module turns
positions, rates, agreements, coverage sources and stated figures into its
dataclasses. Every query is scoped to one county.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify

from budgeting import calculations as calc
from budgeting.cache import cached, cases_key
from budgeting.lump_sum_inputs import decision_label, lump_sum_blocks
from budgeting.models import Appropriation, CoverageSource, CoverageWindow, Scenario, StatedFigure
from kimportal.models import County
from kimportal.money import format_money
from kimportal.terms import unit_terms
from programmes.choices import RateKind, SlotBasis
from programmes.models import FundingRate, GrantDecision, GrantedSlot, PassThrough
from staffing.models import DAYS_PER_FTE, CooperationAgreement, CostSplit, OwnShareSplit, Position, WorkplaceCost

BASE_CASE = "Planstand"
# Apps that give a scenario assumptions of their own register here (in AppConfig.ready) a callable
# (county, scenario, loaded) -> (appropriations as calc.AppropriationInput, grant decisions as _decisions reads them):
# the year-end rollover's copied appropriations and expected decisions (rollover.selectors.scenario_additions).
SCENARIO_ADDITIONS: list = []


def block_key(position: Position, splits=()) -> str:
    """Positions with the same funding, employer, allocation and own-share budget line form one block;
    a position whose own share municipalities split (``splits``: its OwnShareSplit rows) is a block of its own."""
    parts = [position.funded_slot.code if position.funded_slot_id else position.module.code]
    if position.allocation_id:
        parts.append(position.allocation.code)
    if position.employer_id:
        parts.append(slugify(position.employer.name))
        if position.county_top_up:
            parts.append(f"zuschuss-{position.county_top_up:.0f}")
        if splits:
            # The agreement splits this post's own share: computed on its own (staffing.splits).
            parts.append(f"geteilt-{position.pk}")
    if position.own_share_budget_line_id:
        parts.append(f"hh-{slugify(position.own_share_budget_line.code)}")
    return ":".join(parts)


def block_label(position: Position, splits=()) -> str:
    label = position.module.name
    if position.funded_slot_id:
        label += f": {position.funded_slot.name}"
    if position.allocation_id:
        label += f", {position.allocation.name}"
    if position.employer_id:
        label += f", Anstellungsträger {position.employer.name}"
        if position.county_top_up:
            label += f", Zuschuss des Kreises {format_money(position.county_top_up)} je VZÄ"
        if splits:
            label += f", {position.title}, Eigenanteil geteilt mit {', '.join(s.partner.name for s in splits)}"
    if position.own_share_budget_line_id:
        label += ", Eigenanteil im Haushalt veranschlagt"
    return label


def position_splits(county: County) -> dict:
    """position id -> its OwnShareSplit rows (partner loaded), for every position of the county: one query."""
    splits: dict = defaultdict(list)
    for split in own_share_split_rows([county]):
        splits[split.position_id].append(split)
    return splits


def own_share_split_rows(counties):
    """The own-share splits of the counties' positions (a queryset, partner loaded), in the order the blocks name
    them; budgeting.state_batch reads them for many counties at once."""
    return (OwnShareSplit.objects.filter(position__county__in=counties).select_related("partner")
            .order_by("partner__name", "pk"))


def split_inputs(position: Position, splits) -> tuple[calc.SplitInput, ...]:
    """The municipalities' parts of the position's own share by agreement, for its current (scenario) FTE."""
    rules = [split.rule() for split in splits]
    return tuple(calc.SplitInput(rule.party, rule.fraction(position.fte), rule.annual_amount,
                                 rule.basis_text(position.fte)) for rule in rules)


def _rates(module_ids) -> dict:
    """Rates per (module, funded slot or None, kind), as engine rates; lump sums are not per position.

    A "Festbetrag bis zu" (fixed_capped) rate joins the blocks of either basis as a fixed amount per year.
    """
    kinds = {SlotBasis.PER_FTE: RateKind.PER_WORKPLACE, SlotBasis.PER_SLOT: RateKind.PER_SLOT}
    rates = defaultdict(list)
    for rate in FundingRate.objects.filter(
            module_id__in=module_ids, kind__in=[*kinds.values(), RateKind.FIXED_CAPPED]).order_by("valid_from"):
        fixed = rate.kind == RateKind.FIXED_CAPPED
        rates[(rate.module_id, rate.funded_slot_id, rate.kind)].append(calc.RateInput(
            rate.cost_type, rate.cap if fixed and rate.cap is not None and rate.cap < rate.amount else rate.amount,
            rate.valid_from, rate.valid_until, kind=calc.FIXED if fixed else calc.RATE,
            cap=None if fixed else rate.cap, max_units=rate.max_fte, key=f"rate-{rate.pk}", source=rate.source,
        ))
    return rates, kinds




def _decisions(county: County) -> list[GrantDecision]:
    """All the county's grant decisions with their slots and first-level pass-throughs (three queries; the engine
    applies each in its period)."""
    return with_slots_and_pass_throughs(list(GrantDecision.objects.filter(county=county).order_by("period_start", "pk")),
                                        [county])


def with_slots_and_pass_throughs(decisions: list[GrantDecision], counties) -> list[GrantDecision]:
    """The decisions of the ``counties`` (instances or ids), each with its granted slots and first-level
    pass-throughs (recipient loaded, by recipient name) set as if prefetched, as plain lists: two queries for any
    number of decisions. ``prefetch_related`` would build a queryset per decision and bind every decision's id, which
    at state scale (4.400 decisions) costs more than the queries (issue 13)."""
    slots, passing = defaultdict(list), defaultdict(list)
    for slot in GrantedSlot.objects.filter(decision__county__in=counties):  # their default order, as prefetched
        slots[slot.decision_id].append(slot)
    for row in (PassThrough.objects.filter(decision__county__in=counties, parent__isnull=True)
                .select_related("recipient").order_by("recipient__name", "pk")):
        passing[row.decision_id].append(row)
    for decision in decisions:
        decision._prefetched_objects_cache = {"slots": slots[decision.pk], "pass_throughs": passing[decision.pk]}
    return decisions


def block_decisions(decisions, position: Position, basis: str) -> tuple:
    """The decisions that rule a block: its module's, or its programme's when they name no module.

    A decision's slots for the block's funded slot are its units (FTE: count × nominal FTE for per-FTE
    blocks; the count for per-slot blocks); a decision that lists slots, none of them this block's, grants
    it none. Its amount, less what it passes on to third parties (its first-level pass-throughs, Nr. 12 VV
    zu § 44 LHO: 300.000 € − 55.000 € an Stadt Troisdorf leave 245.000 €), is shared by every block of the
    county's own posts. A block whose posts a recipient of a pass-through employs draws on what is passed on
    to that recipient instead (``decisions``: from _decisions, their first-level pass-throughs loaded).
    """
    found = []
    for decision in decisions:
        if decision.module_id != position.module_id and not (
                decision.module_id is None and decision.programme_id == position.module.programme_id):
            continue
        slots = list(decision.slots.all())
        units = None
        if slots and position.funded_slot_id:
            mine = [s for s in slots if s.funded_slot_id == position.funded_slot_id]
            units = sum(((s.count if basis == SlotBasis.PER_SLOT else s.count * s.nominal_fte) for s in mine),
                        calc.ZERO)
        common = dict(label=decision_label(decision), start=decision.period_start, end=decision.period_end,
                      units=units, units_key=f"decision-{decision.pk}:{position.funded_slot_id}")
        passings = [(p.recipient_id, p.recipient.name, p.amount) for p in decision.pass_throughs.all()]
        received = [(name, amount) for recipient, name, amount in passings
                    if position.employer_id and recipient == position.employer_id and amount is not None]
        if received:
            # The employer's posts draw on what the decision passes on to it, not on the county's rest.
            found.append(calc.DecisionInput(key=f"decision-{decision.pk}:an-{position.employer_id}",
                                            amount=sum((amount for _, amount in received), calc.ZERO),
                                            received=tuple(received), **common))
            continue
        found.append(calc.DecisionInput(
            key=f"decision-{decision.pk}", amount=decision.amount,
            passed_on=tuple((name, amount) for _, name, amount in passings), **common))
    return tuple(found)


def coverage_sources(county: County) -> list[CoverageSource]:
    """The county's coverage sources with their deadlines by purpose (two queries)."""
    return list(coverage_source_rows([county]))


def coverage_source_rows(counties):
    """The counties' coverage sources with their deadlines by purpose (a queryset), by key."""
    windows = Prefetch("windows", queryset=CoverageWindow.objects.select_related("programme", "module"))
    return CoverageSource.objects.filter(county__in=counties).prefetch_related(windows).order_by("pk")


def drawing_start(sources, period_start: date) -> date:
    """The first day positions are needed for: the earliest balance date before the period (engine rule).

    A scenario may extend any source, so every balance date before the period counts.
    """
    earliest = period_start
    for source in sources:
        free = source.free_on
        if free and free < period_start:
            earliest = min(earliest, calc.month_start(free))
    return earliest


def third_party_agreements(counties):
    """The cooperation agreements with an allocation of the counties (a queryset; municipality, allocation, cost
    splits and the allocation's shares loaded): what _third_parties computes from."""
    return (CooperationAgreement.objects.filter(county__in=counties, allocation__isnull=False)
            .select_related("municipality", "allocation")
            .prefetch_related("cost_splits", "allocation__shares").order_by("pk"))


def _third_parties(county: County, agreements: list | None = None) -> dict:
    """Costs municipalities bear per FTE, by allocation: days / 5 × the agreed amount per FTE.

    The line names the bearers as the county's pages do: "der Kommunen", a kreisfreie Stadt's "der Stadtbezirke"
    (kimportal.terms). ``agreements``: the county's, read beforehand (budgeting.state_batch), else read here."""
    shares = defaultdict(list)
    if agreements is None:
        agreements = list(third_party_agreements([county]))
    bearers = unit_terms(county.kind, {agreement.municipality.kind for agreement in agreements}).plural
    for agreement in agreements:
        days = {s.municipality_id: s.days for s in agreement.allocation.shares.all()}
        fte = days.get(agreement.municipality_id, 0) / DAYS_PER_FTE
        if not fte:
            continue
        for split in agreement.cost_splits.all():
            if split.borne_by == CostSplit.BorneBy.PARTNER and split.annual_per_fte:
                shares[agreement.allocation_id].append(calc.ThirdPartyShare(
                    f"{split.get_item_display()} der {bearers}", fte, split.annual_per_fte,
                    agreement.valid_from, agreement.valid_until,
                ))
    return shares


def workplace_costs() -> dict:
    costs = defaultdict(dict)
    for cost in WorkplaceCost.objects.select_related("pay_grade"):
        costs[cost.pay_grade.code][cost.year] = cost.annual
    return dict(costs)


def calculation_input(county: County, start: date, end: date, scenario: Scenario | None = None,
                      *, costs: dict | None = None, loaded: dict | None = None,
                      lump_sums: bool = True) -> calc.CalculationInput:
    """Everything the engine needs for one county, one period and one scenario (None: the base case).

    ``lump_sums`` False: only the blocks of positions, without the programmes' blocks without positions
    (lump_sum_blocks), as the KIM paper computes Vorlage 002.

    ``loaded``: a dict the caller keeps across the cases of one comparison; the county's coverage sources,
    grant decisions, own-share splits and third parties' shares are read into it once instead of once per case
    (budgeting.state_batch fills it for many counties at once; "agreements" and "costs" may be given there too).
    """
    months = calc.months_between(start, end)
    period_start, period_end = months[0], calc.month_end(months[-1])
    loaded = {} if loaded is None else loaded
    if "sources" not in loaded:
        loaded["sources"] = coverage_sources(county)
    # Positions from the earliest balance date on: a later period first draws the months in between.
    first_day = drawing_start(loaded["sources"], period_start)
    if "decisions" not in loaded:
        loaded["decisions"] = _decisions(county)
    if "splits" not in loaded:
        loaded["splits"] = position_splits(county)
    splits = loaded["splits"]
    positions = list(
        Position.objects.filter(county=county).active_in(first_day, period_end)
        .select_related("module__programme", "funded_slot", "pay_grade", "employer", "allocation",
                        "own_share_budget_line")
        .order_by("module__programme__name", "module__position", "module__code", "pk")
    )
    overrides = {}
    if scenario is not None:
        overrides = {o.position_id: o for o in scenario.position_overrides.all()}
    rates, kinds = _rates({p.module_id for p in positions})
    if "third" not in loaded:
        loaded["third"] = _third_parties(county, loaded.get("agreements"))
    third = loaded["third"]
    decisions = loaded["decisions"]
    added_appropriations = []
    for addition in SCENARIO_ADDITIONS if scenario is not None else ():
        more_appropriations, more_decisions = addition(county, scenario, loaded)
        added_appropriations += more_appropriations
        decisions = [*decisions, *more_decisions]

    grouped: dict[str, list[Position]] = {}
    for position in positions:
        override = overrides.get(position.pk)
        if override is not None and override.excluded:
            continue
        if override is not None and override.fte is not None:
            position.fte = override.fte
        grouped.setdefault(block_key(position, splits.get(position.pk, ())), []).append(position)

    blocks = []
    for key, members in grouped.items():
        first = members[0]
        basis = first.funded_slot.basis if first.funded_slot_id else SlotBasis.PER_FTE
        block_rates = []
        for kind in (kinds[basis], RateKind.FIXED_CAPPED):
            block_rates += rates.get((first.module_id, first.funded_slot_id, kind), [])
            if first.funded_slot_id:
                block_rates += rates.get((first.module_id, None, kind), [])
        blocks.append(calc.BlockInput(
            key=key,
            label=block_label(first, splits.get(first.pk, ())),
            module=first.module.code,
            basis=calc.PER_FTE if basis == SlotBasis.PER_FTE else calc.PER_SLOT,
            positions=tuple(
                calc.PositionInput(str(p.pk), p.fte, p.pay_grade.code, p.start_on, p.end_on) for p in members
            ),
            rates=tuple(block_rates),
            third_parties=tuple(third.get(first.allocation_id, ())) if first.allocation_id else (),
            borne_by=first.employer.name if first.employer_id else None,
            county_top_up=first.county_top_up if first.employer_id else None,
            splits=split_inputs(first, splits.get(first.pk, ())) if first.employer_id else (),
            budget_line=first.own_share_budget_line.code if first.own_share_budget_line_id else None,
            decisions=block_decisions(decisions, first, basis),
            decision_needed=first.module.application_required,
            programme=first.module.programme.code,
        ))

    appropriations = tuple(
        calc.AppropriationInput(a.budget_line.code, a.fiscal_year, a.amount)
        for a in Appropriation.objects.filter(
            budget_line__county=county, fiscal_year__gte=first_day.year, fiscal_year__lte=period_end.year
        ).select_related("budget_line")
    ) + tuple(a for a in added_appropriations if first_day.year <= a.fiscal_year <= period_end.year)
    if lump_sums:
        scenario_loaded = loaded if decisions is loaded["decisions"] else {**loaded, "decisions": decisions}
        blocks += lump_sum_blocks(county, scenario_loaded, appropriations, {p.module.code for p in positions},
                                  first_day, period_end)

    coverage_overrides = {}
    if scenario is not None:
        coverage_overrides = {o.source_id: o for o in scenario.coverage_overrides.all()}
    sources = []
    for source in loaded["sources"]:
        override = coverage_overrides.get(source.pk)
        usable_until = source.effective_until
        balance = source.balance
        windows = [(w.module.code if w.module_id else w.programme.code, w.usable_until, str(w))
                   for w in source.windows.all()]
        if override is not None and override.usable_until:
            # A scenario's new deadline ("verlängert bis 30.11.2022") holds for every use of the source.
            usable_until = override.usable_until
            windows = [(purpose, override.usable_until, label) for purpose, _, label in windows]
        if override is not None and override.balance is not None:
            balance = override.balance
        sources.append(calc.CoverageSourceInput(
            source.name, balance, usable_until, source.balance_as_of, source.balance_free_from,
            tuple(calc.UsageWindow(frozenset({purpose}), until, label) for purpose, until, label in windows),
        ))

    stated = {}
    cases = Q(scenario__isnull=True) | Q(scenario=scenario) if scenario is not None else Q(scenario__isnull=True)
    figures = StatedFigure.objects.filter(cases, county=county, period_start=period_start, period_end=period_end)
    for figure in figures:
        if not lump_sums and figure.block_key == calc.ALL_BLOCKS:
            continue  # a total over all programmes needs every programme's blocks
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


def own_share_comparison(county: County, start: date, end: date, scenarios=None, *,
                         loaded: dict | None = None, lump_sums: bool = True) -> calc.Comparison:
    """The base case and the given scenarios (default: all of the county's), computed side by side.

    ``loaded``: see calculation_input; pass one dict to several calls for the same county to read its coverage
    sources and grant decisions once. ``lump_sums``: see calculation_input. Raises CalculationError (budgeting.periods) for unusable input.
    """
    def compute() -> calc.Comparison:
        costs = loaded.get("costs") if loaded is not None else None
        costs = costs if costs is not None else workplace_costs()
        if scenarios is None:
            cases = [None, *Scenario.objects.filter(county=county).prefetch_related(
                "position_overrides", "coverage_overrides")]
        else:
            cases = list(scenarios)
        known = {} if loaded is None else loaded
        return calc.compare([calculation_input(county, start, end, case, costs=costs, loaded=known,
                                               lump_sums=lump_sums) for case in cases])

    # One computation per data version (budgeting.cache): the county's version covers its scenarios too.
    which = cases_key(scenarios)
    return cached(county.pk, "own-share", (start, end, which, lump_sums), compute)


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
                         "field_label": calc.STATED_FIELD_LABELS[difference.field]})
    return rows
