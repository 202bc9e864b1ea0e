"""Reads that feed the engine's blocks without positions (budgeting.engine_lump_sums): the Land's rates of the
modules a county has grant decisions for, the amounts those decisions state, and the appropriations of the county's
own programmes, as engine input. budgeting.selectors.calculation_input puts them after the blocks of positions.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q

from budgeting import calculations as calc
from budgeting.periods import version_end
from kimportal.models import County
from programmes.choices import RateKind, SlotBasis
from programmes.models import FundingRate, GrantDecision, Module


def decision_label(decision: GrantDecision) -> str:
    """How the own-share page names a decision: "Bescheid vom 22.02.2021"."""
    if decision.issued_on:
        return f"Bescheid vom {decision.issued_on:%d.%m.%Y}"
    if decision.received_on:
        return f"Bescheid (eingegangen am {decision.received_on:%d.%m.%Y})"
    return f"Bescheid {decision.period_start:%d.%m.%Y}–{decision.period_end:%d.%m.%Y}"


LUMP_SUM_KINDS = (RateKind.LUMP_SUM, RateKind.FIXED_CAPPED, RateKind.PER_WORKPLACE, RateKind.PER_SLOT)


def lump_sum_modules(county: County, decisions, with_positions=()) -> tuple[list[Module], dict]:
    """The modules that may form blocks without positions: those of the programmes the county has decisions for,
    those of its own programmes and those with positions (codes ``with_positions``: their Jahrespauschalen); with
    their rates by module id (two queries)."""
    programme_ids = {d.programme_id for d in decisions}
    modules = list(Module.objects.filter(Q(programme_id__in=programme_ids) | Q(programme__county=county)
                                         | Q(code__in=set(with_positions)))
                   .select_related("programme").order_by("programme__name", "position", "code"))
    rates = defaultdict(list)
    for rate in (FundingRate.objects.filter(module__in=modules, kind__in=LUMP_SUM_KINDS)
                 .select_related("funded_slot").order_by("valid_from", "pk")):
        rates[rate.module_id].append(rate)
    return modules, dict(rates)


def _module_decisions(decisions, module: Module) -> list[GrantDecision]:
    return [d for d in decisions if d.module_id == module.pk
            or (d.module_id is None and d.programme_id == module.programme_id)]


def _granted_units(decision: GrantDecision, slot) -> Decimal | None:
    mine = [s for s in decision.slots.all() if s.funded_slot_id == slot.pk]
    if not mine:
        return None
    if slot.basis == SlotBasis.PER_SLOT:
        return sum((s.count for s in mine), calc.ZERO)
    return sum((s.count * s.nominal_fte for s in mine), calc.ZERO)


def _rate_until(rate: FundingRate, rates) -> date | None:
    """The rate's last day: its own, or the day before a newer version starts (budgeting.periods.version_end)."""
    return version_end(rate.valid_from, rate.valid_until,
                       [r.valid_from for r in rates if (r.kind, r.cost_type, r.funded_slot_id)
                        == (rate.kind, rate.cost_type, rate.funded_slot_id)])


def _land_lump_sums(module: Module, rates, decisions) -> tuple:
    """The Land's rates of a module as lump sums: a Jahrespauschale or Festbetrag once; an amount per post for the
    posts each decision grants, within that decision's period (a decision granting none of the slot: nothing)."""
    sums = []
    for rate in rates:
        label = rate.get_kind_display() if rate.kind in (RateKind.LUMP_SUM, RateKind.FIXED_CAPPED) else ""
        if rate.funded_slot_id:
            label = f"{label}, {rate.funded_slot.name}" if label else rate.funded_slot.name
        common = dict(label=label, cost_type=rate.cost_type, source=rate_source(rate))
        if rate.kind in (RateKind.LUMP_SUM, RateKind.FIXED_CAPPED):
            annual = min(rate.amount, rate.cap) if rate.kind == RateKind.FIXED_CAPPED and rate.cap is not None \
                else rate.amount
            sums.append(calc.LumpSumInput(f"rate-{rate.pk}", annual=annual, valid_from=rate.valid_from,
                                          valid_until=_rate_until(rate, rates),
                                          cap=rate.cap if rate.kind == RateKind.LUMP_SUM else None, **common))
            continue
        if not rate.funded_slot_id:
            continue
        for decision in decisions:
            units = _granted_units(decision, rate.funded_slot)
            if units is None:
                continue
            until = _rate_until(rate, rates)
            start = max(rate.valid_from, decision.period_start)
            end = min(until, decision.period_end) if until else decision.period_end
            if end < start:
                continue
            sums.append(calc.LumpSumInput(f"rate-{rate.pk}:decision-{decision.pk}", annual=rate.amount,
                                          valid_from=start, valid_until=end, units=units, max_units=rate.max_fte,
                                          cap=rate.cap, **common))
    return tuple(sums)


