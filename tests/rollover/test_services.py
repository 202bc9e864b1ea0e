"""Rolling the Rhein-Sieg-Kreis's 2022 plan over to 2023 with the demo data: the lists, the scenario's own share
beside the Planstand, taking it into the plan once (with history), and nothing saved on an error."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from budgeting.models import Appropriation, Scenario
from budgeting.selectors import own_share_comparison
from kimportal.models import County
from programmes.models import GrantDecision, GrantedSlot
from rollover.models import Rollover
from rollover.rules import RolloverRefused
from rollover.selectors import county_plan
from rollover.services import rollover_apply, rollover_scenario_create
from staffing.models import Position

pytestmark = pytest.mark.usefixtures("demo_users")

YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 1))


@pytest.fixture
def rsk():
    return County.objects.get(slug="rhein-sieg-kreis")


@pytest.fixture
def finance():
    return get_user_model().objects.get(username="finanzen-rsk")


def totals(result):
    return {"own_share": result.total("own_share"), "grant": result.total("grant"),
            "uncovered": result.unplanned_provision}


def test_the_2022_plan_lists_the_kim_positions_continuing_and_the_appropriations_copied(rsk):
    plan = county_plan(rsk, 2022)
    assert [(a.source.line, a.amount) for a in plan.appropriations] == [
        ("31.10.01-KIM-CM", D("121140.00")), ("rsk-projektmittel", D("50000.00"))]
    continuing = {c.position.number: c.note for c in plan.continuing}
    # All 19 KIM positions continue into 2023; 18 have a contract until 31.12.2022 to extend, Troisdorf's none.
    assert len(continuing) == 19 and all(number.startswith("KI-B") for number in continuing)
    assert continuing["KI-B2-04"] == ""
    assert continuing["KI-B1-01"] == "Befristung endet am 31.12.2022, Verlängerung prüfen"
    assert sum(1 for note in continuing.values() if note) == 18
    assert plan.ending == ()  # no demo position has an end date


def test_a_position_ending_31_12_2022_is_left_out_and_named(rsk):
    Position.objects.filter(county=rsk, position_number="KI-B3-03").update(end_on=date(2022, 12, 31))
    plan = county_plan(rsk, 2022)
    assert [(e.position.label, e.end_on) for e in plan.ending] == [
        ("KI-B3-03 Sachbearbeitung Einbürgerung 2 (KIM Baustein 3)", date(2022, 12, 31))]
    assert "KI-B3-03" not in {c.position.number for c in plan.continuing}


def test_the_decisions_of_2021_2022_are_expected_for_2023_and_programmes_ending_are_flagged(rsk):
    plan = county_plan(rsk, 2022)
    expected = {e.source.name: (e.amount, e.flag) for e in plan.expected}
    assert len(expected) == 11  # with KIM Baustein 2, decided for 2022 (fixtures/80_proofs.yaml)
    assert expected["KOMM-AN NRW: Programmteil II"] == (D("60000.00"), "Verlängerung durch das Land offen")
    assert expected["Guter Lebensabend NRW"] == (D("80000.00"), "Verlängerung durch das Land offen")
    # The KI-Grundförderung has no end: expected without the flag (its decision states no amount).
    assert expected["KI-Grundförderung (inkl. Sprachmittlerpool)"] == (None, "")


def test_the_scenario_shows_the_2023_own_share_with_the_copied_plan_beside_the_planstand(rsk, finance):
    rollover, _ = rollover_scenario_create(county=rsk, year="2022", user=finance)
    assert rollover.scenario.name == "Fortschreibung 2023"
    assert Appropriation.objects.filter(fiscal_year=2023).count() == 0  # nothing in the plan yet
    base, scenario = own_share_comparison(rsk, *YEAR_2023, [None, rollover.scenario]).results
    before, after = totals(base), totals(scenario)
    # The Projektmittel (50.000 €, own funds) join the own share; the expected decisions add their grant:
    # Durchstarten 4 × 30.000, Guter Lebensabend 80.000, Rucksack Schule 10.000, KOMM-AN II 60.000, KOMM-AN I
    # 2 × 57.000, Rucksack Kita 33.300, Sprachmittlerpool 50.000 = 467.300 €.
    assert after["own_share"] - before["own_share"] == D("50000")
    assert after["grant"] - before["grant"] == D("467300")
    # Covered now: the CM appropriation of 121.140 € up to the three CM posts' own share, 3 × (95.380 − 57.000) =
    # 115.140 €; the Projektmittel's 50.000 € are covered by their own copied appropriation.
    assert before["uncovered"] - after["uncovered"] == D("115140")
    # The scenario for 2022 is the Planstand: its assumptions are for 2023 only.
    base_2022, scenario_2022 = own_share_comparison(rsk, date(2021, 12, 1), date(2022, 12, 1),
                                                    [None, rollover.scenario]).results
    assert totals(base_2022) == totals(scenario_2022)


def test_creating_the_scenario_twice_refreshes_it_and_a_foreign_scenario_of_that_name_is_refused(rsk, finance):
    first, _ = rollover_scenario_create(county=rsk, year=2022, user=finance)
    again, _ = rollover_scenario_create(county=rsk, year=2022, user=finance)
    assert first.scenario_id == again.scenario_id
    assert again.appropriations.count() == 2 and again.decisions.count() == 11
    assert first.scenario.history.first().history_user == finance
    Scenario.objects.create(county=rsk, name="Fortschreibung 2022")
    with pytest.raises(RolloverRefused, match="Ein Szenario „Fortschreibung 2022“ gibt es schon"):
        rollover_scenario_create(county=rsk, year=2021, user=finance)
    assert not Rollover.objects.filter(county=rsk, year=2021).exists()


def test_taking_it_into_the_plan_creates_each_thing_once_with_history(rsk, finance):
    rollover, _ = rollover_scenario_create(county=rsk, year=2022, user=finance)
    base, scenario = own_share_comparison(rsk, *YEAR_2023, [None, rollover.scenario]).results
    applied = rollover_apply(county=rsk, year=2022, user=finance)
    assert len(applied.appropriations) == 2 and len(applied.decisions) == 11
    cm = Appropriation.objects.get(budget_line__code="31.10.01-KIM-CM", fiscal_year=2023)
    assert (cm.amount, cm.note) == (D("121140.00"), "Fortschreibung aus 2022")
    assert cm.history.get().history_user == finance
    komm_an = GrantDecision.objects.get(county=rsk, module__code="komm-an-2", period_start=date(2023, 1, 1))
    assert komm_an.amount == D("60000.00") and komm_an.period_end == date(2023, 12, 31)
    assert komm_an.note.startswith("erwartet, Fortschreibung aus 2022")
    assert komm_an.note.endswith("Verlängerung durch das Land offen")
    assert komm_an.history.get().history_user == finance
    slots = GrantedSlot.objects.get(decision__module__code="komm-an-1", decision__period_start=date(2023, 1, 1))
    assert (slots.count, slots.nominal_fte) == (D("2.000"), D("1.000"))
    assert komm_an.expected and komm_an.issued_on is None  # no letter yet: nothing can be called
    # The plan now computes what the scenario showed; the scenario, now only a copy of the Planstand, is gone.
    (planned,) = own_share_comparison(rsk, *YEAR_2023, [None]).results
    assert totals(planned) == totals(scenario)
    assert applied.scenario_note == "Das Szenario „Fortschreibung 2023“ ist entfernt: seine Annahmen stehen jetzt im Plan."
    assert not Scenario.objects.filter(name="Fortschreibung 2023").exists()
    assert Rollover.objects.get(county=rsk, year=2022).scenario is None

    again = rollover_apply(county=rsk, year=2022, user=finance)
    assert not again.created_anything
    assert Appropriation.objects.filter(fiscal_year=2023).count() == 2
    assert GrantDecision.objects.filter(county=rsk, period_start=date(2023, 1, 1)).count() == 11
    assert [k.existing.amount for k in again.plan.kept_appropriations] == [D("121140.00"), D("50000.00")]
    assert Rollover.objects.get(county=rsk, year=2022).applied_by == finance


def test_an_error_saves_nothing(rsk, finance, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ValidationError("Die Anzahl muss größer als 0 sein.")

    monkeypatch.setattr(GrantedSlot, "full_clean", refuse)
    with pytest.raises(RolloverRefused, match="^Nichts gespeichert: Die Anzahl muss größer als 0 sein.$"):
        rollover_apply(county=rsk, year=2022, user=finance)
    assert Appropriation.objects.filter(fiscal_year=2023).count() == 0
    assert GrantDecision.objects.filter(period_start__year=2023).count() == 0
    assert not Rollover.objects.filter(county=rsk, year=2022).exists()


def test_a_bad_year_is_refused_and_changes_nothing(rsk, finance):
    with pytest.raises(RolloverRefused, match="„zweitausend“ ist kein Haushaltsjahr"):
        rollover_apply(county=rsk, year="zweitausend", user=finance)
    with pytest.raises(RolloverRefused, match="Das Haushaltsjahr 2100 liegt außerhalb"):
        rollover_scenario_create(county=rsk, year=2100, user=finance)
    assert not Rollover.objects.exists() and not Scenario.objects.filter(name__startswith="Fortschreibung").exists()
