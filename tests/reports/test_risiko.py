"""The overspend-risk report (risiko) for the treasury: figures of the own-share engine, coverage month by month,
who decides by the county's value limit, expiring coverage sources, parameters, pages and PDF."""
import json
import re
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

import reports.papers.risiko  # noqa: F401  (registers the report)
from budgeting.models import CoverageSource, Scenario
from budgeting.selectors import own_share_comparison
from kimportal.models import County
from provisions.models import ProvisionStage, ProvisionStatute
from reports.papers.risiko import source_status
from reports.registry import ReportError, ReportParams, get_report, report_data
from reports.rendering import page_count, paper_html, render_pdf, write_first_page_png
from reports.selectors import paper_context

from tests.provisions.helpers import record_council_from

from .conftest import pdf_pages, pdf_text

RSK = "rhein-sieg-kreis"
PERIOD = ReportParams(start=date(2021, 12, 1), end=date(2022, 12, 1))
V1 = "Baustein 3 – Variante 1 (3 × 0,75 VZÄ)"
V2 = "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"
IP = "Integrationspauschale (§ 14c TIntG)"
EXTENDED = "Integrationspauschale verlängert bis 30.11.2022"
PASSWORD = "kimportal-demo"
PNG = Path(settings.BASE_DIR) / "var" / "reports" / "risiko.png"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def render(county, params=PERIOD) -> bytes:
    return render_pdf(paper_html(paper_context(get_report("risiko"), county, params)))