def assumed(decision: GrantDecision) -> bool:
    """Whether the decision's amount is an assumption of the application, not the letter's figure: the note says
    "Annahme" (the convention of the demo data and the workbook, README "every programme", fixtures/30_*.yaml)."""
    return "annahme" in (decision.note or "").casefold()


def decision_source(decision: GrantDecision) -> str:
    """Where a decided amount comes from: "Bescheid vom 22.02.2021", or for an assumed amount
    "Annahme (Bemerkung zum Bescheid 01.01.2021–31.12.2022)"."""
    label = decision_label(decision)
    if assumed(decision):
        return f"Annahme (Bemerkung zum {label})"
    return label


def decided_lump_sum(decision: GrantDecision) -> calc.LumpSumInput:
    """A decision's stated amount as a lump sum where the Land sets no rate (its amount per year over its period).

    Counted as material, not split (``unsplit``): Vorlage 000 puts the Land's money for measures, "teilweise zur
    Weiterleitung an Dritte", under "Sachmittel und Fortbildungsmaßnahmen". Called "Betrag laut Bescheid" only
    where the decision states it; an assumed amount is "Angenommener Betrag" (assumed).
    """
    months = len(calc.months_between(decision.period_start, decision.period_end))
    label = "Angenommener Betrag" if assumed(decision) else "Betrag laut Bescheid"
    return calc.LumpSumInput(f"decision-{decision.pk}", label, "material",
                             decision.amount * 12 / months, decision.period_start, decision.period_end,
                             source=decision_source(decision), unsplit=True)


def rate_source(rate: FundingRate) -> str:
    """A Land rate's source as recorded ("Vorlage 002: …", a guideline), or that none is recorded."""
    return rate.source or f"Fördersatz {rate.get_kind_display()} (Quelle nicht erfasst)"


def alongside_block(module: Module, rates, decisions) -> calc.BlockInput | None:
    """The slot-independent Jahrespauschalen of a module whose positions the county records (KIM Baustein 1:
    events 10.000 €, measures 30.000 € a year, Vorlage 002), as a cost-neutral block of their own; None without
    such rates. Festbeträge (fixed_capped) are not here: they join the positions' blocks (budgeting.selectors)."""
    lump_sums = tuple(
        calc.LumpSumInput(f"rate-{rate.pk}", rate.get_kind_display(), rate.cost_type, rate.amount,
                          valid_from=rate.valid_from, valid_until=_rate_until(rate, rates), cap=rate.cap,
                          source=rate_source(rate))
        for rate in rates if rate.kind == RateKind.LUMP_SUM and not rate.funded_slot_id)
    if not lump_sums:
        return None
    return calc.BlockInput(
        f"pauschal:{module.code}", f"{module.name}: Jahrespauschalen (kostenneutral)", module.code, calc.PER_FTE, (),
        lump_sums=lump_sums,
        decisions=tuple(calc.DecisionInput(f"decision-{d.pk}", decision_label(d), d.period_start, d.period_end,
                                           amount=d.amount) for d in decisions),
        decision_needed=module.application_required, programme=module.programme.code, alongside_positions=True)


