"""The application status as Vorlage 004: each application with its dated steps, its grant decision and what is open."""
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

import reports.papers.antraege  # noqa: F401  (registers the report)
from kimportal.models import County
from programmes.choices import StepKind
from programmes.models import Application, ApplicationStep, GrantDecision
from reports.registry import ReportParams, get_report
from reports.rendering import page_count, paper_html, render_pdf, write_first_page_png
from reports.selectors import paper_context

from .conftest import pdf_pages

PNG_DIR = Path(settings.BASE_DIR) / "var" / "reports"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def papers(django_db_setup, django_db_blocker):
    """The paper of both demo counties with the default parameters: data and PDF, rendered once."""
    rendered = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-users", verbosity=0)
        report = get_report("antraege")
        for slug in ("rhein-kreis-neuss", "rhein-sieg-kreis"):
            county = County.objects.get(slug=slug)
            context = paper_context(report, county, report.default_params(county))
            pdf = render_pdf(paper_html(context))
            rendered[slug] = {"data": context["data"], "pdf": pdf, "pages": pdf_pages(pdf)}
        transaction.set_rollback(True)
    return rendered


def test_the_report_takes_no_parameters():
    report = get_report("antraege")
    assert report.parameters == ()
    assert report.filename(County(slug="rhein-kreis-neuss"), ReportParams()) == "antraege_rhein-kreis-neuss.pdf"


