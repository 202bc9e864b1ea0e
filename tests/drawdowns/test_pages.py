"""The draw-down pages: the demo's Guter Lebensabend decision, a call beyond it refused, roles and deadlines."""
from datetime import date
from decimal import Decimal as D

import pytest

from drawdowns.models import Drawdown
from kimportal import deadlines
from programmes.models import GrantDecision
from tests.conftest import logged_in_client

pytestmark = pytest.mark.usefixtures("demo_users")


@pytest.fixture
def lebensabend():
    return GrantDecision.objects.get(county__slug="rhein-sieg-kreis", programme__code="guter-lebensabend")


def test_the_decision_page_shows_what_is_still_to_be_called(lebensabend):
    response = logged_in_client("finanzen-rsk").get(f"/mittelabrufe/bescheid/{lebensabend.pk}/")
    assert response.status_code == 200
    page = response.content.decode().replace("\u00a0", " ").replace("\u00a0", " ")
    assert "160.000,00 €" in page and "120.000,00 €" in page
    assert "<strong>40.000,00 €</strong> (160.000,00 € − 120.000,00 €)" in page
    overview = logged_in_client("ki-rsk").get("/mittelabrufe/").content.decode().replace("\u00a0", " ")
    assert "Guter Lebensabend NRW, 01.01.2021–31.12.2022" in overview
    # The KIM decisions state no amount: what their slots and the Land's rates give, and said so
    assert "Kommunales Integrationsmanagement (KIM) – Baustein 2 – Case Management, 01.01.2021–31.12.2021" in overview
    assert "605.000,00 €" in overview and "berechnet aus den bewilligten Förderstellen" in overview
    export = logged_in_client("finanzen-rsk").get("/mittelabrufe/", {"_export": "csv"})
    assert export["Content-Type"].startswith("text/csv") and "605000" in export.content.decode("utf-8-sig")


def test_a_decision_without_a_stated_amount_is_called_up_to_what_its_slots_give():
    decision = GrantDecision.objects.get(county__slug="rhein-sieg-kreis", module__code="kim-b2",
                                         period_start=date(2021, 1, 1))  # 11 FTE × 55.000 € = 605.000 €
    client = logged_in_client("finanzen-rsk")
    response = client.post(f"/mittelabrufe/bescheid/{decision.pk}/neu/", {
        "received_on": "15.03.2021", "received_amount": "605.000,01", "version": ""})
    assert "noch abrufbar 605.000 €" in response.content.decode().replace("\u00a0", " ")
    response = client.post(f"/mittelabrufe/bescheid/{decision.pk}/neu/", {
        "received_on": "15.03.2021", "received_amount": "302.500,00", "version": ""})
    assert response.status_code == 302
    page = client.get(f"/mittelabrufe/bescheid/{decision.pk}/").content.decode().replace("\u00a0", " ")
    assert "ausgezahlt ohne Anforderung" in page and "<strong>302.500,00 €</strong>" in page


def test_a_request_dated_in_the_future_is_refused(lebensabend):
    response = logged_in_client("ki-rsk").post(f"/mittelabrufe/bescheid/{lebensabend.pk}/neu/", {
        "requested_on": "01.01.2099", "requested_amount": "1.000,00", "version": ""})
    assert "liegt in der Zukunft" in response.content.decode()
    assert not Drawdown.objects.filter(requested_on=date(2099, 1, 1)).exists()


def test_a_call_beyond_the_decision_is_refused_and_nothing_is_saved(lebensabend):
    client = logged_in_client("finanzen-rsk")
    before = Drawdown.objects.count()
    response = client.post(f"/mittelabrufe/bescheid/{lebensabend.pk}/neu/", {
        "requested_on": "15.09.2022", "requested_amount": "40.000,01", "version": ""})
    assert response.status_code == 200
    page = response.content.decode().replace("\u00a0", " ").replace("\u00a0", " ")
    assert "übersteigt die Bewilligung: bewilligt 160.000 €, bereits abgerufen 120.000 €, noch abrufbar 40.000 €" in page
    assert "es wurde nichts gespeichert" in page
    assert Drawdown.objects.count() == before
    response = client.post(f"/mittelabrufe/bescheid/{lebensabend.pk}/neu/", {
        "requested_on": "15.09.2022", "requested_amount": "40.000,00", "version": ""})
    assert response.status_code == 302
    assert Drawdown.objects.filter(decision=lebensabend, requested_on=date(2022, 9, 15),
                                   requested_amount=D("40000")).exists()


def test_a_planned_call_is_a_deadline_until_it_is_requested(lebensabend):
    call = Drawdown.objects.create(decision=lebensabend, due_on=date(2022, 9, 30), requested_amount=D("40000"))
    items = [d for d in deadlines.upcoming_deadlines(lebensabend.county, today=date(2022, 10, 5))
             if d.kind == deadlines.DRAWDOWN_DUE]
    assert [(d.date, d.overdue, d.url) for d in items] == [
        (date(2022, 9, 30), True, f"/mittelabrufe/bescheid/{lebensabend.pk}/")]
    assert "40.000\u00a0€" in items[0].title
    call.requested_on = date(2022, 9, 20)
    call.save()
    assert not [d for d in deadlines.upcoming_deadlines(lebensabend.county, today=date(2022, 10, 5))
                if d.kind == deadlines.DRAWDOWN_DUE]


def test_committee_members_and_other_counties_do_not_see_draw_downs(lebensabend):
    assert logged_in_client("ausschuss-rsk").get("/mittelabrufe/").status_code == 403
    assert logged_in_client("ki-neuss").get(f"/mittelabrufe/bescheid/{lebensabend.pk}/").status_code == 404
    call = Drawdown.objects.filter(decision=lebensabend).first()
    assert logged_in_client("ki-neuss").get(f"/mittelabrufe/{call.pk}/bearbeiten/").status_code == 404


def test_editing_keeps_the_limit_and_the_history(lebensabend):
    client = logged_in_client("ki-rsk")
    call = Drawdown.objects.get(decision=lebensabend, requested_on=date(2022, 3, 15))
    response = client.post(f"/mittelabrufe/{call.pk}/bearbeiten/", {
        "requested_on": "15.03.2022", "requested_amount": "80.000,01", "version": call.version})
    assert "noch abrufbar 80.000 €" in response.content.decode().replace("\u00a0", " ")
    response = client.post(f"/mittelabrufe/{call.pk}/bearbeiten/", {
        "requested_on": "15.03.2022", "requested_amount": "80.000,00", "received_on": "04.04.2022",
        "received_amount": "80.000,00", "version": call.version})
    assert response.status_code == 302
    page = client.get(f"/mittelabrufe/{call.pk}/bearbeiten/").content.decode().replace("\u00a0", " ")
    assert "40.000" in page and "80.000" in page  # the history shows the change
