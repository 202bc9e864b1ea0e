"""A fresh user's findings on cities, Land texts and the Neuss demo (issue 11 §5, "Land data stays neutral").

The "Stadt Beispielstadt" is the user's own trial city, rebuilt here: a kreisfreie Stadt under a budget-recovery
plan with one district and one case manager (KIM Baustein 2, S 12, 1,0 VZÄ, filled since 01.01.2022), and – as the
user had it – no grant decision, no coverage source and no allocation. Everything else is the demo data.
"""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from kimportal import roles
from kimportal.models import County, Municipality, User
from programmes.models import Application, FundedSlot, FundingRate, GrantDecision, Module
from reports.dashboard import dashboard, fiscal_year_period
from reports.registry import get_report
from reports.selectors import paper_context
from staffing.models import CaseManagementAllocation, PayGrade, Position, WorkplaceCost
from tests.programmes.test_land_data_neutral import land_texts as programme_land_texts

PASSWORD = "kimportal-demo"
CITY = "stadt-beispielstadt"


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The demo data and the Stadt Beispielstadt, built once for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--with-demo-users", verbosity=0)
        yield build_city()
        transaction.set_rollback(True)


@pytest.fixture
def demo_users(city, db):
    """Overrides the per-test demo load of tests/conftest.py."""


def build_city() -> int:
    city = County.objects.create(name="Stadt Beispielstadt", slug=CITY, kind=County.Kind.KREISFREIE_STADT,
                                 budget_recovery_plan=True)
    Municipality.objects.create(county=city, name="Innenstadt", kind=Municipality.Kind.DISTRICT, population=50000)
    user = User.objects.create_user(username="ki-beispielstadt", password=PASSWORD, county=city)
    user.groups.add(Group.objects.get(name=roles.KI_STAFF))
    Position.objects.create(county=city, title="Case Management", module=Module.objects.get(code="kim-b2"),
                            funded_slot=FundedSlot.objects.get(code="kim-b2-case-management"),
                            pay_grade=PayGrade.objects.get(code="S12"), fte=Decimal("1"), status=Position.Status.FILLED,
                            start_on=date(2022, 1, 1))
    return city.pk


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --------------------------------------------------------------------------- 1. the staffing tile of a city


def test_a_city_without_decision_or_allocation_shows_what_is_filled_not_von_0(client, demo_users, city):
    board = dashboard(County.objects.get(pk=city), *fiscal_year_period(2022), today=date(2022, 6, 1))
    [row] = board.staffing
    assert (row.funded_fte, row.funded_source, row.filled_fte) == (None, "kein Bescheid erfasst", Decimal("1"))
    assert board.funded_fte is None
    page = text_of(login(client, "ki-beispielstadt").get("/", {"jahr": "2022"}))
    assert "1,0 VZÄ besetzt kein Zuwendungsbescheid erfasst; 1,0 VZÄ im Stellenplan" in page
    assert "von 0,0 VZÄ" not in page


def test_a_city_counts_the_capacity_of_its_district_allocation_for_a_baustein_without_application(
        client, demo_users, city):
    CaseManagementAllocation.objects.create(
        county_id=city, module=Module.objects.get(code="kim-b2"), code="cm-2022", name="CM-Einsatz Innenstadt 2022",
        capacity_fte=Decimal("1.5"), valid_from=date(2022, 1, 1), valid_until=date(2022, 12, 31))
    board = dashboard(County.objects.get(pk=city), *fiscal_year_period(2022), today=date(2022, 6, 1))
    [row] = board.staffing
    assert (row.funded_fte, row.funded_source, row.open_fte) == (
        Decimal("1.5"), "laut CM-Einsatz Innenstadt 2022", Decimal("0.5"))
    page = text_of(login(client, "ki-beispielstadt").get("/", {"jahr": "2022"}))
    assert "1,0 von 1,5 VZÄ besetzt gefördert laut CM-Einsatz Innenstadt 2022; 1,0 VZÄ im Stellenplan" in page


def test_a_kreis_keeps_its_funded_fte_from_the_decisions(demo_users):
    board = dashboard(County.objects.get(slug="rhein-sieg-kreis"), *fiscal_year_period(2022),
                      today=date(2022, 6, 1))
    rows = {row.module: row for row in board.staffing}
    assert rows["kim-b2"].funded_fte == 11 and rows["kim-b2"].funded_source == "Bescheid 2022"
    assert board.funded_sources == "laut Bescheid"


# --------------------------------------------------------------------------- 2. coverage texts only where they exist


def test_the_kim_paper_of_a_city_without_coverage_source_says_nothing_of_the_integrationspauschale(
        client, demo_users, city):
    report = get_report("kim")
    county = County.objects.get(pk=city)
    explanations = report.default_texts(county)["explanations"]
    assert "die Stadt für den Zeitraum zu tragen hätte. Die Berechnungen erfolgen" in explanations
    assert "Integrationspauschale" not in explanations and "Deckungsmittel" not in explanations
    preview = login(client, "ki-beispielstadt").get(reverse("reports:report_preview", kwargs={"slug": "kim"}),
                                                    {"start": "2022-01", "end": "2022-12"})
    assert preview.status_code == 200
    assert "Integrationspauschale" not in preview.content.decode()


def test_the_kim_paper_names_the_county_s_own_coverage_source_by_its_record(demo_users):
    rsk = County.objects.get(slug="rhein-sieg-kreis")
    explanations = get_report("kim").default_texts(rsk)["explanations"]
    assert ("die der Kreis für den Zeitraum zu tragen hätte, sofern die Verwendungsdauer des Deckungsmittels "
            "„Integrationspauschale (§ 14c TIntG)“ nicht verlängert wird.") in explanations


