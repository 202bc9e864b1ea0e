"""drawdowns.rules: what is still to be called, and a call beyond the decision refused, with real amounts."""
from datetime import date
from decimal import Decimal as D

from drawdowns.rules import Call, standing
from drawdowns.rules import call_errors as german_errors


def call_errors(*args):
    """The messages with plain spaces for readable expectations (amounts carry a no-break space before €)."""
    return {k: v.replace("\u00a0", " ") for k, v in german_errors(*args).items()}

GRANTED = D("160000")
CALLS = [Call(date(2021, 3, 15), D("40000"), date(2021, 4, 1), D("40000")),
         Call(date(2021, 9, 15), D("40000"), date(2021, 10, 1), D("40000")),
         Call(date(2022, 3, 15), D("40000"))]


def test_still_to_call_is_the_granted_amount_minus_what_was_requested():
    s = standing(GRANTED, CALLS)
    assert (s.requested, s.received, s.outstanding_receipts, s.still_to_call) == (
        D("120000"), D("80000"), D("40000"), D("40000"))


def test_a_planned_call_is_not_yet_requested_but_counts_against_the_decision():
    planned = Call(None, D("30000"), due_on=date(2022, 9, 30))
    s = standing(GRANTED, [*CALLS, planned])
    assert (s.requested, s.planned, s.still_to_call) == (D("120000"), D("30000"), D("40000"))
    errors = call_errors(GRANTED, [*CALLS, planned], Call(date(2022, 6, 1), D("10000.01")))
    assert errors["requested_amount"] == (
        "Der Abruf von 10.000,01 € übersteigt die Bewilligung: bewilligt 160.000 €, bereits abgerufen 120.000 €, "
        "weitere 30.000 € geplant, noch abrufbar 10.000 €.")
    assert call_errors(GRANTED, [*CALLS, planned], Call(date(2022, 6, 1), D("10000"))) == {}


def test_the_last_euro_may_be_called_but_not_one_cent_more():
    assert call_errors(GRANTED, CALLS, Call(date(2022, 9, 15), D("40000"))) == {}
    errors = call_errors(GRANTED, CALLS, Call(date(2022, 9, 15), D("40000.01")))
    assert "noch abrufbar 40.000 €" in errors["requested_amount"]


def test_a_decision_without_an_amount_cannot_be_called_from():
    errors = call_errors(None, [], Call(date(2022, 3, 1), D("1000")))
    assert errors["__all__"].startswith("Für diesen Zuwendungsbescheid ist kein bewilligter Betrag erfasst")


def test_inconsistent_calls_are_refused_field_by_field():
    assert call_errors(GRANTED, [], Call(date(2022, 3, 1), D("1000"), date(2022, 2, 1), D("1000"))) == {
        "received_on": "Der Zahlungseingang kann nicht vor der Anforderung liegen."}
    assert call_errors(GRANTED, [], Call(date(2022, 3, 1), D("1000"), date(2022, 3, 9), D("1000.50"))) == {
        "received_amount": "Eingegangen sind höchstens die angeforderten 1.000 €."}
    assert call_errors(GRANTED, [], Call(date(2022, 3, 1), None)) == {
        "requested_amount": "Bitte den angeforderten Betrag angeben."}
    assert "requested_on" in call_errors(GRANTED, [], Call(None, D("1000")))
    assert call_errors(GRANTED, [], Call(date(2022, 3, 1), D("1000"), None, D("1000"))) == {
        "received_on": "Bitte das Datum des Zahlungseingangs angeben."}
    assert call_errors(GRANTED, [], Call(None, None, due_on=date(2022, 9, 30))) == {}