def lump_sum_blocks(county: County, loaded: dict, appropriations, with_positions: set, first_day: date,
                    period_end: date) -> list[calc.BlockInput]:
    """Blocks without positions (budgeting.engine_lump_sums), after the blocks of positions:

    - each module of a Land programme with a grant decision in the period and rates of its own, whose positions the
      county does not record (a module with positions is computed from them, as Vorlage 002 computes KIM); a module
      without rates of the Land, from the amounts its own decisions state (decided_lump_sum);
    - for a module with positions, its slot-independent Jahrespauschalen beside them (alongside_block), whether or
      not a decision is in the period: the positions' blocks are paid by the rates without one, and so are they;
    - each module of the county's own programmes with an appropriation on the budget line of the module's or the
      programme's code (reports.papers.haushalt's convention): its own funds, covered by that appropriation.
    """
    decisions = [d for d in loaded["decisions"] if d.period_start <= period_end and d.period_end >= first_day]
    if "lump_sum_modules" not in loaded:
        loaded["lump_sum_modules"] = lump_sum_modules(county, loaded["decisions"], with_positions)
    modules, rates = loaded["lump_sum_modules"]
    by_line = defaultdict(list)
    for appropriation in appropriations:
        by_line[appropriation.budget_line].append(appropriation)
    blocks, passed = [], set()
    for module in modules:
        if module.code in with_positions:
            block = alongside_block(module, rates.get(module.pk, ()),
                                    _module_decisions(loaded["decisions"], module)) if rates.get(module.pk) else None
            if block is not None:
                blocks.append(block)
            continue
        programme = module.programme
        label = programme.name if module.name == programme.name else f"{programme.name}: {module.name}"
        if programme.county_id == county.pk:
            line = module.code if by_line.get(module.code) else programme.code
            own = tuple(calc.LumpSumInput(
                f"appropriation-{a.budget_line}-{a.fiscal_year}", "Haushaltsansatz", "measures", a.amount,
                date(a.fiscal_year, 1, 1), date(a.fiscal_year, 12, 31), funded=False,
                source=f"Haushaltsansatz {a.fiscal_year} ({a.budget_line})") for a in by_line.get(line, ()))
            if own and (line == module.code or module == next(m for m in modules if m.programme_id == programme.pk)):
                blocks.append(calc.BlockInput(f"eigenmittel:{module.code}", label, module.code, calc.PER_FTE, (),
                                              lump_sums=own, budget_line=line, decision_needed=False,
                                              programme=programme.code))
            continue
        mine = _module_decisions(decisions, module)
        if rates.get(module.pk):
            lump_sums = _land_lump_sums(module, rates[module.pk], mine)
        else:
            lump_sums = tuple(decided_lump_sum(d) for d in mine if d.module_id == module.pk and d.amount is not None)
        if mine and lump_sums:
            blocks.append(_lump_sum_block(f"pauschal:{module.code}", label, module, mine, lump_sums, passed))
    return blocks


def _lump_sum_block(key: str, label: str, module: Module, decisions, lump_sums, passed: set) -> calc.BlockInput:
    """A block without positions; its decisions' first-level pass-throughs are named on the first block of each."""
    pass_throughs = tuple((p.recipient.name, p.amount, d.period_start, d.period_end)
                          for d in decisions if d.pk not in passed for p in d.pass_throughs.all())
    passed.update(d.pk for d in decisions)
    return calc.BlockInput(
        key, label, module.code, calc.PER_FTE, (), lump_sums=lump_sums,
        decisions=tuple(calc.DecisionInput(f"decision-{d.pk}", decision_label(d), d.period_start, d.period_end,
                                           amount=d.amount) for d in decisions),
        decision_needed=module.application_required, programme=module.programme.code, pass_throughs=pass_throughs)


def decision_grant(decision: GrantDecision) -> Decimal | None:
    """What a decision grants by the Land's rates over its whole period (EUR), where it states no amount itself:
    its granted slots × the rates per post or slot, plus the module's Jahrespauschalen, each for the months of the
    decision's period, as the engine computes lump sums (budgeting.engine_lump_sums; papers' rounding).

    A decision for a whole programme (no module) counts each of the programme's modules. None when no module has
    rates (then only a stated amount can tell).
    The decision's stated amount, where there is one, is what it grants: use that (this is for the others).
    Two queries (the rates, the decision's slots)."""
    from budgeting.engine_lump_sums import calculate_lump_sums

    modules = [decision.module] if decision.module_id else list(decision.programme.modules.all())
    rates = defaultdict(list)
    for rate in (FundingRate.objects.filter(module__in=modules, kind__in=LUMP_SUM_KINDS)
                 .select_related("funded_slot").order_by("valid_from", "pk")):
        rates[rate.module_id].append(rate)
    months = calc.months_between(decision.period_start, decision.period_end)
    grants = []
    for module in modules:
        lump_sums = _land_lump_sums(module, rates[module.pk], [decision]) if rates.get(module.pk) else ()
        if lump_sums:
            block = _lump_sum_block(f"decision:{decision.pk}", str(decision), module, [decision], lump_sums, set())
            grants.append(calculate_lump_sums(block, months).grant)
    return sum(grants, calc.ZERO) if grants else None