@pytest.fixture(scope="module")
def papers(django_db_setup, django_db_blocker):
    """The PDFs this module reads, rendered once on the demo data: all cases, one scenario, the council from
    50.000 € on, and the Rhein-Kreis Neuss with its limits removed."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-users", verbosity=0)
        county = County.objects.get(slug=RSK)
        rendered = {
            "all": render(county),
            "v2": render(county, ReportParams(start=PERIOD.start, end=PERIOD.end, scenario=V2)),
        }
        record_council_from(County.objects.get(slug=RSK), "50000")
        rendered["limit-50000"] = render(County.objects.get(slug=RSK))
        ProvisionStatute.objects.filter(county__slug="rhein-kreis-neuss").delete()
        rendered["neuss"] = render(County.objects.get(slug="rhein-kreis-neuss"),
                                   ReportParams(start=date(2022, 1, 1), end=date(2022, 12, 1)))
        transaction.set_rollback(True)
    return rendered


@pytest.fixture(scope="module")
def texts(papers):
    """The text of each PDF, read once (pdfplumber takes a second or two per paper)."""
    return {name: flat(pdf_text(pdf)) for name, pdf in papers.items()}


def data(county=None, params=PERIOD) -> dict:
    return report_data(get_report("risiko"), county or County.objects.get(slug=RSK), params)


# --------------------------------------------------------------------------- the PDF


def test_the_pdf_is_valid_landscape_with_header_and_page_numbers_on_every_page(papers):
    pdf = papers["all"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = pdf_pages(pdf)
    assert len(pages) == page_count(pdf) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text
        assert "Rhein-Sieg-Kreis · Kommunales Integrationszentrum" in text
    with pdfplumber.open(BytesIO(pdf)) as document:  # A4 landscape: 841.9 × 595.3 pt
        assert all(round(page.width) == 842 and round(page.height) == 595 for page in document.pages)
    first = pages[0]
    for part in ("Mitteilungsvorlage", "Beratungsfolge", "Vorbemerkungen:", "Erläuterungen:",
                 "Risiko überplanmäßiger Bereitstellungen", "Auf einen Blick", "60.330 € – 578.466 €"):
        assert part in first
    text = pdf_text(pdf)
    assert "Finanzielle Auswirkungen" in text and "Im Auftrag" in text


def test_the_pdf_shows_the_unplanned_provision_of_every_case_and_the_risk_range(texts):
    text = texts["all"]
    assert "Betrachtungszeitraum 01.12.2021 – 31.12.2022 (13 Monate)" in text
    # At a glance, on page 1: the range, per fiscal year, who decides, the expired coverage.
    assert "Überplanmäßige Bereitstellung 60.330 € – 578.466 €" in text
    # The extended Integrationspauschale (demo scenario) pays December 2021 and most of 2022.
    assert "davon je Haushaltsjahr 2021: 0 € – 44.497 €; 2022: 60.330 € – 533.969 €" in text
    assert (f"Zuständigkeit vorherige Zustimmung Kreistag / Kreisausschuss: Planstand; {V1}; {V2} · "
            f"Entscheidung Kämmerer/in: {EXTENDED}") in text
    assert "Überplanmäßige Bereitstellung (ungedeckt) 510.330 €" in text
    assert "Risikospanne: 60.330 € – 578.466 €" in text
    assert "Überplanmäßige Bereitstellung gesamt 510.330 € 510.330 € 578.466 € 60.330 €" in text
    assert "Überplanmäßige Bereitstellung im Planstand: 510.330 €" in text
    assert f"Überplanmäßige Bereitstellung im Szenario „{V2}“: 578.466 €" in text
    # The blocks and the split by fiscal year (12/2021 in the budget of 2021, the rest in 2022).
    for figure in ("158.644 €", "10.335 €", "258.818 €", "82.533 €", "150.669 €"):
        assert figure in text
    assert "davon Haushaltsjahr 2021 39.256 € 39.256 € 44.497 € 0 €" in text
    assert "davon Haushaltsjahr 2022 471.074 € 471.074 € 533.969 € 60.330 €" in text
    # Troisdorf bears its own share: no risk.
    assert "Anstellungsträger Stadt Troisdorf (Eigenanteil trägt Stadt Troisdorf)" in text


def test_the_pdf_shows_the_expired_integrationspauschale_with_its_date_and_balance(texts):
    text = texts["all"]
    assert IP in text and "30.11.2021" in text
    assert f"{IP} Planstand (und übrige 450.000 € 30.11.2021 0 € 450.000 € ABGELAUFEN abgelaufen am 30.11.2021:" in text
    assert "Restbetrag 450.000 € im Zeitraum nicht" in text
    assert f"Im Zeitraum nicht verwendbar: {IP} (verwendbar bis 30.11.2021, Restbetrag 450.000 €)" in text


def test_the_pdf_shows_appropriations_month_by_month_with_their_balance(texts):
    text = texts["all"]
    # The three case-management positions of 2020: their own share is in the budget, 10.095 € a month.
    assert ("gedeckt durch Haushaltsansatz 10.095 10.095 10.095 10.095 10.095 10.095 10.095 10.095 10.095 10.095 "
            "10.095 10.095 121.140 31.10.01-KIM-CM (2022) verwendbar bis 31.12.2022") in text
    assert "Restbetrag nach dem Monat 111.045 100.950 90.855 80.760" in text
    assert "31.10.01-KIM-CM Planstand 2022 121.140 € 31.12.2022 121.140 € 0 €" in text


def test_the_limit_of_the_county_says_who_decides(texts):
    text = texts["all"]
    # The demo's former single limit of 100.000 € ("from it on the council"), converted to stages.
    assert "Wertgrenzen für überplanmäßige Bereitstellungen (Rhein-Sieg-Kreis):" in text
    assert "bis einschließlich 99.999,99 €: Kämmerer/in" in text
    assert "über 99.999,99 €: Kreistag / Kreisausschuss" in text
    assert "Wertgrenzen (§ 83 GO NRW): nach Haushaltssatzung, siehe III." in text
    # The columns of section III, one per stage (their headings wrap).
    assert "Entscheidung Kämmerer/in (bis einschließlich" in text
    assert "Zustimmung Kreistag / Kreisausschuss (über" in text
    # Planstand: 10.335 + 82.533 below the limit, 158.644 + 258.818 from it on.
    assert "Planstand 92.868 €" in text and "417.462 €" in text


def test_with_a_limit_of_50_000_the_amounts_above_it_need_the_council(texts):
    text = texts["limit-50000"]
    assert "bis einschließlich 49.999,99 €: Kämmerer/in" in text
    assert "über 49.999,99 €: Kreistag / Kreisausschuss" in text
    assert "Zuständigkeit vorherige Zustimmung Kreistag / Kreisausschuss (Gesamtbetrag über 49.999,99 €)" in text
    # 82.533 € is now above the limit; only the assistant's 10.335 € stays with the treasurer.
    assert ("Kreistag / Kreisausschuss Kreistag / Kreisausschuss Kreistag / Kreisausschuss Kämmerer/in "
            "Einbürgerungsbehörde (82.533 €)") in text
    assert "Planstand 10.335 € 499.995 € 510.330 €" in text  # 158.644 + 258.818 + 82.533 from the limit on


def test_the_data_mark_each_block_by_the_limit(demo):
    county = County.objects.get(slug=RSK)
    record_council_from(county, "50000")
    result = data()
    base = result["cases"][0]
    decided = {block["label"].split(": ", 1)[1]: block["decision"] for block in base["blocks"]}
    assert decided["Verwaltungsassistenz"]["who"] == "Kämmerer/in" and not decided["Verwaltungsassistenz"]["council"]
    assert decided["Stelle Ausländer- / Einbürgerungsbehörde"]["council"]
    assert decided["Koordination (Strategische Steuerung)"]["council"]
    assert decided["Case Management, Eigenanteil im Haushalt veranschlagt"] is None  # fully covered: nothing to decide
    treasurer, council = base["by_stage"]
    assert treasurer["amount"] == "10335" and council["amount"] == "499995"
    (total,) = base["decisions"]  # KIM only: one kind of spending
    assert total["amount"] == "510330" and total["decision"]["council"]
    assert all(item["decision"]["council"] for item in result["risk"]["decisions"])
    # From the old limit on the council decides: 10.335 € with the council from 10.335 € on.
    record_council_from(county, "10335")
    treasurer, council = data()["cases"][0]["by_stage"]
    assert treasurer["amount"] == "0" and council["amount"] == "510330"
    # A stage "bis" includes its amount: up to and including 10.335 € the treasurer decides the assistant.
    record_council_from(county, "10335.01")
    assert data()["cases"][0]["by_stage"][0]["amount"] == "10335"


def test_a_county_without_a_limit_is_told_so(texts):
    text = texts["neuss"]
    assert "Rhein-Kreis Neuss: keine Wertgrenzen für überplanmäßige Bereitstellungen hinterlegt." in text
    assert "Wertgrenzen (§ 83 GO NRW): keine festgelegt" in text
    # Its KIM positions (from its workbook) carry own shares no source covers: 398.260 € in 2022.
    assert "Risikospanne: 398.260 €" in text


def test_without_a_limit_the_rhein_sieg_kreis_gets_no_decision_but_the_note(demo):
    ProvisionStatute.objects.filter(county__slug=RSK).delete()
    result = data()
    assert result["limits"]["recorded"] is False and result["limits"]["columns"] == []
    assert all(item["decision"] is None for case in result["cases"] for item in case["decisions"])
    assert all(block["decision"] is None for case in result["cases"] for block in case["blocks"])
    assert result["summary"]["decision"] == "nicht bestimmbar: keine Wertgrenzen hinterlegt"
    html = paper_html(paper_context(get_report("risiko"), County.objects.get(slug=RSK), PERIOD))
    assert "Rhein-Sieg-Kreis: keine Wertgrenzen für überplanmäßige Bereitstellungen hinterlegt." in html


def test_a_scenario_parameter_shows_only_that_scenario_beside_the_base_case(texts):
    text = texts["v2"]
    assert V2 in text and V1 not in text
    assert "Risikospanne: 510.330 € – 578.466 €" in text
    assert "Überplanmäßige Bereitstellung gesamt 510.330 € 578.466 €" in text


# --------------------------------------------------------------------------- the engine's figures


def test_every_figure_is_the_engines_and_equals_the_own_share_command(demo):
    result = data()
    out = StringIO()
    call_command("own_share", county=RSK, start="2021-12", end="2022-12", format="json", stdout=out)
    command = json.loads(out.getvalue())
    assert [case["name"] for case in result["cases"]] == [case["name"] for case in command["cases"]]
    assert [case["unplanned_provision"] for case in result["cases"]] == ["510330", "510330", "578466", "60330"]
    assert result["risk"]["range"] == "60.330\u00a0€ – 578.466\u00a0€"
    assert (result["risk"]["low"], result["risk"]["high"]) == (command["risk_range"]["low"],
                                                               command["risk_range"]["high"])
    for case, expected in zip(result["cases"], command["cases"]):
        assert case["unplanned_provision"] == expected["unplanned_provision"]
        # The paper leaves out the blocks without positions (issue 11: decisions' lump sums and own funds, never
        # uncovered); the command shows every programme.
        positions = [block for block in expected["blocks"] if not block["key"].startswith(("pauschal:", "eigenmittel:"))]
        assert int(case["own_share"]) == sum(int(block["own_share"]) for block in positions)
        blocks = {block["key"]: block for block in expected["blocks"]}
        for block in case["blocks"]:
            engine = blocks[block["key"]]
            assert block["own_share"] == engine["own_share"] and block["uncovered"] == engine["uncovered"]
            (table,) = block["matrix"]
            rows = {row["kind"]: row for row in table["rows"]}
            assert table["months"] == [f"{m['month'][5:]}/{m['month'][:4]}" for m in engine["months"]]
            assert rows["own_share"]["cells"] == [m["own_share"] for m in engine["months"]]
            assert rows["uncovered"]["cells"] == [m["uncovered"] for m in engine["months"]]
            assert rows["uncovered"]["total"] == engine["uncovered"]
            assert rows["cumulative"]["cells"][-1] == engine["uncovered"]


def test_the_figures_equal_the_own_share_page(demo_users, client):
    assert client.login(username="finanzen-rsk", password=PASSWORD)
    # The page opens with the papers' period 12/2021–12/2022 and every scenario, as the report does.
    page = client.get(reverse("budgeting:calculation")).content.decode()
    comparison = own_share_comparison(County.objects.get(slug=RSK), PERIOD.start, PERIOD.end)
    result = data(params=ReportParams())
    assert [str(r.unplanned_provision) for r in comparison.results] == [
        case["unplanned_provision"] for case in result["cases"]]
    assert f"Risikospanne: {result['risk']['range']}" in page
    assert result["risk"]["range"] == "60.330\u00a0€ – 578.466\u00a0€"


def test_an_extended_integrationspauschale_covers_month_by_month_until_its_balance_is_used(demo):
    county = County.objects.get(slug=RSK)
    source = CoverageSource.objects.get(county=county, name=IP)
    scenario = Scenario.objects.get(county=county, name=EXTENDED)  # the demo's scenario
    assert scenario.coverage_overrides.get(source=source).usable_until == date(2022, 11, 30)
    result = data(county, ReportParams(start=PERIOD.start, end=PERIOD.end, scenario=EXTENDED))
    extended = result["cases"][1]
    comparison = own_share_comparison(county, PERIOD.start, PERIOD.end, [None, scenario])
    engine = comparison.results[1]
    assert Decimal(extended["unplanned_provision"]) == engine.unplanned_provision == 60330
    assert Decimal(extended["covered_sources"]) == 450000
    assert result["risk"]["range"] == "60.330\u00a0€ – 510.330\u00a0€"
    # The balance after each month is what the engine left of the 450.000 €; it is used up in 11/2022.
    usage = engine.sources[0]
    balances, balance = [], usage.opening_balance
    for month in engine.months:
        balance -= usage.used.get(month, 0)
        balances.append(str(balance))
    coordination = next(b for b in extended["blocks"] if b["key"] == "kim-b1-koordination")
    rows = coordination["matrix"][0]["rows"]
    cover = next(row for row in rows if row["kind"] == "cover")
    assert cover["label"] == f"gedeckt durch {IP}" and cover["note"] == "verwendbar bis 30.11.2022"
    assert rows[rows.index(cover) + 1]["cells"] == balances
    assert [Decimal(balance) for balance in balances[-2:]] == [0, 0]
    # The source runs out within the period: marked.
    (row,) = [s for s in result["sources"] if s["name"] == IP]
    flags = {variant["case"]: (variant["flag"], variant["note"]) for variant in row["variants"]}
    assert flags["Planstand"][0] == "abgelaufen"
    assert flags[EXTENDED] == ("läuft aus", "läuft im Zeitraum aus (30.11.2022)")
    text = flat(pdf_text(render(county, ReportParams(start=PERIOD.start, end=PERIOD.end, scenario=EXTENDED))))
    assert "LÄUFT AUS läuft im Zeitraum aus" in text
    assert "gedeckt durch Integrationspauschale" in text and "verwendbar bis 30.11.2022" in text


def test_coverage_running_out_is_marked_relative_to_the_period_and_the_report_date():
    start, end, today = date(2022, 1, 1), date(2022, 12, 1), date(2022, 3, 15)
    status = source_status(date(2021, 11, 30), Decimal("450000"), Decimal("450000"), start, end, today)
    assert status["flag"] == "abgelaufen" and "Restbetrag 450.000\u00a0€" in status["note"]
    assert source_status(date(2021, 11, 30), Decimal("0"), Decimal("0"), start, end, today)["flag"] is None
    assert source_status(date(2022, 6, 30), Decimal("100"), Decimal("40"), start, end, today) == {
        "flag": "läuft aus", "note": "läuft im Zeitraum aus (30.06.2022); Rest 40\u00a0€ verfällt"}
    soon = source_status(date(2023, 6, 30), Decimal("100"), Decimal("100"), start, end, today)
    assert soon["flag"] == "läuft aus" and "6 Monaten nach Ende des Zeitraums" in soon["note"]
    assert source_status(date(2023, 7, 31), Decimal("100"), Decimal("100"), start, end, today)["flag"] is None
    report_date = source_status(date(2024, 1, 31), Decimal("100"), Decimal("100"), start, end, date(2023, 9, 1))
    assert report_date["flag"] == "läuft aus" and "nach dem Berichtsdatum" in report_date["note"]


# --------------------------------------------------------------------------- parameters


def test_a_fiscal_year_is_january_to_december(demo):
    result = data(params=ReportParams(fiscal_year=2022))
    assert result["period"]["text"] == "01.01.2022 – 31.12.2022 (12 Monate)"
    comparison = own_share_comparison(County.objects.get(slug=RSK), date(2022, 1, 1), date(2022, 12, 1))
    assert [case["unplanned_provision"] for case in result["cases"]] == [
        str(r.unplanned_provision) for r in comparison.results]
    assert get_report("risiko").filename(County.objects.get(slug=RSK), ReportParams(fiscal_year=2022)) == (
        "risiko_rhein-sieg-kreis_2022.pdf")


def test_without_parameters_the_report_takes_the_own_share_pages_period(demo):
    report = get_report("risiko")
    county = County.objects.get(slug=RSK)
    assert report.default_params(county) == ReportParams()
    assert data(params=ReportParams())["period"]["text"] == "01.12.2021 – 31.12.2022 (13 Monate)"
    assert report.filename(county, ReportParams()) == "risiko_rhein-sieg-kreis_2021-12-bis-2022-12.pdf"


@pytest.mark.parametrize("params, message", [
    (ReportParams(start=PERIOD.start, end=PERIOD.end, scenario="Variante 3"),
     f"Unbekanntes Szenario „Variante 3“ (bekannt: {V1}; {V2}; {EXTENDED})."),
    (ReportParams(start=PERIOD.start, end=PERIOD.end, fiscal_year=2022),
     "Bitte entweder einen Zeitraum (von/bis) oder ein Haushaltsjahr angeben, nicht beides."),
    (ReportParams(start=date(2022, 12, 1), end=date(2022, 1, 1)), "Der letzte Monat liegt vor dem ersten."),
])
def test_bad_parameters_give_a_german_report_error(demo, params, message):
    with pytest.raises(ReportError) as error:
        data(params=params)
    assert str(error.value) == message


def test_the_figures_for_the_list_of_changes_of_an_issued_paper(demo):
    figures = {key: (label, value) for key, label, value in get_report("risiko").figures(data())}
    assert figures["Planstand:provision"] == ("Überplanmäßige Bereitstellung (Planstand)", "510.330\u00a0€")
    assert figures["risk"] == ("Risikospanne", "60.330\u00a0€ – 578.466\u00a0€")
    assert figures["threshold"][1] == ("bis einschließlich 99.999,99\u00a0€: Kämmerer/in; über 99.999,99\u00a0€: "
                                       "Kreistag / Kreisausschuss")
    assert figures[f"{V2}:decision"][1] == "Kreistag / Kreisausschuss"


# --------------------------------------------------------------------------- pages, admin, demo data


@pytest.mark.usefixtures("demo_users")
def test_the_finance_officer_opens_the_report_in_the_browser_and_downloads_the_pdf(client):
    assert client.login(username="finanzen-rsk", password=PASSWORD)
    response = client.get("/berichte/risiko/?start=2021-12&end=2022-12")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Risikospanne: 60.330\u00a0€ – 578.466\u00a0€" in content and "PDF herunterladen" in content
    response = client.get("/berichte/risiko/pdf/?start=2021-12&end=2022-12")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="risiko_rhein-sieg-kreis_2021-12-bis-2022-12.pdf"'
    assert "578.466 €" in pdf_text(response.content)
    response = client.get("/berichte/risiko/", {"start": "2021-12", "end": "2022-12", "scenario": "Variante 3"})
    assert response.status_code == 400 and "Unbekanntes Szenario" in response.content.decode()
    response = client.get("/berichte/risiko/", {"start": "2021-12", "end": "2022-12", "fiscal_year": "2022"})
    assert response.status_code == 400 and "nicht beides" in response.content.decode()


def test_the_limits_are_edited_in_the_admin(admin_client, demo):
    statute = ProvisionStatute.objects.get(county__slug=RSK)
    page = admin_client.get(reverse("admin:provisions_provisionstatute_change", args=[statute.pk])).content.decode()
    assert "Stufen" in page and 'name="stages-0-upper_limit"' in page and "99.999,99" in page
    assert "Wertgrenzen für überplanmäßige Bereitstellungen" in admin_client.get(
        reverse("admin:provisions_provisionstatute_changelist")).content.decode()


def test_a_limit_is_a_positive_amount_or_empty(demo):
    statute = ProvisionStatute.objects.get(county__slug=RSK)
    stage = ProvisionStage(statute=statute, spending_kind="voluntary", upper_limit=Decimal("0"), body="Kämmerer/in")
    with pytest.raises(Exception) as error:
        stage.full_clean()
    assert "Die Obergrenze einer Stufe muss über 0 € liegen." in str(error.value)
    stage.upper_limit = None
    stage.full_clean()


def test_the_demo_data_load_twice_with_the_same_limits(demo):
    call_command("load_demo", "--no-users", verbosity=0)
    limits = sorted(ProvisionStage.objects.values_list("statute__county__slug", "spending_kind", "upper_limit",
                                                       "body"), key=str)
    assert limits == sorted([
        (RSK, "all", Decimal("99999.99"), "Kämmerer/in"), (RSK, "all", None, "Kreistag / Kreisausschuss"),
        ("rhein-kreis-neuss", "voluntary", Decimal("5000.00"), "Kämmerer/in"),
        ("rhein-kreis-neuss", "voluntary", None, "Kreistag"),
        ("rhein-kreis-neuss", "mandatory", Decimal("250000.00"), "Kämmerer/in"),
        ("rhein-kreis-neuss", "mandatory", None, "Kreistag")], key=str)
    assert County.objects.count() == 2 and ProvisionStatute.objects.count() == 2


def test_page_1_is_written_as_a_png_under_var_reports(papers):
    png = write_first_page_png(papers["all"], PNG)
    assert png == PNG and png.read_bytes().startswith(b"\x89PNG")
