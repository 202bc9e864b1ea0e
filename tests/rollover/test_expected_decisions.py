"""A fresh user's findings on the rollover (issue 12 §6): the decisions it takes into the plan are expected, not
real; no money is called from them until the letter is there; writing asks for a confirmation first; the preview
warns where an expected decision grants less (the KI-Grundförderung's Festbetrag ends 31.12.2022); the applied
scenario does not linger as a second Planstand."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgeting.models import Appropriation, Scenario, ScenarioPositionOverride
from drawdowns.models import Drawdown
from drawdowns.rules import EXPECTED_DECISION, Call, call_errors
from kimportal.models import County
from programmes.models import GrantDecision
from rollover.drops import grant_drops
from rollover.selectors import county_plan
from rollover.services import rollover_apply, rollover_scenario_create
from staffing.models import Position
from tests.audit.forms import page_data
from tests.conftest import logged_in_client

pytestmark = pytest.mark.usefixtures("demo_users")
URL = "/fortschreibung/"
REFUSED = ("Für einen erwarteten Bescheid (noch kein Bescheid) lassen sich keine Mittel abrufen: abrufen erst, wenn "
           "der Bescheid vorliegt. Bitte zuerst im Zuwendungsbescheid das Bescheiddatum eintragen.")


def text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def rsk():
    return County.objects.get(slug="rhein-sieg-kreis")


@pytest.fixture
def applied():
    """The finance officer takes 2022 into the plan of 2023 on the page, confirming it."""
    response = logged_in_client("finanzen-rsk").post(URL, {"jahr": "2022", "aktion": "uebernehmen",
                                                           "bestaetigt": "ja"})
    assert response.status_code == 302
    return GrantDecision.objects.filter(county__slug="rhein-sieg-kreis", period_start=date(2023, 1, 1))


@pytest.fixture
def lebensabend_2023(applied):
    return applied.get(programme__code="guter-lebensabend")


def call_lebensabend(decision, client=None):
    """The fresh user's draw-down: 40.000 € requested on 15.03.2023."""
    return (client or logged_in_client("ki-rsk")).post(
        reverse("drawdowns:create", args=[decision.pk]),
        {"requested_on": "15.03.2023", "requested_amount": "40.000,00", "version": ""})


def test_the_decisions_taken_into_the_plan_are_expected_and_shown_so(applied, lebensabend_2023):
    assert applied.count() == 11
    assert all(d.expected and d.issued_on is None for d in applied)
    assert not GrantDecision.objects.filter(period_end__lt=date(2023, 1, 1), expected=True).exists()
    client = logged_in_client("ki-rsk")
    detail = text(client.get(reverse("programmes:grantdecision_detail", args=[lebensabend_2023.pk])))
    assert "<h1>Zuwendungsbescheid Guter Lebensabend NRW 2023 (erwartet)</h1>" in detail
    assert "Erwartet – noch kein Bescheid." in detail
    assert "<dt>Bescheid vom</dt><dd>erwartet, noch kein Bescheid</dd>" in detail
    assert "<dt>Erwarteter Betrag</dt><dd>80.000,00 € (Annahme)</dd>" in detail
    listing = text(client.get(reverse("programmes:grantdecision_list")))
    assert "Guter Lebensabend NRW 2023 (erwartet, noch kein Bescheid)" in listing
    overview = text(client.get(reverse("drawdowns:overview")))
    assert "Guter Lebensabend NRW, 01.01.2023–31.12.2023 (erwartet, noch kein Bescheid)" in overview
    assert "erwartet, noch kein Bescheid: angenommener Betrag" in overview
    assert "laut Bescheid" in overview  # the real 2021–2022 decision still reads as one
    page = text(client.get(reverse("drawdowns:decision", args=[lebensabend_2023.pk])))
    assert "Erwarteter Bescheid (noch kein Bescheid):" in page
    assert "erst, wenn der Bescheid vorliegt (angenommen 80.000,00 €)" in page
    assert reverse("drawdowns:create", args=[lebensabend_2023.pk]) not in page  # no "Mittelabruf erfassen"


def test_a_draw_down_against_an_expected_decision_is_refused_and_nothing_saved(lebensabend_2023):
    before = Drawdown.objects.count()
    response = call_lebensabend(lebensabend_2023)
    assert response.status_code == 200
    assert REFUSED in text(response)
    assert Drawdown.objects.count() == before
    # A planned call with only a deadline is refused too: nothing is granted until the letter comes.
    response = logged_in_client("finanzen-rsk").post(reverse("drawdowns:create", args=[lebensabend_2023.pk]),
                                                     {"due_on": "30.06.2023", "version": ""})
    assert REFUSED in text(response) and Drawdown.objects.count() == before


def test_entering_the_date_of_the_letter_makes_it_a_real_decision_that_can_be_called(lebensabend_2023):
    client = logged_in_client("ki-rsk")
    url = reverse("programmes:grantdecision_edit", args=[lebensabend_2023.pk])
    edit = client.get(url)
    assert "Erwartet (noch kein Bescheid)" in text(edit)
    response = client.post(url, page_data(edit, issued_on="20.02.2023"))  # "erwartet" still ticked
    assert response.status_code == 302
    lebensabend_2023.refresh_from_db()
    assert (lebensabend_2023.issued_on, lebensabend_2023.expected) == (date(2023, 2, 20), False)
    assert call_lebensabend(lebensabend_2023, client).status_code == 302
    drawdown = Drawdown.objects.get(decision=lebensabend_2023)
    assert (drawdown.requested_on, drawdown.requested_amount) == (date(2023, 3, 15), D("40000.00"))
    page = text(client.get(reverse("drawdowns:decision", args=[lebensabend_2023.pk])))
    assert "<strong>40.000,00 €</strong> (80.000,00 € − 40.000,00 €)" in page


