"""Issue 9, §6: no silent data loss in number fields.

A browser's ``<input type="number">`` drops letters typed into it and sends an empty field; an empty
field must then never become 0, a default or "unchanged". So no page has a number input (every number
is a text input the server reads with Django's localized parser), and an empty or unreadable value in a
required number field is refused next to the field, with nothing saved. The allocation page, where
Alfter once went from 2 to 0 days, is tested in tests/staffing/test_views.py and tests/browser.
"""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from budgeting.models import Appropriation, BudgetLine, Scenario
from kimportal.models import County
from programmes.models import GrantDecision, GrantedSlot, Programme
from staffing.models import Position
from tests.test_access import RSK, URLS, site, url_for  # noqa: F401  (site: the demo, loaded once)

PASSWORD = "kimportal-demo"
REQUIRED = "Dieses Feld ist zwingend erforderlich."
WHOLE_NUMBER = "Bitte eine ganze Zahl eingeben."


@pytest.fixture
def demo_users(site, db):
    """The module's demo data (tests/test_access.py), each test in its own savepoint."""


def logged_in(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def field_html(content, name):
    """The input named ``name`` and what follows it up to the end of its paragraph or cell."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>.*?(?=</p>|</td>|<p>|<td)', content, re.S)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize("username", ["ki-rsk", "finanzen-rsk"])
def test_no_page_has_a_number_input_that_could_drop_letters(demo_users, username):
    client = logged_in(username)
    urls = [url_for(name, pattern) for name, pattern in URLS] + [
        "/", reverse("reports:report_preview", kwargs={"slug": "stellenplan"})]
    numeric_inputs = 0
    for url in urls:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue  # the PDFs
        content = response.content.decode()
        assert 'type="number"' not in content, url
        numeric_inputs += content.count('inputmode="numeric"') + content.count('inputmode="decimal"')
    assert numeric_inputs > 10  # the numbers are there, as text inputs with a numeric keypad


# --- appropriations (Haushaltsansätze) -----------------------------------------------------------


@pytest.mark.parametrize("typed, message", [("", REQUIRED), ("2O23", WHOLE_NUMBER), ("zweitausend", WHOLE_NUMBER)])
def test_an_appropriation_without_a_readable_fiscal_year_is_refused(demo_users, typed, message):
    line = BudgetLine.objects.get(county__slug=RSK, code="31.10.01-KIM-CM")
    before = Appropriation.objects.count()

    response = logged_in("finanzen-rsk").post(reverse("budgeting:appropriation_create"), {
        "budget_line": line.pk, "fiscal_year": typed, "amount": "130.500,50", "note": "", "version": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year"] == [message]
    html = field_html(response.content.decode(), "fiscal_year")
    assert 'type="text"' in html and 'inputmode="numeric"' in html and message in html
    assert Appropriation.objects.count() == before


@pytest.mark.parametrize("field, typed, message", [
    ("fiscal_year", "", REQUIRED), ("amount", "", REQUIRED), ("amount", "viel", "Bitte eine Zahl eingeben.")])
def test_an_appropriation_edit_with_an_empty_or_unreadable_number_changes_nothing(demo_users, field, typed,
                                                                                   message):
    appropriation = Appropriation.objects.filter(budget_line__county__slug=RSK).order_by("pk").first()
    data = {"budget_line": appropriation.budget_line_id, "fiscal_year": str(appropriation.fiscal_year),
            "amount": "1", "note": "", "version": str(appropriation.version), field: typed}

    response = logged_in("finanzen-rsk").post(
        reverse("budgeting:appropriation_edit", args=[appropriation.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    after = Appropriation.objects.get(pk=appropriation.pk)
    assert (after.fiscal_year, after.amount, after.version) == (
        appropriation.fiscal_year, appropriation.amount, appropriation.version)


def test_an_unreadable_fiscal_year_filter_shows_an_error_and_not_every_year(demo_users):
    response = logged_in("finanzen-rsk").get(reverse("budgeting:appropriation_list"), {"fiscal_year": "2O21"})

    assert response.status_code == 200
    assert list(response.context["table"].data) == []
    assert "Bitte eine Zahl eingeben." in field_html(response.content.decode(), "fiscal_year")


# --- scenarios -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, message", [("", REQUIRED), ("zweiter", WHOLE_NUMBER)])
def test_a_scenario_without_a_readable_rank_is_refused_and_keeps_its_rank(demo_users, typed, message):
    scenario = Scenario.objects.filter(county__slug=RSK).order_by("pk").first()
    data = {"name": "Umbenannt", "description": scenario.description, "position": typed,
            "version": str(scenario.version),
            "stellen-TOTAL_FORMS": "0", "stellen-INITIAL_FORMS": "0", "stellen-MIN_NUM_FORMS": "0",
            "stellen-MAX_NUM_FORMS": "1000", "deckung-TOTAL_FORMS": "0", "deckung-INITIAL_FORMS": "0",
            "deckung-MIN_NUM_FORMS": "0", "deckung-MAX_NUM_FORMS": "1000"}

    response = logged_in("ki-rsk").post(reverse("budgeting:scenario_edit", args=[scenario.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["position"] == [message]
    after = Scenario.objects.get(pk=scenario.pk)
    assert (after.name, after.position, after.version) == (scenario.name, scenario.position, scenario.version)


# --- grant decisions and their slots ---------------------------------------------------------------


def grant_decision_post(**overrides):
    kim = Programme.objects.get(code="kim")
    module = kim.modules.get(code="kim-b1")
    data = {"programme": kim.pk, "module": module.pk, "authority": "Bezirksregierung Arnsberg",
            "issued_on": "15.02.2022", "period_start": "01.01.2022", "period_end": "31.12.2022", "amount": "",
            "slots-TOTAL_FORMS": "1", "slots-INITIAL_FORMS": "0",
            "slots-0-funded_slot": module.funded_slots.get(code="kim-b1-koordination").pk,
            "slots-0-count": "3,5", "slots-0-nominal_fte": "1",
            "pass_throughs-TOTAL_FORMS": "0", "pass_throughs-INITIAL_FORMS": "0"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, typed, message", [
    ("count", "", REQUIRED), ("count", "elf", "Bitte eine Zahl eingeben."), ("nominal_fte", "", REQUIRED)])
def test_a_slot_row_with_an_empty_or_unreadable_number_is_refused_and_nothing_is_saved(demo_users, field, typed,
                                                                                       message):
    before = (GrantDecision.objects.count(), GrantedSlot.objects.count())

    response = logged_in("ki-rsk").post(reverse("programmes:grantdecision_create"),
                                        grant_decision_post(**{f"slots-0-{field}": typed}))

    assert response.status_code == 200
    slot_form = response.context["formsets"]["slots"].forms[0]
    assert slot_form.errors[field] == [message]
    html = field_html(response.content.decode(), f"slots-0-{field}")
    assert 'type="text"' in html and 'inputmode="decimal"' in html and message in html
    assert (GrantDecision.objects.count(), GrantedSlot.objects.count()) == before
    assert not GrantDecision.objects.filter(issued_on=date(2022, 2, 15)).exists()


# --- positions and report parameters ---------------------------------------------------------------


@pytest.mark.parametrize("typed, message", [("", REQUIRED), ("halbe", "Bitte eine Zahl eingeben.")])
def test_a_position_without_a_readable_fte_is_refused_and_keeps_its_fte(demo_users, typed, message):
    from tests.staffing.test_views import position_data

    position = Position.objects.filter(county__slug=RSK).order_by("pk").first()
    response = logged_in("ki-rsk").post(reverse("staffing:position_edit", args=[position.pk]),
                                        position_data(position, fte=typed))

    assert response.status_code == 200
    assert response.context["form"].errors["fte"] == [message]
    after = Position.objects.get(pk=position.pk)
    assert (after.fte, after.version) == (position.fte, position.version)


def test_an_unreadable_fiscal_year_of_a_report_is_refused_not_replaced_by_the_default(demo_users):
    # As type="number" the browser sent "" for "2O22", and the report silently showed its default year.
    url = reverse("reports:report_preview", kwargs={"slug": "stellenplan"})
    client = logged_in("finanzen-rsk")
    html = field_html(client.get(url).content.decode(), "fiscal_year")
    assert 'type="text"' in html and 'inputmode="numeric"' in html

    response = client.get(url, {"fiscal_year": "2O22"})

    assert response.status_code == 400
    assert "Bitte das Haushaltsjahr als Zahl angeben, z. B. 2022." in response.content.decode()
    assert "paper" not in response.context


def test_the_county_of_the_demo_has_the_data_these_tests_use(demo_users):
    county = County.objects.get(slug=RSK)
    assert Appropriation.objects.filter(budget_line__county=county).exists()
    assert Scenario.objects.filter(county=county).exists()
    assert Decimal("0") < Position.objects.filter(county=county).order_by("pk").first().fte
