"""Kreis Coesfeld: Dülmen employs a case manager for Dülmen and Nottuln; Nottuln budgets up to 5.000 € a year for
its half. Entered on the position page, the own share is split as agreed, everywhere (DOMAIN.md, "Who bears what")."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kimportal.models import Partner
from programmes.models import FundedSlot, Module
from staffing.models import OwnShareSplit, PayGrade, Position
from tests.budgeting.test_county_examples import county, own_share
from tests.staffing.test_views import login_new_user, position_data, split_rows

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def coesfeld(client):
    where = county("kreis-coesfeld", "Kreis Coesfeld")
    duelmen = Partner.objects.create(county=where, name="Stadt Dülmen", kind=Partner.Kind.MUNICIPALITY)
    nottuln = Partner.objects.create(county=where, name="Gemeinde Nottuln", kind=Partner.Kind.MUNICIPALITY)
    cm = Position.objects.create(county=where, title="Case Management Dülmen/Nottuln",
                                 module=Module.objects.get(code="kim-b2"),
                                 funded_slot=FundedSlot.objects.get(code="kim-b2-case-management"),
                                 pay_grade=PayGrade.objects.get(code="S12"), fte=D("1"), start_on=date(2021, 1, 1),
                                 employer=duelmen, status=Position.Status.FILLED)
    login_new_user(client, where)
    return client, cm, duelmen, nottuln


def test_nottuln_s_half_capped_at_5_000_euros_is_saved_and_the_own_share_is_split(coesfeld):
    client, cm, duelmen, nottuln = coesfeld
    data = position_data(cm, **split_rows(cm, {"partner": nottuln.pk, "percent": "50", "annual_amount": "5.000",
                                               "agreement": "öffentlich-rechtliche Vereinbarung vom 12.03.2021"}))
    response = client.post(reverse("staffing:position_edit", args=[cm.pk]), data)
    assert response.status_code == 302

    split = OwnShareSplit.objects.get(position=cm)
    assert (split.partner, split.percent, split.annual_amount) == (nottuln, D("50"), D("5000"))
    (block,) = own_share("kreis-coesfeld", "2021-01", "2021-12")["cases"][0]["blocks"]
    assert (block["total"], block["grant"], block["third_party"], block["own_share"]) == (
        "95380", "55000", "40380", "0")
    assert block["parties"] == {"Gemeinde Nottuln": "5000", "Stadt Dülmen": "35380"}
    assert block["label"].endswith("Eigenanteil geteilt mit Gemeinde Nottuln")

    page = client.get(reverse("staffing:position_detail", args=[cm.pk])).content.decode()
    assert "Gemeinde Nottuln: 50 %, höchstens 5.000\u00a0€ je Jahr" in page
    assert "den Rest trägt Stadt Dülmen" in page
    assert "Eigenanteil geteilt mit Gemeinde Nottuln" in page  # the history names the new row
    calculation = client.get(reverse("budgeting:calculation"), {"start": "2021-01", "end": "2021-12"}).content.decode()
    assert "Anteil Gemeinde Nottuln (50 %, höchstens 5.000\u00a0€ je Jahr)" in calculation
    assert "davon trägt Stadt Dülmen" in calculation


@pytest.mark.parametrize("row, message", [
    ({"days": "3"}, None),  # with the other row: 3 + 2,5 days of a 5-day week
    ({"percent": "50", "days": "2,5"}, "Bitte entweder Tage oder einen Anteil in % angeben."),
])
def test_an_agreement_that_cannot_hold_is_refused_and_nothing_is_saved(coesfeld, row, message):
    client, cm, duelmen, nottuln = coesfeld
    haltern = Partner.objects.create(county=cm.county, name="Stadt Haltern am See", kind=Partner.Kind.MUNICIPALITY)
    rows = [{"partner": nottuln.pk, **row}]
    if message is None:
        rows.append({"partner": haltern.pk, "days": "2,5"})
        message = "Die Tage der Kommunen (5,5) übersteigen die Arbeitswoche der Stelle (5,0 Tage bei 1,0 VZÄ)."
    response = client.post(reverse("staffing:position_edit", args=[cm.pk]),
                           position_data(cm, note="geändert", **split_rows(cm, *rows)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "es wurde nichts gespeichert" in response.content.decode()
    cm.refresh_from_db()
    assert (cm.note, cm.own_share_splits.count()) == ("", 0)


def test_the_employer_cannot_share_with_itself_nor_a_county_post_with_anyone(coesfeld):
    client, cm, duelmen, nottuln = coesfeld
    response = client.post(reverse("staffing:position_edit", args=[cm.pk]),
                           position_data(cm, **split_rows(cm, {"partner": duelmen.pk, "percent": "50"})))
    assert "Stadt Dülmen ist Anstellungsträger und trägt den Rest des Eigenanteils" in response.content.decode()

    OwnShareSplit.objects.create(position=cm, partner=nottuln, annual_amount=D("5000"))
    response = client.post(reverse("staffing:position_edit", args=[cm.pk]), position_data(cm, employer=""))
    assert response.status_code == 200
    assert ("Den Eigenanteil teilen sich Kommunen nur bei Stellen eines anderen Anstellungsträgers"
            in response.content.decode())
    cm.refresh_from_db()
    assert cm.employer == duelmen


def test_a_scenario_with_half_the_post_counts_nottuln_s_days_of_the_smaller_week(coesfeld):
    from budgeting import calculations as calc
    from budgeting.models import Scenario, ScenarioPositionOverride
    from budgeting.selectors import calculation_input

    client, cm, duelmen, nottuln = coesfeld
    OwnShareSplit.objects.create(position=cm, partner=nottuln, days=D("1"))
    scenario = Scenario.objects.create(county=cm.county, name="halbe Stelle")
    ScenarioPositionOverride.objects.create(scenario=scenario, position=cm, fte=D("0.5"))
    (block,) = calc.calculate(calculation_input(cm.county, date(2021, 1, 1), date(2021, 12, 31), scenario)).blocks
    # 0,5 × 95.380 − 0,5 × 55.000 = 20.190 € own share of Dülmen; Nottuln 1 of 2,5 days: 8.076 €.
    assert block.parties == {"Gemeinde Nottuln": D("8076"), "Stadt Dülmen": D("12114")}


def test_a_partner_employed_post_without_a_top_up_has_no_county_budget_line(coesfeld):
    """A fresh user's trial: the block read "Eigenanteil im Haushalt veranschlagt" though the county bears 0 €."""
    from budgeting.models import BudgetLine

    client, cm, duelmen, nottuln = coesfeld
    line = BudgetLine.objects.create(county=cm.county, code="31.10.01", name="KIM Case Management")
    response = client.post(reverse("staffing:position_edit", args=[cm.pk]),
                           position_data(cm, own_share_budget_line=line.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["own_share_budget_line"][0].startswith(
        "Den Eigenanteil dieser Stelle trägt der Anstellungsträger")
    response = client.post(reverse("staffing:position_edit", args=[cm.pk]),
                           position_data(cm, own_share_budget_line=line.pk, county_top_up="5.000"))
    assert response.status_code == 302


def test_the_haushalt_report_names_the_employer_once_and_the_municipalities_share(coesfeld):
    """A fresh user's trial: "… 1,0 VZÄ trägt Stadt Troisdorf, 1,0 VZÄ trägt Stadt Troisdorf", no word of the split."""
    import reports.papers.haushalt  # noqa: F401  (registers the report)
    from reports.registry import ReportParams, get_report
    from reports.selectors import paper_context

    client, cm, duelmen, nottuln = coesfeld
    OwnShareSplit.objects.create(position=cm, partner=nottuln, percent=D("50"), annual_amount=D("5000"))
    Position.objects.create(county=cm.county, title="CM Dülmen 2", module=cm.module, funded_slot=cm.funded_slot,
                            pay_grade=cm.pay_grade, fte=D("0.5"), start_on=date(2021, 1, 1), employer=duelmen)
    data = paper_context(get_report("haushalt"), cm.county, ReportParams(start=date(2021, 1, 1),
                                                                         end=date(2021, 12, 1)))["data"]
    details = [text for year in data["years"] for group in year["groups"] for row in group["rows"]
               for text in row["details"] if "trägt" in text]
    assert any("den Eigenanteil von 1,5 VZÄ trägt Stadt Dülmen (nach Vereinbarung davon Gemeinde Nottuln "
               "5.000\u00a0€)" in text for text in details), details
