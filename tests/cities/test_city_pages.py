"""A kreisfreie Stadt (issue 11 §5): the Bundesstadt Bonn allocates case management to its Stadtbezirke.

Populations of the four Stadtbezirke, Hauptwohnsitze on 31.12.2020, Statistikstelle der Bundesstadt Bonn, as the
Wikipedia articles of the districts quote it (Bonn 155.235, Bad Godesberg 76.156, Beuel 67.827, Hardtberg 34.576;
together 333.794, the city's "amtliche Einwohnerzahl" of that date). The city's key 05314000 is IT.NRW's
Gemeindeschlüssel of Bonn. Everything else is a test assumption, not Bonn's real plan: two case managers
(S 12, 1,0 VZÄ each) in 2022, Bad Godesberg bearing room and material costs of 6.250 € per VZÄ as the
Rhein-Sieg-Kreis' municipalities do (Vorlage 002), and – for the note – a budget-recovery plan.

Own share 2022 of the case-management block, by the rules of DOMAIN.md (12 whole months):
total 2 × 95.380 € (KGSt S 12) = 190.760 €; grant 2 × 55.000 € = 110.000 €; third party
Bad Godesberg 2,5 days = 0,5 VZÄ × 6.250 € = 3.125 €; own share 190.760 − 110.000 − 3.125 = 77.635 €.
"""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from budgeting.models import CoverageSource, Scenario
from budgeting.selectors import own_share_comparison
from kimportal import roles
from kimportal.models import County, Municipality, Partner, User
from programmes.choices import FieldOfAction
from programmes.models import (Application, FocusGoal, FundedSlot, GrantDecision, GrantedSlot, Module, PassThrough,
                               Programme)
from reports.dashboard import allocation_chart, dashboard, fiscal_year_period
from reports.models import IssuedReport
from reports.registry import all_reports, get_report
from reports.selectors import paper_context
from staffing.models import CaseManagementAllocation, CooperationAgreement, CostSplit, PayGrade, Position
from staffing.services import allocation_propose_by_population, allocation_update
from tests.factories import make_appropriation, make_budget_line, make_coverage_source
from tests.test_access import EDIT, NOT_FOR_KI_STAFF, REDIRECT_ON_GET, URLS, view_model

PASSWORD = "kimportal-demo"
BONN = "bundesstadt-bonn"
DISTRICTS = {"Bonn": 155235, "Bad Godesberg": 76156, "Beuel": 67827, "Hardtberg": 34576}
POPULATION_SOURCE = "Statistikstelle der Bundesstadt Bonn, Hauptwohnsitze 31.12.2020"
# "Kommune" or "Kommunen" as a word; "Kommunales Integrationszentrum" is the centre's name and stays.
KOMMUNE = re.compile(r"\bKommunen?\b")
# Where "Kommune" is right in a city too: the levy section says that a city splits nothing over municipalities,
# and the report list describes the KIM paper for every county.
ALLOWED = ("der Eigenanteil wird nicht auf Kommunen umgelegt", "CM-Einsatz je Kommune bzw. Stadtbezirk")