@pytest.mark.parametrize("county", ["rhein-sieg-kreis", "rhein-kreis-neuss"])
def test_a_valid_pdf_with_header_and_page_numbers_and_page_1_as_png(papers, county):
    pdf, pages = papers[county]["pdf"], papers[county]["pages"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pages) == page_count(pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text and "Vorlagen-Nr." in text
    assert "Mitteilungsvorlage" in pages[0] and "Beratungsfolge" in pages[0]
    name = "antraege.png" if county == "rhein-sieg-kreis" else f"antraege_{county}.png"
    assert write_first_page_png(pdf, PNG_DIR / name).read_bytes().startswith(b"\x89PNG")


def test_the_neuss_application_of_vorlage_004_as_a_timeline_with_its_decision(papers):
    text = flat("\n".join(papers["rhein-kreis-neuss"]["pages"]))
    assert "1. Kommunales Integrationsmanagement – Antrag Rhein-Kreis Neuss" in text
    timeline = [text.index(step) for step in (
        "Förderrichtlinie / Grundsatzgenehmigung vom 30.11.2020",
        "Antrag gestellt am 22.12.2020",
        "Konzept nachgereicht am 30.08.2021",
        "Zuwendungsbescheid vom 15.12.2021",
    )]
    assert timeline == sorted(timeline)
    assert "Kein Schritt ist überfällig." in text
    row = papers["rhein-kreis-neuss"]["data"]["applications"][0]
    assert [step["done"] for step in row["steps"]] == [True, True, True, True]
    assert row["outstanding"] == [] and row["status"] == "beschieden"
    # The demo's decision for Baustein 1 (2022) belongs to the application (fixtures/60_rhein-kreis-neuss.xlsx);
    # Baustein 2's decision of 25.05.2020 came without one: the paper lists it apart.
    assert [decision["label"] for decision in row["decisions"]] == ["Baustein 1 – Strategische Steuerung"]
    others = papers["rhein-kreis-neuss"]["data"]["other_decisions"]
    assert [decision["label"] for decision in others] == ["Baustein 2 – Case Management"]


def test_the_rsk_application_with_its_grant_decision_and_pass_through(papers):
    text = flat("\n".join(papers["rhein-sieg-kreis"]["pages"]))
    assert "KIM Baustein 1 – Strategische Steuerung (inkl. Stadt Troisdorf)" in text
    assert "Zuwendungsbescheid vom 22.02.2021" in text
    assert "Bescheid vom 22.02.2021 (Bezirksregierung Arnsberg)" in text
    assert "Bewilligungszeitraum 01.01.2021 – 31.12.2021" in text
    assert "Betrag laut Bescheid nicht erfasst" in text  # the papers give no amount: none is invented
    assert "3,5 × 1,0 VZÄ Koordination (Strategische Steuerung)" in text
    assert "1,0 × 0,5 VZÄ Verwaltungsassistenz" in text
    assert "Weiterleitung an Stadt Troisdorf: 64.700 €" in text
    assert "Weiterleitungsvertrag mit Stadt Troisdorf: kein Datum erfasst" in text
    # The application's own steps are all done; the one overdue step is the proof of use of the KIM Baustein 2
    # decision for 2022 (demo data of issue 12, due six months after the period: 30.06.2023).
    assert "1 Schritt ist überfällig." in text
    assert "Verwendungsnachweis zum Bescheid eingegangen am 20.01.2022 fällig am 30.06.2023 – überfällig" in " ".join(
        word for word in text.split() if word not in {"Bezirksregierung", "Arnsberg"})
    assert papers["rhein-sieg-kreis"]["data"]["applications"][0]["status"] == "beschieden"


def test_decisions_without_an_application_in_a_table_of_their_own(papers):
    data = papers["rhein-sieg-kreis"]["data"]
    others = {(item["label"], item["period"]): item for item in data["other_decisions"]}
    # The decisions of every programme of Vorlage 000 (issue 11) and the KIM Baustein 2 decision for 2022 (issue 12)
    assert len(others) == 14
    assert others[("Programmteil II", "01.01.2021 – 31.12.2022")]["amount"] == "120000.00"  # assumed, see fixture
    b2 = others[("Baustein 2 – Case Management", "01.01.2021 – 31.12.2021")]
    assert b2["date_short"] == "eingegangen am 03.02.2021" and b2["slots"] == ["11,0 × 1,0 VZÄ Case Management"]
    assert b2["amount"] is None
    text = flat("\n".join(papers["rhein-sieg-kreis"]["pages"]))
    assert "II. Zuwendungsbescheide ohne eigenen Antrag" in text
    # Table cells wrap and pdfplumber reads the columns side by side: look for the pieces.
    for part in ("09.06.2020", "03.02.2021", "15.01.2021", "KOMM-AN NRW", "Guter Lebensabend NRW",
                 "11,0 × 1,0 VZÄ Case", "3,0 × 0,75 VZÄ Stelle", "Bezirksregierung"):
        assert part in text
    assert text.count("nicht erfasst") >= 7


def test_a_recorded_amount_is_printed_in_german_format_and_a_due_proof_of_use_is_outstanding(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    GrantDecision.objects.filter(pk=1).update(amount=Decimal("293800.00"), proof_of_use_due=date(2022, 6, 30))
    report = get_report("antraege")
    html = paper_html(paper_context(report, county, ReportParams()))
    assert "Betrag laut Bescheid: <strong>293.800\u00a0€</strong>" in html
    assert "Verwendungsnachweis zum Bescheid vom 22.02.2021 fällig am 30.06.2022 – überfällig" in html

    ApplicationStep.objects.create(application_id=1, kind=StepKind.PROOF_OF_USE, occurred_on=date(2022, 6, 15))
    data = paper_context(report, county, ReportParams())["data"]
    row = data["applications"][0]
    assert "Verwendungsnachweis vorgelegt am 15.06.2022" in [step["text"] for step in row["steps"]]
    assert not any("Verwendungsnachweis" in item["text"] for item in row["outstanding"])


def test_an_application_without_steps_is_in_preparation(demo):
    county = County.objects.get(slug="rhein-kreis-neuss")
    application = Application.objects.create(county=county, programme_id=Application.objects.get(pk=2000).programme_id,
                                             title="Guter Lebensabend – Antrag 2024")
    ApplicationStep.objects.create(application=application, kind=StepKind.APPLIED, due_on=date(2099, 3, 31))
    data = paper_context(get_report("antraege"), county, ReportParams())["data"]
    row = next(row for row in data["applications"] if row["title"] == "Guter Lebensabend – Antrag 2024")
    assert row["status"] == "in Vorbereitung"
    assert row["steps"] == [{"key": row["steps"][0]["key"], "text": "Antrag zu stellen bis 31.03.2099", "note": "",
                             "done": False, "overdue": False}]
    assert [item["text"] for item in row["outstanding"]] == ["Antrag zu stellen bis 31.03.2099",
                                                             "Zuwendungsbescheid liegt noch nicht vor"]


@pytest.mark.usefixtures("demo_users")
@pytest.mark.parametrize("username, expected", [
    ("ausschuss-rsk", "Zuwendungsbescheid vom 22.02.2021"),
    ("ki-neuss", "Konzept nachgereicht am 30.08.2021"),
])
def test_the_preview_as_committee_and_as_ki_staff(client, username, expected):
    assert client.login(username=username, password="kimportal-demo")
    response = client.get(reverse("reports:report_preview", kwargs={"slug": "antraege"}))
    assert response.status_code == 200
    content = response.content.decode()
    assert expected in content and "PDF herunterladen" in content