def test_unticking_erwartet_makes_it_real_too(applied):
    kim = applied.get(module__code="kim-b2")
    client = logged_in_client("ki-rsk")
    url = reverse("programmes:grantdecision_edit", args=[kim.pk])
    data = page_data(client.get(url))
    del data["expected"]
    assert client.post(url, data).status_code == 302
    kim.refresh_from_db()
    assert not kim.expected and kim.issued_on is None
    response = client.post(reverse("drawdowns:create", args=[kim.pk]),
                           {"received_on": "15.03.2023", "received_amount": "100.000,00", "version": ""})
    assert response.status_code == 302


def test_the_model_and_the_database_keep_a_dated_decision_from_being_expected(lebensabend_2023):
    lebensabend_2023.issued_on = date(2023, 2, 20)
    lebensabend_2023.save(update_fields=["issued_on"])
    lebensabend_2023.refresh_from_db()
    assert not lebensabend_2023.expected
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantDecision.objects.filter(pk=lebensabend_2023.pk).update(expected=True)


def test_the_rules_refuse_any_call_of_an_expected_decision():
    planned = Call(None, None, due_on=date(2023, 6, 30))
    assert call_errors(D("80000"), [], planned, expected=True) == {"__all__": EXPECTED_DECISION}
    assert call_errors(D("80000"), [], Call(date(2023, 3, 15), D("40000")), date(2023, 3, 20)) == {}


def test_writing_into_the_plan_asks_for_a_confirmation_first():
    client = logged_in_client("finanzen-rsk")
    response = client.post(URL, {"jahr": "2022", "aktion": "uebernehmen"})
    assert response.status_code == 200
    page = text(response)
    assert "Bitte bestätigen: in den Plan 2023 übernehmen" in page
    assert ("Angelegt werden 2 Haushaltsansätze (zusammen 171.140 €) und\n11 erwartete Bescheide aus der Liste "
            "„Übernommen“ unten.") in page
    assert 'name="bestaetigt" value="ja"' in page and "Ja, in den Plan 2023 übernehmen" in page
    assert "Bitte prüfen Sie zuerst die Warnung oben." in page
    assert not Appropriation.objects.filter(fiscal_year=2023).exists()
    assert not GrantDecision.objects.filter(period_start=date(2023, 1, 1)).exists()
    # The scenario step asks, too.
    page = text(client.post(URL, {"jahr": "2022", "aktion": "szenario"}))
    assert "Bitte bestätigen: Szenario „Fortschreibung 2023“ anlegen" in page
    assert not Scenario.objects.filter(name="Fortschreibung 2023").exists()


def test_the_preview_warns_of_the_170000_euro_drop_of_the_ki_grundfoerderung(rsk):
    drops = grant_drops(county_plan(rsk, 2022))
    assert [(d.name, d.before, d.after, d.loss) for d in drops] == [
        ("KI-Grundförderung (inkl. Sprachmittlerpool)", D("220000.00"), D("50000.00"), D("170000.00"))]
    page = text(logged_in_client("ki-rsk").get(URL, {"jahr": "2022"}))
    assert ("Achtung, weniger Förderung:</strong> KI-Grundförderung (inkl. Sprachmittlerpool): 2023 nur 50.000 € "
            "Förderung statt 220.000 € in 2022 (170.000 € weniger), obwohl die Förderstellen wie im Bescheid "
            "angenommen sind.") in page
    assert ("Fördersatz „Festbetrag bis zu (Deckel), KI-Stellen (pädagogische Fachkräfte und Verwaltung)“ "
            "(Personalkostenzuschuss KI, 170.000 € im Jahr) gilt nur bis 31.12.2022.") in page
    assert "Ab 2023 fördert das Land andere Förderstellen (Fachkraftstelle KI, Verwaltungsassistenz KI" in page


def test_a_scenario_with_assumptions_of_its_own_is_kept_renamed(rsk):
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="finanzen-rsk")
    rollover, _ = rollover_scenario_create(county=rsk, year=2022, user=finance)
    ScenarioPositionOverride.objects.create(scenario=rollover.scenario, excluded=True,
                                            position=Position.objects.get(county=rsk, position_number="KI-B1-04"))
    applied = rollover_apply(county=rsk, year=2022, user=finance)
    scenario = Scenario.objects.get(pk=rollover.scenario_id)
    assert scenario.name == "Fortschreibung 2023 (übernommen)"
    assert applied.scenario_note.startswith("Das Szenario heißt jetzt „Fortschreibung 2023 (übernommen)“")
    with pytest.raises(ValidationError):
        GrantDecision(county=rsk, programme=applied.decisions[0].programme, period_start=date(2023, 1, 1),
                      period_end=date(2022, 1, 1), expected=True).full_clean()