# --------------------------------------------------------------------------- 3. "Für die Stadt Beispielstadt"


def test_the_budget_recovery_note_names_the_city_with_its_article(client, demo_users):
    page = text_of(login(client, "ki-beispielstadt").get(reverse("budgeting:calculation"),
                                                         {"start": "2022-01", "end": "2022-12"}))
    assert "Haushaltssicherung: Für die Stadt Beispielstadt gilt ein Haushaltssicherungskonzept (§ 76 GO NRW)." in page
    assert "Für Stadt Beispielstadt" not in page


# --------------------------------------------------------------------------- 4. Land texts cite the Land


def land_texts() -> list[tuple[str, str]]:
    """The Land's programme texts (tests/programmes) and the pay grades and KGSt costs every county shares."""
    texts = programme_land_texts()
    texts += [(f"Entgeltgruppe {grade.code}", grade.name) for grade in PayGrade.objects.all()]
    texts += [(f"KGSt {cost.pk}", cost.source) for cost in WorkplaceCost.objects.all()]
    return texts


def test_no_land_record_cites_a_county_s_paper_or_our_docs(demo_users):
    texts = land_texts()
    assert len(texts) > 60
    assert [(record, text) for record, text in texts if re.search(r"Vorlage|DOMAIN|\.md\b", text or "")] == []


def test_the_land_s_kim_rates_cite_the_guideline_of_25_11_2020(demo_users):
    sources = dict(FundingRate.objects.filter(module__code="kim-b1", valid_until=date(2022, 12, 31))
                   .values_list("cost_type", "source"))
    assert sources["personnel"] == ("Richtlinie Kommunales Integrationsmanagement NRW (RdErl. des MKFFI vom "
                                    "25.11.2020, MBl. NRW. 2020 S. 751): jährlich 55.000 € je VZÄ Koordination")
    assert "Richtlinie für die Förderung Kommunaler Integrationszentren" in FundingRate.objects.get(pk=11).source


# --------------------------------------------------------------------------- 6. the programme list's "Art"


def test_the_programme_list_names_land_programmes_and_own_ones(client, demo_users):
    page = login(client, "ki-rsk").get(reverse("programmes:programme_list"), {"sort": "kind"})
    rows = {row.record.code: row.get_cell("kind") for row in page.context["table"].rows}
    assert rows["kim"] == "Landesprogramm" and rows["ki-grundfoerderung"] == "Landesprogramm"
    assert "eigenes Programm" in {value for code, value in rows.items() if code not in {"kim", "komm-an"}}
    text = text_of(page)
    assert text.count("Landesprogramm") >= 6
    assert "die eigenen Programme Ihres Kreises (Rhein-Sieg-Kreis)" in text
    city_page = text_of(login(client, "ki-beispielstadt").get(reverse("programmes:programme_list")))
    assert "die eigenen Programme Ihrer Stadt (Stadt Beispielstadt)" in city_page


# --------------------------------------------------------------------------- 7. the Neuss demo


def test_the_neuss_kim_decision_belongs_to_its_application_and_nothing_is_overdue(client, demo_users):
    application = Application.objects.get(county__slug="rhein-kreis-neuss", programme__code="kim")
    decision = GrantDecision.objects.get(county__slug="rhein-kreis-neuss", module__code="kim-b1")
    assert decision.application == application and decision.received_on == date(2021, 12, 15)
    assert application.steps.get(kind="decision").occurred_on == date(2021, 12, 15)
    page = text_of(login(client, "ki-neuss").get(reverse("programmes:application_detail", args=[application.pk])))
    assert "Noch kein Zuwendungsbescheid" not in page and "überfällig" not in page
    assert "Baustein 1 – Strategische Steuerung 2022" in page


def test_every_neuss_position_has_a_stellennummer_and_the_notes_read_as_the_county_s_own(demo_users):
    positions = Position.objects.filter(county__slug="rhein-kreis-neuss").order_by("position_number")
    numbers = [p.position_number for p in positions]
    assert numbers == [f"NE-KIM-{n:02d}" for n in range(1, 12)]
    notes = [p.note for p in positions] + list(GrantDecision.objects.filter(
        county__slug="rhein-kreis-neuss").values_list("note", flat=True))
    assert all(notes)
    assert [note for note in notes if re.search(r"script|Skript|Annahme|Demodaten|\.py\b", note)] == []


# --------------------------------------------------------------------------- 8. the KIM paper's charts


def test_the_kim_paper_s_charts_show_the_blocks_and_modules_of_its_tables(demo_users):
    rsk = County.objects.get(slug="rhein-sieg-kreis")
    report = get_report("kim")
    data = paper_context(report, rsk, report.default_params(rsk))["data"]
    shown = {module["name"] for module in data["modules"]}
    assert shown == {"Baustein 1 – Strategische Steuerung", "Baustein 2 – Case Management",
                     "Baustein 3 – Ausländer- und Einbürgerungsbehörden"}
    others = set(Module.objects.exclude(name__in=shown).values_list("name", flat=True)) | {"Projektmittel"}
    for chart in ("own_share", "staffing"):
        svg = data["charts"][chart]["svg"]
        assert all(name in svg for name in shown), chart
        assert [name for name in others if name in svg] == [], chart
    # The own shares in the chart are the table's: 168.979 € for Baustein 1 (158.644 + 10.335) and 82.533 € for
    # Baustein 3, variant 1, in the base case.
    own_share = data["charts"]["own_share"]["svg"]
    assert "168.979" in own_share and "82.533" in own_share
    assert "54.167" not in own_share  # the Projektmittel's own share, which the paper's tables do not print
