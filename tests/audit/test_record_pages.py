"""Every change to a record or to any of its rows shows on the record's page: who, when, old → new.

Figures of the demo data (Vorlage 002 of the Rhein-Sieg-Kreis): Alfter has 2 CM days a week, the 2021
grant decision for Baustein 2 funds 11 case-management slots, scenario "Variante 2" assumes 1,0 VZÄ.
"""
from decimal import Decimal

import pytest
from django.urls import reverse

from budgeting.models import Scenario, ScenarioPositionOverride
from programmes.models import Application, GrantDecision, GrantedSlot
from staffing.models import AllocationShare
from tests.audit.forms import page_data
from tests.staffing.test_views import allocation_data, login, rsk_allocation

pytestmark = pytest.mark.django_db
KIRA = "Kira Integrationszentrum"


@pytest.fixture
def ki(client, demo_users):
    return login(client, "ki-rsk")


def history_text(page) -> str:
    return " ".join(f"{label}: {old} → {new}" for entry in page.context["history"] for label, old, new in entry["changes"])


def test_changing_alfters_cm_days_from_2_to_1_5_shows_on_the_allocation_page(ki):
    allocation = rsk_allocation()
    url = reverse("staffing:allocation_detail", args=[allocation.pk])

    assert ki.post(url, allocation_data(allocation, days={"Alfter": "1,5"})).status_code == 302

    page = ki.get(url)
    newest = page.context["history"][0]
    assert (newest["user"], newest["action"]) == (KIRA, "geändert")
    assert newest["changes"] == [("Alfter", "2,0", "1,5 Tage")]
    assert "Alfter: 2,0 → 1,5 Tage" in page.content.decode()


def test_saving_the_allocation_unchanged_writes_no_history_record(ki):
    allocation = rsk_allocation()
    before = AllocationShare.history.count(), type(allocation).history.count()

    assert ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                   allocation_data(allocation)).status_code == 302

    allocation.refresh_from_db()
    assert allocation.version == 2  # the save counted for optimistic locking, but is no change
    assert (AllocationShare.history.count(), type(allocation).history.count()) == before


def test_changing_a_grant_decisions_slots_from_11_to_2_shows_on_its_page(ki):
    decision = GrantDecision.objects.get(pk=3)
    edit = reverse("programmes:grantdecision_edit", args=[decision.pk])
    form = ki.get(edit)
    index = next(i for i, f in enumerate(form.context["formsets"]["slots"].forms)
                 if f.instance.pk and f.instance.funded_slot.name == "Case Management")

    assert ki.post(edit, page_data(form, **{f"slots-{index}-count": "2"})).status_code == 302

    page = ki.get(reverse("programmes:grantdecision_detail", args=[decision.pk]))
    assert page.context["history"][0]["changes"] == [("Förderstellen Case Management", "11", "2")]
    assert "Förderstellen Case Management: 11 → 2" in page.content.decode()


def test_saving_a_grant_decision_unchanged_writes_no_history_record(ki):
    decision = GrantDecision.objects.get(pk=3)
    edit = reverse("programmes:grantdecision_edit", args=[decision.pk])
    before = GrantDecision.history.count(), GrantedSlot.history.count()

    assert ki.post(edit, page_data(ki.get(edit))).status_code == 302

    assert (GrantDecision.history.count(), GrantedSlot.history.count()) == before
    assert GrantDecision.objects.get(pk=3).version == 2


def test_adding_a_pass_through_shows_as_a_new_row_of_the_decision(ki):
    decision = GrantDecision.objects.get(pk=3)
    edit = reverse("programmes:grantdecision_edit", args=[decision.pk])
    form = ki.get(edit)
    troisdorf = decision.county.partners.get(name="Stadt Troisdorf")
    extra = len(form.context["formsets"]["pass_throughs"].forms) - 1

    assert ki.post(edit, page_data(form, **{f"pass_throughs-{extra}-recipient": troisdorf.pk,
                                           f"pass_throughs-{extra}-amount": "55.000"})).status_code == 302

    changes = ki.get(reverse("programmes:grantdecision_detail", args=[decision.pk])).context["history"][0]["changes"]
    assert changes == [("Weiterleitung an Stadt Troisdorf", "(neu)", "55.000,00\u00a0€")]


def test_changing_a_scenarios_assumption_shows_on_its_page(ki):
    scenario = Scenario.objects.get(county__slug="rhein-sieg-kreis", name__startswith="Baustein 3 – Variante 2")
    edit = reverse("budgeting:scenario_edit", args=[scenario.pk])
    form = ki.get(edit)
    position_forms = form.context["formsets"][0].forms
    index = next(i for i, f in enumerate(position_forms)
                 if f.instance.pk and f.instance.position.title == "Sachbearbeitung Einbürgerung 1 (KIM Baustein 3)")

    response = ki.post(edit, page_data(form, **{f"stellen-{index}-fte": "0,75"}))

    assert response.status_code == 302
    assert ScenarioPositionOverride.objects.get(pk=position_forms[index].instance.pk).fte == Decimal("0.75")
    page = ki.get(reverse("budgeting:scenario_detail", args=[scenario.pk]))
    assert page.context["history"][0]["changes"] == [
        ("Stellen-Annahme Sachbearbeitung Einbürgerung 1 (KIM Baustein 3), Stellenanteil (VZÄ)", "1,0", "0,75")]


def test_a_new_application_step_shows_on_the_applications_page(ki):
    application = Application.objects.get(pk=1)

    response = ki.post(reverse("programmes:applicationstep_create", args=[application.pk]),
                       {"kind": "concept_submitted", "occurred_on": "30.08.2021"})

    assert response.status_code == 302
    page = ki.get(reverse("programmes:application_detail", args=[application.pk]))
    assert page.context["history"][0]["user"] == KIRA
    assert page.context["history"][0]["changes"] == [
        ("Schritt Konzept nachgereicht", "(neu)", "erledigt am 30.08.2021")]
    assert "Schritt Konzept nachgereicht: (neu) → erledigt am 30.08.2021" in page.content.decode()
