"""Reads of draw-downs for pages and deadlines."""
from __future__ import annotations

from typing import Iterable

from drawdowns.rules import Call, Standing, call_errors, standing

FIELDS = ("due_on", "requested_on", "requested_amount", "received_on", "received_amount")


def calls_of(drawdowns: Iterable) -> list[Call]:
    """Draw-down records (drawdowns.models.Drawdown) as drawdowns.rules.Call values."""
    return [Call(d.requested_on, d.requested_amount, d.received_on, d.received_amount, d.due_on) for d in drawdowns]


def decision_standing(decision, drawdowns=None) -> Standing:
    """Granted, requested, received, outstanding and planned amounts (EUR) of a GrantDecision.

    ``drawdowns`` the decision's draw-downs if already loaded (else one query)."""
    rows = list(decision.drawdowns.all()) if drawdowns is None else drawdowns
    return standing(decision.amount, calls_of(rows))


def rule_errors(decision, pk, values: dict) -> dict[str, str]:
    """drawdowns.rules.call_errors for a draw-down of ``decision`` with form ``values`` (keys FIELDS), against the
    decision's stored draw-downs other than ``pk`` (None for a new one). One query."""
    call = Call(values.get("requested_on"), values.get("requested_amount"), values.get("received_on"),
                values.get("received_amount"), values.get("due_on"))
    return call_errors(decision.amount, calls_of(decision.drawdowns.exclude(pk=pk)), call)
