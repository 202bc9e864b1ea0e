"""Where an expected decision would grant less in the new year than its decision granted in the old one.

The rollover expects a decision again "with the same slots" (rollover.rules). Where the decision states no amount,
what it grants comes from the Land's rates (budgeting.lump_sum_inputs.decision_grant, as the draw-down page
computes it), and a rate that ends with the old year takes its money with it: the demo's KI-Grundförderung keeps
3,5 × 1,0 VZÄ "wie Bescheid" but grants 50.000 € in 2023 instead of 220.000 € in 2022, because the Land's
Festbetrag of 170.000 € is valid until 31.12.2022 (fixtures/10_reference.yaml) and the rates from 2023 are for
other funded slots. The preview names such a drop and the rate that ends, so the assumption is not taken over
unseen.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from budgeting.lump_sum_inputs import LUMP_SUM_KINDS, decision_grant
from budgeting.periods import months_between
from kimportal.money import format_money
from programmes.models import FundingRate, GrantDecision, GrantedSlot

from .rules import CENT, TWELVE, RolloverPlan
from .rules import ExpectedDecision as PlannedDecision


@dataclass(frozen=True)
class GrantDrop:
    """An expected decision of ``year + 1`` granting less than its decision in ``year`` (EUR per year).

    ``ending``: the Land's rates behind the decision that are valid in ``year`` but end in it; ``newer``: rates of
    the same modules from ``year + 1`` for funded slots the decision does not grant."""

    name: str
    year: int
    before: Decimal
    after: Decimal
    ending: tuple[FundingRate, ...] = ()
    newer: tuple[FundingRate, ...] = ()

    @property
    def loss(self) -> Decimal:
        return self.before - self.after

    @property
    def text(self) -> str:
        """The warning, German: figures, the rate that ends, what to check."""
        following = self.year + 1
        text = (f"{self.name}: {following} nur {format_money(self.after)} Förderung statt "
                f"{format_money(self.before)} in {self.year} ({format_money(self.loss)} weniger), obwohl die "
                "Förderstellen wie im Bescheid angenommen sind.")
        for rate in self.ending:
            slot = f", {rate.funded_slot.name}" if rate.funded_slot_id else ""
            text += (f" Fördersatz „{rate.get_kind_display()}{slot}“ ({rate.module.name}, "
                     f"{format_money(rate.amount)} im Jahr) gilt nur bis {rate.valid_until:%d.%m.%Y}.")
        if self.newer:
            slots = ", ".join(sorted({r.funded_slot.name for r in self.newer}))
            text += (f" Ab {following} fördert das Land andere Förderstellen ({slots}): bitte die Förderstellen des "
                     "erwarteten Bescheids prüfen.")
        elif not self.ending:
            text += f" Die Fördersätze des Landes ergeben für {following} weniger."
        return text


def _unsaved(source: GrantDecision, slots, start: date, end: date) -> GrantDecision:
    """``source`` over another period, never saved: what its slots get from the rates there."""
    decision = GrantDecision(pk=-source.pk, county_id=source.county_id, programme=source.programme,
                             module=source.module, period_start=start, period_end=end)
    decision._prefetched_objects_cache = {
        "slots": [GrantedSlot(decision=decision, funded_slot_id=s.funded_slot_id, count=s.count,
                              nominal_fte=s.nominal_fte) for s in slots],
        "pass_throughs": [],
    }
    return decision


def _annual(grant: Decimal, start: date, end: date) -> Decimal:
    return (grant * TWELVE / len(months_between(start, end))).quantize(CENT, rounding=ROUND_HALF_UP)


def _rates(source: GrantDecision, slots, year: int) -> tuple[tuple, tuple]:
    """The rates of the decision's modules ending in ``year`` (for its slots or none) and those from ``year + 1``
    for other slots."""
    modules = [source.module] if source.module_id else list(source.programme.modules.all())
    granted = {s.funded_slot_id for s in slots}
    rates = list(FundingRate.objects.filter(module__in=modules, kind__in=LUMP_SUM_KINDS)
                 .select_related("module", "funded_slot").order_by("module__position", "valid_from", "pk"))
    ending = tuple(r for r in rates if r.valid_until is not None and r.valid_from <= date(year, 12, 31)
                   and date(year, 1, 1) <= r.valid_until <= date(year, 12, 31)
                   and (r.funded_slot_id is None or r.funded_slot_id in granted))
    newer = tuple(r for r in rates if r.valid_from.year == year + 1 and r.funded_slot_id is not None
                  and r.funded_slot_id not in granted)
    return ending, newer


def _drop(planned: PlannedDecision, source: GrantDecision, year: int) -> GrantDrop | None:
    if source.amount is not None or planned.amount is not None:
        return None  # a stated amount is expected as stated (rollover.rules.annual_amount)
    slots = list(source.slots.all())
    start, end = max(source.period_start, date(year, 1, 1)), min(source.period_end, date(year, 12, 31))
    before = decision_grant(_unsaved(source, slots, start, end))
    after = decision_grant(_unsaved(source, slots, planned.period_start, planned.period_end))
    if before is None:
        return None
    before = _annual(before, start, end)
    after = _annual(after or Decimal("0"), planned.period_start, planned.period_end)
    if after >= before:
        return None
    return GrantDrop(planned.source.name, year, before, after, *_rates(source, slots, year))


def grant_drops(plan: RolloverPlan) -> list[GrantDrop]:
    """The expected decisions of ``plan`` that grant less in the new year than in the old (a few queries each,
    only for decisions without a stated amount)."""
    keys = [e.source.key for e in plan.expected if e.amount is None]
    if not keys:
        return []
    sources = {d.pk: d for d in GrantDecision.objects.filter(pk__in=keys).select_related("programme", "module")
               .prefetch_related("slots")}
    drops = [_drop(e, sources[e.source.key], plan.year) for e in plan.expected if e.source.key in sources]
    return [d for d in drops if d is not None]
