"""The focus goals as Vorlage 003: grouped by field of action, numbered, with text, status, due date, overdue marked."""
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

import reports.papers.ziele  # noqa: F401  (registers the report)
from kimportal.models import County
from programmes.choices import GoalStatus
from programmes.models import FocusGoal
from reports.registry import ReportParams, get_report
from reports.rendering import page_count, paper_html, render_pdf, write_first_page_png
from reports.selectors import paper_context

from .conftest import pdf_pages

PNG = Path(settings.BASE_DIR) / "var" / "reports" / "ziele.png"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def paper(django_db_setup, django_db_blocker):
    """The goals paper of the Rhein-Sieg-Kreis with its default parameters: data and PDF, rendered once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-users", verbosity=0)
        county = County.objects.get(slug="rhein-sieg-kreis")
        report = get_report("ziele")
        params = report.default_params(county)
        context = paper_context(report, county, params)
        pdf = render_pdf(paper_html(context))
        transaction.set_rollback(True)
    return {"params": params, "data": context["data"], "pdf": pdf, "pages": pdf_pages(pdf)}


def test_the_paper_opens_with_the_goals_of_2023_as_vorlage_003(paper):
    assert paper["params"] == ReportParams(fiscal_year=2023)
    assert paper["data"]["year"] == "2023" and paper["data"]["count"] == 6


def test_a_valid_pdf_with_header_and_page_numbers_and_page_1_as_png(paper):
    pdf, pages = paper["pdf"], paper["pages"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pages) == page_count(pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text
        assert "Rhein-Sieg-Kreis · Kommunales Integrationszentrum" in text
    assert "Mitteilungsvorlage" in pages[0] and "Vorbemerkungen:" in pages[0]
    png = write_first_page_png(pdf, PNG)
    assert png.read_bytes().startswith(b"\x89PNG")


def test_goals_are_grouped_by_field_of_action_bildung_querschnitt_kim_and_numbered(paper):
    text = flat("\n".join(paper["pages"]))
    positions = [text.index(part) for part in (
        "Handlungsfeld Bildung", "2. Übergang Elementar- / Primarbereich",
        "3. Entwicklung außerschulischer Unterstützungsformate",
        "Handlungsfeld Querschnitt", "1. Migrationsgesellschaftliche Öffnung von",
        "4. Rassismuskritische Arbeit", "5. Stärkung ehrenamtlicher Strukturen",
        "Handlungsfeld KIM", "6. Implementierung und Stellenbesetzung",
    )]
    assert positions == sorted(positions)
    titles = [goal["title"] for field in paper["data"]["fields"] for goal in field["goals"]]
    assert titles[2] == ("Migrationsgesellschaftliche Öffnung von Verwaltungsstrukturen, Organisationen und "
                         "Unternehmen im Rhein-Sieg-Kreis")
    assert [field["name"] for field in paper["data"]["fields"]] == ["Bildung", "Querschnitt", "KIM"]


def test_goal_texts_measures_status_and_due_dates_of_vorlage_003(paper):
    text = flat("\n".join(paper["pages"]))
    assert "Bis zum 31.12.2023 wird das KI die Nachhaltigkeit und" in text
    assert "Durchführung der Aktion „Pink gegen Rassismus“" in text
    assert "Erweiterung des Mediathekangebots" in text
    assert text.count("in Umsetzung") >= 6
    assert text.count("31.12.2023") >= 6
    assert text.count("Laufzeit ab") == 6 and text.count("01.01.2023") == 6
    assert "Zustimmung der Ministerien MKJFGFI, MSB mit Rückmeldung vom 17.10.2022" in text
    assert "Dem Ausschuss berichtet am 02.03.2023" in text


def test_open_goals_past_their_due_date_are_marked_overdue(paper):
    text = flat("\n".join(paper["pages"]))
    # The demo goals were due 31.12.2023 and are still "in Umsetzung": today they are overdue.
    assert text.count("überfällig") == 6  # in the status column, beside the due date
    assert {goal["overdue_text"] for field in paper["data"]["fields"] for goal in field["goals"]} == {
        "überfällig seit 31.12.2023"}
    assert "6 Ziele sind über das Fälligkeitsdatum hinaus nicht abgeschlossen." in text
    assert all(goal["overdue"] for field in paper["data"]["fields"] for goal in field["goals"])


def test_no_staff_names_appear(paper):
    text = "\n".join(paper["pages"])
    for name in ("Dinstühler", "Schmitz"):
        assert name not in text


def test_achieved_goals_are_not_overdue_and_a_year_without_goals_says_so(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    FocusGoal.objects.filter(county=county, number=2).update(status=GoalStatus.ACHIEVED)
    report = get_report("ziele")
    data = paper_context(report, county, ReportParams(fiscal_year=2023))["data"]
    goals = {goal["number"]: goal for field in data["fields"] for goal in field["goals"]}
    assert goals[2]["status"] == "erreicht" and not goals[2]["overdue"] and goals[2]["overdue_text"] == ""
    assert goals[3]["overdue"] and data["overdue"] == 5
    assert {"label": "erreicht", "count": 1} in data["statuses"]

    html = paper_html(paper_context(report, county, ReportParams(fiscal_year=2021)))
    assert "Für das Jahr 2021 sind keine Schwerpunktziele erfasst." in html


def test_a_goal_due_in_the_future_is_not_overdue(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    FocusGoal.objects.filter(county=county, number=6).update(due_on=date(2099, 12, 31))
    report = get_report("ziele")
    assert report.default_params(county) == ReportParams(fiscal_year=2099)
    data = paper_context(report, county, ReportParams(fiscal_year=2099))["data"]
    assert [goal["number"] for field in data["fields"] for goal in field["goals"]] == [6]
    assert data["fields"][0]["goals"][0]["overdue"] is False


@pytest.mark.usefixtures("demo_users")
def test_the_committee_sees_the_preview(client):
    assert client.login(username="ausschuss-rsk", password="kimportal-demo")
    response = client.get(reverse("reports:report_preview", kwargs={"slug": "ziele"}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rassismuskritische Arbeit" in content and "überfällig" in content
    assert "Bis zum 31.12.2023 wird das KI den Übergang von Elementar- zu Primarbereich gestalten." in content
    assert "PDF herunterladen" in content
    pdf = client.get(reverse("reports:report_pdf", kwargs={"slug": "ziele"}), {"fiscal_year": "2023"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
