"""Reads of the rollover: a county's year as rollover.rules input, and a rollover scenario's engine additions."""
from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q

from budgeting import calculations as calc
from budgeting.models import Appropriation
from kimportal.models import County
from programmes.models import GrantDecision, GrantedSlot
from staffing.models import Position

from . import rules
from .models import ExpectedDecision, ExpectedSlot, Rollover


def rollover_input(county: County, year: int) -> rules.RolloverInput:
    """Year ``year``'s appropriations (and those of the year after), the positions active in or after it and all
    grant decisions of the county, as rollover.rules dataclasses (four queries)."""
    appropriations = tuple(
        rules.AppropriationIn(a.budget_line_id, a.budget_line.code, a.budget_line.name, a.fiscal_year, a.amount)
        for a in Appropriation.objects.filter(budget_line__county=county, fiscal_year__in=(year, year + 1))
        .select_related("budget_line").order_by("budget_line__code", "fiscal_year"))
    positions = tuple(
        rules.PositionIn(p.pk, p.position_number, p.title, p.module.code, p.fte, p.start_on, p.end_on,
                         p.fixed_term_until)
        for p in Position.objects.filter(county=county).filter(Q(end_on__isnull=True) | Q(end_on__gte=date(year, 1, 1)))
        .select_related("module").order_by("module__code", "position_number", "title", "pk"))
    slots = Prefetch("slots", queryset=GrantedSlot.objects.select_related("funded_slot").order_by("funded_slot__code"))
    decisions = tuple(
        rules.DecisionIn(
            d.pk, decision_text(d), d.programme_id, d.programme.name, d.module_id,
            d.module.name if d.module_id else None, d.period_start, d.period_end, d.amount,
            tuple(rules.SlotIn(s.funded_slot_id, s.funded_slot.name, s.count, s.nominal_fte) for s in d.slots.all()),
            d.programme.ends_on, land=d.programme.county_id is None, expected=d.expected)
        for d in GrantDecision.objects.filter(county=county).select_related("programme", "module")
        .prefetch_related(slots).order_by("period_start", "pk"))
    return rules.RolloverInput(year, appropriations, positions, decisions)


def decision_text(decision: GrantDecision) -> str:
    """"Bescheid vom 22.02.2021 (01.01.2021–31.12.2021)", "Bescheid 01.01.2021–31.12.2022" or, not yet decided,
    "erwarteter Bescheid 01.01.2023–31.12.2023 (noch kein Bescheid)"."""
    period = f"{decision.period_start:%d.%m.%Y}–{decision.period_end:%d.%m.%Y}"
    if decision.expected:
        return f"erwarteter Bescheid {period} (noch kein Bescheid)"
    if decision.issued_on:
        return f"Bescheid vom {decision.issued_on:%d.%m.%Y} ({period})"
    return f"Bescheid {period}"


def county_plan(county: County, year: int) -> rules.RolloverPlan:
    """The rollover plan of ``county``'s fiscal year ``year`` to the next (rollover.rules.plan_rollover)."""
    return rules.plan_rollover(rollover_input(county, year))


def _unsaved_decision(expected: ExpectedDecision, slots) -> GrantDecision:
    """An expected decision as the engine's reads see a grant decision (budgeting.selectors), never saved.

    Its key is negative so that it never meets a stored decision's; its slots and (no) pass-throughs are set as
    if prefetched, so reading them runs no query.
    """
    decision = GrantDecision(pk=-expected.pk, county_id=expected.rollover.county_id,
                             programme_id=expected.programme_id, module_id=expected.module_id,
                             period_start=expected.period_start, period_end=expected.period_end,
                             amount=expected.amount, note=expected.note)
    decision._prefetched_objects_cache = {
        "slots": [GrantedSlot(decision=decision, funded_slot_id=s.funded_slot_id, count=s.count,
                              nominal_fte=s.nominal_fte) for s in slots],
        "pass_throughs": [],
    }
    return decision


def scenario_additions(county: County, scenario, loaded: dict) -> tuple[list, list]:
    """What a rollover's scenario adds to the engine's input (budgeting.selectors.SCENARIO_ADDITIONS).

    Returns (appropriations as calc.AppropriationInput, expected decisions as unsaved GrantDecision objects).
    Nothing for another scenario (one query per comparison, kept in ``loaded``), nothing once the rollover is in
    the plan, and nothing the plan already has: an appropriation on the same line and year, or a decision for
    the same programme and module in the year (the plan wins over the assumption).
    """
    if "rollover_scenarios" not in loaded:
        loaded["rollover_scenarios"] = dict(
            Rollover.objects.filter(county=county, scenario__isnull=False, applied_at__isnull=True)
            .values_list("scenario_id", "pk"))
    rollover_pk = loaded["rollover_scenarios"].get(scenario.pk)
    if rollover_pk is None:
        return [], []
    rollover = Rollover.objects.get(pk=rollover_pk)
    rows = list(rollover.appropriations.select_related("budget_line"))
    planned = set(Appropriation.objects.filter(budget_line__in=[r.budget_line_id for r in rows],
                                               fiscal_year=rollover.target_year).values_list("budget_line_id", flat=True))
    appropriations = [calc.AppropriationInput(r.budget_line.code, r.fiscal_year, r.amount)
                      for r in rows if r.budget_line_id not in planned]
    stored = loaded.get("decisions")
    if stored is None:
        stored = list(GrantDecision.objects.filter(county=county))
    decided = {(d.programme_id, d.module_id) for d in stored
               if d.period_start <= date(rollover.target_year, 12, 31) and d.period_end >= date(rollover.target_year, 1, 1)}
    slots = Prefetch("slots", queryset=ExpectedSlot.objects.order_by("funded_slot_id", "pk"))
    decisions = [_unsaved_decision(e, e.slots.all())
                 for e in rollover.decisions.select_related("rollover").prefetch_related(slots).order_by("pk")
                 if (e.programme_id, e.module_id) not in decided]
    return appropriations, decisions