@pytest.fixture(scope="module")
def bonn(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data and the Bundesstadt Bonn, built once for this module and rolled back at its end."""
    task_files = tmp_path_factory.mktemp("tasks")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(TASK_FILES_DIR=task_files):
        call_command("load_demo", "--with-demo-users", verbosity=0)
        yield build_bonn()
        transaction.set_rollback(True)


@pytest.fixture
def demo_users(bonn, db):
    """Overrides the per-test demo load of tests/conftest.py."""


def build_bonn() -> dict:
    city = County.objects.create(name="Bundesstadt Bonn", slug=BONN, kind=County.Kind.KREISFREIE_STADT,
                                 key="05314000", centre_name="Kommunales Integrationszentrum der Bundesstadt Bonn",
                                 budget_recovery_plan=True)
    for name, population in DISTRICTS.items():
        Municipality.objects.create(county=city, name=name, kind=Municipality.Kind.DISTRICT, population=population,
                                    population_as_of=date(2020, 12, 31), population_source=POPULATION_SOURCE)
    for username, role in (("ki-bonn", roles.KI_STAFF), ("ausschuss-bonn", roles.COMMITTEE)):
        user = User.objects.create_user(username=username, password=PASSWORD, county=city)
        user.groups.add(Group.objects.get(name=role))
    module = Module.objects.get(code="kim-b2")
    allocation = CaseManagementAllocation.objects.create(
        county=city, module=module, code="cm-bezirke-2022", name="CM-Einsatz in den Stadtbezirken 2022",
        capacity_fte=Decimal("2"), valid_from=date(2022, 1, 1), valid_until=date(2022, 12, 31))
    for number in (1, 2):
        Position.objects.create(county=city, title=f"Case Management {number}", position_number=f"BN-CM-0{number}",
                                module=module,
                                funded_slot=FundedSlot.objects.get(code="kim-b2-case-management"),
                                pay_grade=PayGrade.objects.get(code="S12"), fte=Decimal("1"),
                                start_on=date(2022, 1, 1), allocation=allocation)
    godesberg = Municipality.objects.get(county=city, name="Bad Godesberg")
    agreement = CooperationAgreement.objects.create(county=city, municipality=godesberg, allocation=allocation,
                                                    valid_from=date(2022, 1, 1), valid_until=date(2022, 12, 31))
    CostSplit.objects.create(agreement=agreement, item=CostSplit.Item.ROOM_MATERIAL,
                             borne_by=CostSplit.BorneBy.PARTNER, annual_per_fte=Decimal("6250"))
    # One record of every other kind, so that every page of a record can be opened with the city's own.
    caritas = Partner.objects.create(county=city, name="Caritasverband für die Stadt Bonn e.V.",
                                     kind=Partner.Kind.WELFARE)
    kim = Programme.objects.get(code="kim")
    own = Programme.objects.create(county=city, code="bonn-integrationsfonds", name="Integrationsfonds der Stadt")
    Application.objects.create(county=city, programme=kim, module=module, title="KIM 2022")
    decision = GrantDecision.objects.create(county=city, programme=kim, module=module, period_start=date(2022, 1, 1),
                                            period_end=date(2022, 12, 31), amount=Decimal("110000"))
    GrantedSlot.objects.create(decision=decision, funded_slot=FundedSlot.objects.get(code="kim-b2-case-management"),
                               count=Decimal("2"), nominal_fte=Decimal("1"))
    # The next year's decision passes part of its grant on (outside 2022: the city's figures for 2022 stay).
    following = GrantDecision.objects.create(county=city, programme=kim, module=module, period_start=date(2023, 1, 1),
                                             period_end=date(2023, 12, 31), amount=Decimal("110000"))
    PassThrough.objects.create(decision=following, recipient=caritas, amount=Decimal("10000"))
    if django_apps.is_installed("drawdowns"):  # the draw-downs of a decision (issue 12), once that app is there
        django_apps.get_model("drawdowns", "Drawdown").objects.create(
            decision=decision, requested_on=date(2022, 3, 1), requested_amount=Decimal("55000"))
    if django_apps.is_installed("actuals"):  # actual costs from the payroll (issue 12)
        from actuals.services import actuals_import

        actuals_import(county=city, file_name="ist-januar.csv",
                       content="Stellennummer;Monat;Kostenart;Betrag\nBN-CM-01;01.2022;Personalkosten;7.948,33\n"
                       .encode())
        django_apps.get_model("actuals", "Vacancy").objects.create(
            county=city, position=Position.objects.get(county=city, position_number="BN-CM-02"),
            start_on=date(2023, 1, 1), end_on=date(2023, 2, 28), note="Elternzeit (Vertretung gesucht)")
    if django_apps.is_installed("tasks"):  # a finished background PDF of the city (issue 13; its file stands in)
        run = django_apps.get_model("tasks", "TaskRun").objects.create(
            kind="report", title="KIM", county=city, params={"report": "kim"}, status="done", progress=100)
        run.result_file = f"{run.pk}/kim.pdf"
        run.save()
        run.result_path.parent.mkdir(parents=True)
        run.result_path.write_bytes(b"%PDF-1.7")
    FocusGoal.objects.create(county=city, field_of_action=FieldOfAction.KIM, title="Case Management in allen "
                             "Stadtbezirken", text="Jeder Stadtbezirk hat Case Management.", due_on=date(2023, 12, 31))
    Scenario.objects.create(county=city, name="dritte Stelle")
    make_coverage_source(county=city, name="Integrationspauschale (§ 14c TIntG)", balance="0")
    make_appropriation(budget_line=make_budget_line(county=city, code="KIM-CM", name="KIM Case Management"),
                       fiscal_year=2022, amount="0")
    report = get_report("kim")
    paper = paper_context(report, city, report.default_params(city))
    IssuedReport.objects.create(county=city, report="kim", title=report.title, paper_number="1/2022",
                                committee="Ausschuss für Migration und Integration", params=paper["params"],
                                snapshot=paper, pdf=b"%PDF-1.7", page_count=1)
    return {"city": city.pk, "allocation": allocation.pk, "own_programme": own.pk}


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def text_of(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def stray_kommune(text: str) -> list[str]:
    """Each place a page says "Kommune(n)" about the city's units, with some context."""
    for allowed in ALLOWED:
        text = text.replace(allowed, "")
    text = " ".join(text.split())
    return [text[max(0, m.start() - 60):m.end() + 60] for m in KOMMUNE.finditer(text)]


KEY_MODELS = {"decision_pk": GrantDecision, "application_pk": Application, "source_pk": CoverageSource,
              "pass_through_pk": PassThrough, "position_pk": Position}


def bonn_object(model):
    fields = {f.name for f in model._meta.get_fields()}
    for path in ("county", "position__county", "application__county", "allocation__county", "decision__county",
                 "budget_line__county", "scenario__county", "agreement__county"):
        if path.split("__")[0] in fields:
            return model.objects.filter(**{f"{path}__slug": BONN}).order_by("pk").first()
    return None


def bonn_urls(username: str) -> list[tuple[str, str]]:
    """(name, URL) of every page a user of the city may open: record pages with the city's own records, every
    report's preview (the PDFs render the same data: one is fetched in its own test)."""
    urls = []
    for name, pattern in URLS:
        if name.endswith("_pdf") or name in NOT_FOR_KI_STAFF or name in REDIRECT_ON_GET:
            continue
        if username.startswith("ausschuss") and EDIT.search(name.split(":")[1]):
            continue
        view = getattr(pattern.callback, "view_class", None)
        if view is not None and (not hasattr(view, "get") or "get" not in view.http_method_names):
            continue  # answers POST only (issuing a paper, mapping the columns of an uploaded file)
        converters = pattern.pattern.converters
        if not converters:
            urls.append((name, reverse(name)))
        elif set(converters) == {"slug"}:
            urls.extend((f"{name}:{report.slug}", reverse(name, kwargs={"slug": report.slug}))
                        for report in all_reports() if report.has_workbook or name != "reports:report_xlsx")
        else:
            # A new step is added to an application: its URL carries the application's key.
            # A page of a record's part (a new step of an application, a decision's draw-downs) names the record
            # by its key ("decision_pk"), whatever model the view itself edits.
            model = KEY_MODELS.get(next(iter(converters))) or view_model(pattern)
            if name == "programmes:applicationstep_create":
                model = Application
            obj = bonn_object(model)
            assert obj is not None, f"{name}: no record of the city to open the page with"
            kwargs = {key: obj.pk for key in converters if key != "year"}
            if "year" in converters:  # a decision's proof of use for a year (proofs.urls)
                kwargs["year"] = obj.period_end.year
            urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("username", ["ki-bonn", "ausschuss-bonn"])
def test_every_page_of_the_city_opens_and_speaks_of_stadtbezirke(client, demo_users, username):
    login(client, username)
    refused, failed, strays = [], [], {}
    for name, url in bonn_urls(username):
        response = client.get(url)
        if response.status_code == 403:
            refused.append(name)
            continue
        if response.status_code != 200:
            failed.append(f"{name} {url}: {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download (the PDF of a background task, a workbook): its text is checked in its own tests
        found = stray_kommune(text_of(response))
        if found:
            strays[name] = found
    assert not failed
    assert not strays, "\n".join(f"{name}: {found}" for name, found in strays.items())
    if username == "ki-bonn":
        assert refused == []
    else:  # the committee reads the start page, the reports and the papers issued to it
        assert "reports:report_preview:kim" not in refused and "reports:issuedreport_list" not in refused


def test_the_committee_and_ki_staff_reach_the_start_page_with_the_district_chart(client, demo_users):
    for username in ("ki-bonn", "ausschuss-bonn"):
        login(client, username)
        response = client.get("/", {"jahr": "2022"})
        page = response.content.decode()
        assert "CM-Einsatz: Tage pro Woche je Stadtbezirk" in page
        assert stray_kommune(text_of(response)) == []
        client.logout()


def test_the_kim_paper_of_the_city_renders_as_pdf(client, demo_users):
    login(client, "ki-bonn")
    response = client.get(reverse("reports:report_pdf", kwargs={"slug": "kim"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # A city's paper is signed by its Oberbürgermeister, not a Landrat (a fresh user's trial of issue 11).
    preview = client.get(reverse("reports:report_preview", kwargs={"slug": "kim"})).content.decode()
    assert "<p>Der Oberbürgermeister</p>" in preview and "Der Landrat" not in preview


def test_an_object_of_the_city_is_404_for_the_rhein_sieg_kreis(client, demo_users, bonn):
    login(client, "ki-rsk")
    assert client.get(reverse("staffing:allocation_detail", args=[bonn["allocation"]])).status_code == 404


# --------------------------------------------------------------------------- the allocation to districts


def allocation_url(bonn):
    return reverse("staffing:allocation_detail", args=[bonn["allocation"]])


def test_the_allocation_page_lists_the_districts_with_their_population(client, demo_users, bonn):
    page = login(client, "ki-bonn").get(allocation_url(bonn)).content.decode()
    assert "Tage pro Woche je Stadtbezirk (in halben Tagen)" in page
    assert '<th scope="col">Stadtbezirk</th>' in page
    assert "alle Stadtbezirke oder keine" in page
    for name in DISTRICTS:
        assert f">{name}</label>" in page
    assert "155.235" in page and "34.576" in page
    assert "CM-Einsatz in den Stadtbezirken" in client.get(reverse("staffing:allocation_list")).content.decode()


def test_the_proposal_by_population_splits_ten_days_over_the_districts(client, demo_users, bonn):
    # 20 half days by Hare-Niemeyer: Bonn 9, Bad Godesberg 5, Beuel 4, Hardtberg 2 half days; Beuel (2,0) and
    # Hardtberg (1,0) are under the 2,5 days (0,5 VZÄ) the guideline funds, the smallest drops out, and the
    # 20 half days go to Bonn 10, Bad Godesberg 5, Beuel 5.
    allocation = CaseManagementAllocation.objects.get(pk=bonn["allocation"])
    districts = list(Municipality.objects.filter(county=allocation.county).order_by("name"))
    proposal = {m.name: days for m in districts
                for pk, days in allocation_propose_by_population(allocation=allocation, municipalities=districts).items()
                if pk == m.pk}
    assert proposal == {"Bad Godesberg": Decimal("2.5"), "Beuel": Decimal("2.5"), "Bonn": Decimal("5"),
                        "Hardtberg": Decimal("0")}
    page = login(client, "ki-bonn").post(allocation_url(bonn), {
        "action": "propose", "version": allocation.version}).content.decode()
    assert ("Vorschlag nach Einwohnerzahl in halben Tagen, mindestens 2,5 Tage (0,5 VZÄ) je Stadtbezirk; "
            "Stadtbezirke ohne Bedarf und mit Sonderregelung bleiben außen vor.") in page


def post_days(client, bonn, days: dict[str, str], **extra):
    allocation = CaseManagementAllocation.objects.get(pk=bonn["allocation"])
    districts = list(Municipality.objects.filter(county=allocation.county).order_by("name"))
    data = {"action": "save", "version": allocation.version, "shares-TOTAL_FORMS": len(districts),
            "shares-INITIAL_FORMS": len(districts), "shares-MIN_NUM_FORMS": 0, "shares-MAX_NUM_FORMS": 1000}
    for index, district in enumerate(districts):
        data[f"shares-{index}-municipality"] = district.pk
        data[f"shares-{index}-days"] = days.get(district.name, "0")
    data.update(extra)
    return client.post(allocation_url(bonn), data)


def test_the_allocation_is_saved_for_the_districts(client, demo_users, bonn):
    login(client, "ki-bonn")
    response = post_days(client, bonn, {"Bonn": "5", "Bad Godesberg": "2,5", "Beuel": "2,5"})
    assert response.status_code == 302
    allocation = CaseManagementAllocation.objects.get(pk=bonn["allocation"])
    assert {s.municipality.name: s.days for s in allocation.shares.all()} == {
        "Bonn": Decimal("5.00"), "Bad Godesberg": Decimal("2.50"), "Beuel": Decimal("2.50"),
        "Hardtberg": Decimal("0.00")}


def test_the_messages_of_the_allocation_page_speak_of_the_district(client, demo_users, bonn):
    login(client, "ki-bonn")
    page = post_days(client, bonn, {"Bonn": ""}).content.decode()
    assert "Bitte die Tage angeben – 0, wenn der Stadtbezirk keine erhält." in page
    page = post_days(client, bonn, {"Hardtberg": "1"}, **{"shares-3-no_demand": "on"}).content.decode()
    assert "Ein Stadtbezirk ohne Bedarf erhält keine Tage." in page
    page = post_days(client, bonn, {}, **{"shares-0-municipality": "999999"}).content.decode()
    assert "Die Liste der Stadtbezirke ist nicht mehr aktuell." in page


def test_a_city_with_districts_and_offices_names_both(client, demo_users, bonn):
    city = County.objects.get(pk=bonn["city"])
    Municipality.objects.create(county=city, name="Ausländerbehörde", kind=Municipality.Kind.OFFICE, population=0)
    page = login(client, "ki-bonn").get(allocation_url(bonn)).content.decode()
    assert "Tage pro Woche je Stadtbezirk oder Dienststelle" in page
    assert "alle Stadtbezirke und Dienststellen oder keine" in page


def test_a_municipality_under_a_budget_recovery_plan_is_marked_on_the_allocation_page(client, demo_users):
    # Test assumption: Much in the Haushaltssicherung (the demo records no municipality as such).
    Municipality.objects.filter(county__slug="rhein-sieg-kreis", name="Much").update(budget_recovery_plan=True)
    allocation = CaseManagementAllocation.objects.get(county__slug="rhein-sieg-kreis", code="cm-kommunen-2021")
    page = login(client, "ki-rsk").get(reverse("staffing:allocation_detail", args=[allocation.pk])).content.decode()
    assert page.count(">HSK</abbr>") == 1
    assert re.search(r">Much</label> <abbr title=\"Haushaltssicherungskonzept[^\"]*\">HSK</abbr>", page)


# --------------------------------------------------------------------------- own share and the HSK note


def test_the_own_share_of_the_city_counts_the_district_as_third_party(demo_users, bonn):
    city = County.objects.get(pk=bonn["city"])
    allocation = CaseManagementAllocation.objects.get(pk=bonn["allocation"])
    allocation_update(allocation=allocation, shares={
        m.pk: {"days": Decimal({"Bonn": "5", "Bad Godesberg": "2.5", "Beuel": "2.5"}.get(m.name, "0"))}
        for m in Municipality.objects.filter(county=city)})
    result = own_share_comparison(city, date(2022, 1, 1), date(2022, 12, 1), [None]).results[0]
    [block] = result.blocks
    assert (block.total, block.grant, block.third_party, block.own_share) == (
        Decimal("190760"), Decimal("110000"), Decimal("3125"), Decimal("77635"))
    assert [line.label for line in block.lines if line.field == "third_party"] == [
        "Raum- und Sachkosten der Stadtbezirke"]
    assert result.unplanned_provision == Decimal("77635")


def test_the_own_share_page_and_the_risk_paper_of_a_city_under_a_budget_recovery_plan_say_so(client, demo_users):
    login(client, "ki-bonn")
    note = "Haushaltssicherung: Für die Bundesstadt Bonn gilt ein Haushaltssicherungskonzept (§ 76 GO NRW)."
    page = client.get(reverse("budgeting:calculation"), {"start": "2022-01", "end": "2022-12"}).content.decode()
    assert note in page
    assert page.index("Risikospanne:") < page.index(note) < page.index("Beträge laut Vorlage")
    paper = client.get(reverse("reports:report_preview", kwargs={"slug": "risiko"}),
                       {"fiscal_year": "2022"}).content.decode()
    assert note in paper
    assert "Haushaltssicherung</th>" in paper


def test_a_city_without_a_budget_recovery_plan_and_every_kreis_get_no_note(client, demo_users, bonn):
    County.objects.filter(pk=bonn["city"]).update(budget_recovery_plan=False)
    for username in ("ki-bonn", "ki-rsk"):
        login(client, username)
        assert "Haushaltssicherungskonzept (§ 76" not in client.get(reverse("budgeting:calculation")).content.decode()
        assert "Haushaltssicherungskonzept (§ 76" not in client.get(
            reverse("reports:report_preview", kwargs={"slug": "risiko"})).content.decode()


def test_the_risk_paper_of_a_city_speaks_of_the_city(client, demo_users):
    paper = login(client, "ki-bonn").get(reverse("reports:report_preview", kwargs={"slug": "risiko"}),
                                         {"fiscal_year": "2021"}).content.decode()  # no position in 2021
    assert "Im Zeitraum hat die Stadt keine Eigenanteile zu tragen." in paper
    assert "der Kreis" not in paper


# --------------------------------------------------------------------------- dashboard and papers


def test_the_dashboard_chart_of_the_city_is_per_district(demo_users, bonn):
    city = County.objects.get(pk=bonn["city"])
    chart = allocation_chart(dashboard(city, *fiscal_year_period(2022), today=date(2022, 6, 1)))
    assert chart.title == "CM-Einsatz: Tage pro Woche je Stadtbezirk"
    assert chart.table.headers[0] == "Stadtbezirk"
    assert chart.table.caption == "CM-Einsatz: Tage pro Woche je Stadtbezirk"


def test_the_kim_paper_of_the_city_speaks_of_its_districts_and_of_the_city(demo_users, bonn):
    city = County.objects.get(pk=bonn["city"])
    report = get_report("kim")
    paper = paper_context(report, city, report.default_params(city))
    assert paper["data"]["unit_terms"]["dative_plural"] == "Stadtbezirken"
    assert ("die Verteilung des Case Managements auf die Stadtbezirke und die Eigenanteile dar, die die Stadt für "
            "den Zeitraum zu tragen hätte") in paper["setup"]["explanations"]
    goals = get_report("ziele")
    assert "Integrationsarbeit in den Stadtbezirken. Aus den gemeldeten Bedarfen der Stadtbezirke" in (
        paper_context(goals, city, goals.default_params(city))["setup"]["explanations"])


def test_the_papers_of_a_kreis_keep_their_wording(demo_users):
    rsk = County.objects.get(slug="rhein-sieg-kreis")
    report = get_report("kim")
    # The Kreis's wording, with its own coverage source named by its record (issue 11 §5).
    assert report.default_texts(rsk)["explanations"] == report.default_explanations.replace(
        "zu tragen hätte.", "zu tragen hätte, sofern die Verwendungsdauer des Deckungsmittels „Integrationspauschale "
        "(§ 14c TIntG)“ nicht verlängert wird.")
    assert report.default_explanations.startswith(
        "Die Verwaltung stellt im Folgenden die geförderten Stellen der drei Bausteine, die Verteilung des Case "
        "Managements auf die Kommunen und die Eigenanteile dar, die der Kreis für den Zeitraum zu tragen hätte")
    goals = get_report("ziele")
    assert goals.default_texts(rsk)["explanations"] == goals.default_explanations
    assert "in den kreisangehörigen Städten und Gemeinden. Aus den gemeldeten Bedarfen der Kommunen hat" in (
        goals.default_explanations)
    data = paper_context(report, rsk, report.default_params(rsk))["data"]
    assert data["unit_terms"]["singular"] == "Kommune"


# --------------------------------------------------------------------------- admin


def test_the_admin_shows_and_edits_the_city_s_key_plan_and_its_districts_kinds(admin_client, demo_users, bonn):
    city = County.objects.get(pk=bonn["city"])
    page = admin_client.get(reverse("admin:kimportal_county_change", args=[city.pk])).content.decode()
    for field in ("key", "budget_recovery_plan", "municipalities-0-kind", "municipalities-0-ags",
                  "municipalities-0-population_source"):
        assert f'name="{field}"' in page
    assert 'value="05314000"' in page and "§ 76 GO NRW" in page
    listing = admin_client.get(reverse("admin:kimportal_municipality_changelist"), {"county__id__exact": city.pk})
    assert listing.status_code == 200
    assert "Stadtbezirk" in listing.content.decode()
    godesberg = Municipality.objects.get(county=city, name="Bad Godesberg")
    change = admin_client.get(reverse("admin:kimportal_municipality_change", args=[godesberg.pk])).content.decode()
    assert 'name="ags"' in change and 'name="population_source"' in change
    assert POPULATION_SOURCE in change
