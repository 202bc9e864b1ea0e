"""Reads of draw-downs for pages and deadlines."""
from __future__ import annotations

from typing import Iterable

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from budgeting.lump_sum_inputs import decision_grant
from drawdowns.rules import Call, Standing, call_errors, call_notes, standing

FIELDS = ("due_on", "requested_on", "requested_amount", "received_on", "received_amount")


def calls_of(drawdowns: Iterable) -> list[Call]:
    """Draw-down records (drawdowns.models.Drawdown) as drawdowns.rules.Call values."""
    return [Call(d.requested_on, d.requested_amount, d.received_on, d.received_amount, d.due_on) for d in drawdowns]


@dataclass(frozen=True)
class Granted:
    """What a decision grants (EUR; None: unknown) and where the figure comes from (German)."""

    amount: Decimal | None
    basis: str


EXPECTED = "erwartet, noch kein Bescheid"


def granted(decision) -> Granted:
    """The decision's stated amount, or where it states none what its granted slots and the Land's rates give over
    its period (budgeting.lump_sum_inputs.decision_grant), said so; for an expected decision (the rollover's, no
    letter yet) the same figures, said to be expected."""
    if decision.amount is not None:
        return Granted(decision.amount, f"{EXPECTED}: angenommener Betrag" if decision.expected else "laut Bescheid")
    computed = decision_grant(decision)
    if computed is None:
        return Granted(None, EXPECTED if decision.expected else "nicht erfasst")
    if decision.expected:
        return Granted(computed, f"{EXPECTED}: berechnet aus den angenommenen Förderstellen und den Fördersätzen "
                                 "des Landes")
    return Granted(computed, "berechnet aus den bewilligten Förderstellen und den Fördersätzen des Landes "
                             "(kein Betrag im Bescheid erfasst)")


def decision_label(decision) -> str:
    """"Kommunales Integrationsmanagement (KIM) – Baustein 2 – Case Management, 01.01.2021–31.12.2021": programme,
    module and period, so that "Baustein 1" of two programmes cannot be mistaken; "…, 01.01.2023–31.12.2023
    (erwartet, noch kein Bescheid)" for an expected decision."""
    programme = decision.programme.name
    part = f" – {decision.module.name}" if decision.module_id and decision.module.name != decision.programme.name \
        else ""
    label = f"{programme}{part}, {decision.period_start:%d.%m.%Y}–{decision.period_end:%d.%m.%Y}"
    return f"{label} ({EXPECTED})" if decision.expected else label


def decision_standing(decision, drawdowns=None, grant: Granted | None = None) -> Standing:
    """Granted, requested, received, outstanding and planned amounts (EUR) of a GrantDecision.

    ``drawdowns`` the decision's draw-downs if already loaded (else one query); ``grant`` its Granted if known."""
    rows = list(decision.drawdowns.all()) if drawdowns is None else drawdowns
    return standing((grant or granted(decision)).amount, calls_of(rows))


def row_notes(decision, drawdown) -> list[str]:
    """drawdowns.rules.call_notes for one draw-down of ``decision``."""
    return call_notes(calls_of([drawdown])[0], decision.period_end)


def rule_errors(decision, pk, values: dict) -> dict[str, str]:
    """drawdowns.rules.call_errors for a draw-down of ``decision`` with form ``values`` (keys FIELDS), against the
    decision's stored draw-downs other than ``pk`` (None for a new one). One query."""
    call = Call(values.get("requested_on"), values.get("requested_amount"), values.get("received_on"),
                values.get("received_amount"), values.get("due_on"))
    if decision.expected:
        return call_errors(None, (), call, expected=True)  # no query: nothing to check against
    return call_errors(granted(decision).amount, calls_of(decision.drawdowns.exclude(pk=pk)), call,
                       today=timezone.localdate())
