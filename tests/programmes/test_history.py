"""history_entries: who changed what, old → new, as a German reader expects the values."""
from datetime import date
from decimal import Decimal

import pytest

from kimportal.history import display_value, history_entries
from programmes.models import FundingRate, GrantDecision, Programme

pytestmark = pytest.mark.django_db


def test_it_lists_creation_and_changes_newest_first_with_german_values(demo):
    decision = GrantDecision.objects.create(county_id=GrantDecision.objects.get(pk=1000).county_id,
                                            programme=Programme.objects.get(code="kim"),
                                            period_start=date(2022, 1, 1), period_end=date(2022, 12, 31))
    decision.amount = Decimal("605000.50")
    decision.period_end = date(2023, 6, 30)
    decision.programme = Programme.objects.get(code="komm-an")
    decision.save()
    entries = history_entries(decision)
    assert [e["action"] for e in entries] == ["geändert", "angelegt"]
    assert entries[0]["user"] == "System"
    assert sorted(entries[0]["changes"]) == [
        ("Bewilligter Betrag", "–", "605.000,50\u00a0€"),
        ("Bewilligungszeitraum bis", "31.12.2022", "30.06.2023"),
        ("Programm", "Kommunales Integrationsmanagement (KIM)", "KOMM-AN NRW"),
    ]


def test_it_stops_at_the_limit_but_still_diffs_the_oldest_shown_record(demo):
    programme = Programme.objects.create(code="rsk-test", name="Test 0")
    for i in range(1, 4):
        programme.name = f"Test {i}"
        programme.save()
    entries = history_entries(programme, limit=2)
    assert [e["changes"] for e in entries] == [[("Name", "Test 2", "Test 3")], [("Name", "Test 1", "Test 2")]]


def test_display_value_shows_choices_and_booleans_in_german():
    kind = FundingRate._meta.get_field("cost_type")
    assert display_value(kind, "personnel") == "Personalkosten"
    from programmes.models import GrantDecision
    assert display_value(GrantDecision._meta.get_field("pass_through_permitted"), False) == "nein"
    assert display_value(Programme._meta.get_field("description"), "") == "–"
