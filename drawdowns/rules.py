"""The rules of calling grant money (Mittelabruf), without the database.

A county calls the money a grant decision grants in instalments: it requests an amount (date, amount) and
receives it (date, amount). What is still to be called is the decision's amount minus what has been requested;
a call beyond that is refused (ANBest-P Nr. 1.4 / ANBest-G Nr. 1.4: money is called only as far as the decision
grants it and as it is needed within two months). A call may be planned first: an amount and the day by which
it is to be called ("abzurufen bis"), without a request date. Planned calls count against the decision's amount
too, so a plan can never promise more than is granted. Amounts in EUR as Decimal.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from kimportal.money import format_money_exact

ZERO = Decimal("0")


@dataclass(frozen=True)
class Call:
    """One draw-down as the rules see it: requested (date, EUR; no date while only planned) and received (date,
    EUR, both None while open)."""

    requested_on: date | None
    requested_amount: Decimal | None
    received_on: date | None = None
    received_amount: Decimal | None = None
    due_on: date | None = None

    @property
    def called(self) -> Decimal:
        """What this call takes from the decision: the amount requested, or received where nothing was requested."""
        if self.requested_amount is not None:
            return self.requested_amount
        return self.received_amount or ZERO

    @property
    def planned(self) -> bool:
        """Not yet requested: an amount (or nothing) to be called by a due day."""
        return self.requested_on is None and self.received_amount is None


@dataclass(frozen=True)
class Standing:
    """Where a decision stands (all EUR): granted; requested (called, planned calls not included); received;
    requested but not yet received; planned but not yet requested. ``granted`` is None when the decision states
    no amount."""

    granted: Decimal | None
    requested: Decimal
    received: Decimal
    outstanding_receipts: Decimal
    planned: Decimal = ZERO

    @property
    def still_to_call(self) -> Decimal | None:
        """The decision's amount minus what has been called (EUR); None without a granted amount."""
        return None if self.granted is None else self.granted - self.requested


def standing(granted: Decimal | None, calls: Iterable[Call]) -> Standing:
    """Sum a decision's draw-downs: ``granted`` the decision's amount (EUR, None if not recorded)."""
    calls = list(calls)
    requested = sum((c.called for c in calls if not c.planned), ZERO)
    received = sum((c.received_amount or ZERO for c in calls), ZERO)
    open_receipts = sum((c.called for c in calls if not c.planned and c.received_amount is None), ZERO)
    planned = sum((c.called for c in calls if c.planned), ZERO)
    return Standing(granted, requested, received, open_receipts, planned)


EXPECTED_DECISION = ("Für einen erwarteten Bescheid (noch kein Bescheid) lassen sich keine Mittel abrufen: abrufen "
                     "erst, wenn der Bescheid vorliegt. Bitte zuerst im Zuwendungsbescheid das Bescheiddatum "
                     "eintragen.")


def call_errors(granted: Decimal | None, others: Iterable[Call], call: Call, today: date | None = None, *,
                expected: bool = False) -> dict[str, str]:
    """Why a draw-down cannot be recorded, by form field ({} if it can).

    ``others`` are the decision's other draw-downs (without the one being edited). Refused: any call of an
    ``expected`` decision (the rollover's, no letter yet: nothing is granted until it comes, Nr. 1.4 ANBest-P/-G),
    also a planned one; a decision without a granted amount; a call that with the others (requested and planned)
    goes beyond the decision's amount; more received than requested; a receipt before the request; a request
    without its amount; with ``today``, a request or receipt dated after it (a call still to come is planned with
    "abzurufen bis").
    """
    if expected:
        return {"__all__": EXPECTED_DECISION}
    errors: dict[str, str] = {}
    if call.requested_amount is None and call.received_amount is None:
        if call.requested_on is not None or call.due_on is None:
            errors["requested_amount"] = "Bitte den angeforderten Betrag angeben."
        return errors  # a planned call with a due day only: nothing to check against the decision yet
    if call.requested_amount is not None and call.requested_amount <= 0:
        errors["requested_amount"] = "Der angeforderte Betrag muss größer als 0 € sein."
    if call.requested_amount is not None and call.requested_on is None and call.due_on is None:
        errors["requested_on"] = ("Bitte das Datum der Anforderung angeben oder, für einen geplanten Abruf, "
                                  "die Frist „abzurufen bis“.")
    if call.received_amount is not None and call.received_on is None:
        errors["received_on"] = "Bitte das Datum des Zahlungseingangs angeben."
    if call.received_on is not None and call.received_amount is None:
        errors["received_amount"] = "Bitte den eingegangenen Betrag angeben."
    if (call.requested_amount is not None and call.received_amount is not None
            and call.received_amount > call.requested_amount):
        errors["received_amount"] = (f"Eingegangen sind höchstens die angeforderten "
                                     f"{format_money_exact(call.requested_amount)}.")
    if call.requested_on and call.received_on and call.received_on < call.requested_on:
        errors["received_on"] = "Der Zahlungseingang kann nicht vor der Anforderung liegen."
    if today is not None:
        future = "liegt in der Zukunft; einen künftigen Abruf bitte mit „abzurufen bis“ planen."
        if call.requested_on and call.requested_on > today:
            errors["requested_on"] = f"Der {call.requested_on:%d.%m.%Y} {future}"
        if call.received_on and call.received_on > today:
            errors["received_on"] = f"Der {call.received_on:%d.%m.%Y} liegt in der Zukunft."
    if errors:
        return errors
    if granted is None:
        errors["__all__"] = ("Für diesen Zuwendungsbescheid ist kein bewilligter Betrag erfasst, und aus Förderstellen "
                             "und Fördersätzen lässt er sich nicht berechnen. Bitte tragen Sie ihn zuerst im Bescheid "
                             "ein; ohne ihn lässt sich kein Mittelabruf prüfen.")
        return errors
    before = standing(granted, others)
    free = granted - before.requested - before.planned
    if call.called > free:
        field = "requested_amount" if call.requested_amount is not None else "received_amount"
        planned = f", weitere {format_money_exact(before.planned)} geplant" if before.planned else ""
        errors[field] = (f"Der Abruf von {format_money_exact(call.called)} übersteigt die Bewilligung: bewilligt "
                         f"{format_money_exact(granted)}, bereits abgerufen {format_money_exact(before.requested)}"
                         f"{planned}, noch abrufbar {format_money_exact(max(free, ZERO))}.")
    return errors


def call_notes(call: Call, period_end: date) -> list[str]:
    """What a reader should notice about a recorded draw-down (German, for its row): a payment without a request
    (KIM Bausteine 2 and 3 are paid "ohne Antrag"), a request after the end of the decision's period."""
    notes = []
    if call.requested_amount is None and call.received_amount is not None:
        notes.append("ausgezahlt ohne Anforderung")
    if call.requested_on and call.requested_on > period_end:
        notes.append(f"angefordert nach Ende des Bewilligungszeitraums ({period_end:%d.%m.%Y})")
    return notes
