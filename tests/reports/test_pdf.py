"""Every report as a PDF on the demo data: valid, the right figures in German format, page 1 as a PNG."""
import re
from pathlib import Path
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from kimportal.models import County
from reports.registry import all_reports, get_report
from reports.rendering import page_count, paper_html, render_pdf, write_first_page_png
from reports.selectors import paper_context

from .conftest import pdf_pages, pdf_text

# Every report implemented so far; a new report adds its slug here.
REPORT_SLUGS = ["kim", "risiko", "haushalt", "stellenplan", "ziele", "antraege", "verwendungsnachweis"]
PNG_DIR = Path(settings.BASE_DIR) / "var" / "reports"


@pytest.fixture(scope="module")
def papers(django_db_setup, django_db_blocker):
    """The PDF of every report for the Rhein-Sieg-Kreis with its default parameters, rendered once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-users", verbosity=0)
        county = County.objects.get(slug="rhein-sieg-kreis")
        rendered = {}
        for report in all_reports():
            rendered[report.slug] = render_pdf(paper_html(paper_context(report, county, report.default_params(county))))
        transaction.set_rollback(True)
    return rendered


def test_every_implemented_report_is_registered():
    assert sorted(report.slug for report in all_reports()) == sorted(REPORT_SLUGS)


@pytest.mark.parametrize("slug", REPORT_SLUGS)
def test_each_report_is_a_valid_pdf_with_header_and_page_numbers_on_every_page(papers, slug):
    pdf = papers[slug]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = pdf_pages(pdf)
    assert len(pages) == page_count(pdf) >= 1
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text
        assert "Rhein-Sieg-Kreis · Kommunales Integrationszentrum" in text
        assert "Ausschuss für Soziales und Integration" in text and "Vorlagen-Nr." in text
    first = pages[0]
    for part in ("Mitteilungsvorlage", "Beratungsfolge", "Vorbemerkungen:", "Erläuterungen:"):
        assert part in first
    text = "\n".join(pages)
    assert "Finanzielle Auswirkungen" in text and "Im Auftrag" in text


@pytest.mark.parametrize("slug", REPORT_SLUGS)
def test_page_1_of_each_report_is_written_as_a_png_under_var_reports(papers, slug):
    png = write_first_page_png(papers[slug], PNG_DIR / f"{slug}.png")
    assert png == PNG_DIR / f"{slug}.png"
    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_kim_paper_shows_the_own_shares_of_vorlage_002(papers):
    text = pdf_text(papers["kim"])
    for figure in ("158.644 €", "10.335 €", "258.818 €", "82.533 €", "150.669 €"):
        assert figure in text
    assert "3,5 VZÄ × 115.418 € = 403.963 €" in text
    assert "3,5 VZÄ × 70.091 € = 245.319 €" in text
    assert "7,0 VZÄ × 6.771 € = 47.397 €" in text
    assert "Risikospanne: 60.330 € – 578.466 €" in text


def test_the_kim_paper_notes_the_figures_the_paper_stated_differently(papers):
    text = re.sub(r"\s+", " ", pdf_text(papers["kim"]))
    assert "laut Vorlage 10.317 €, berechnet 10.335 €, Differenz −18 €" in text
    assert "laut Vorlage 258.820 €, berechnet 258.818 €, Differenz +2 €" in text


def test_the_kim_paper_has_the_modules_and_the_allocation_of_35_days(papers):
    text = pdf_text(papers["kim"])
    assert "3,5 × 1,0 VZÄ" in text and "55.000 €" in text and "9.700 €" in text and "37.500 €" in text
    assert "Neunkirchen-Seelscheid 3,00 0,60" in text
    assert "Summe 35,00 7,0" in text


def test_the_kim_paper_has_the_scenarios_side_by_side_and_the_financial_effects(papers):
    text = pdf_text(papers["kim"])
    assert "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)" in text
    assert "Überplanmäßige Bereitstellung 510.330 € 510.330 € 578.466 €" in text
    assert "Überplanmäßige Bereitstellung erforderlich" in text
    # Who decides, by the stages of the county's statute (provisions): the demo's council from 100.000 € on.
    assert ("578.466 €: über 99.999,99 € – vorherige Zustimmung Kreistag / Kreisausschuss (§ 83 GO NRW)"
            in " ".join(text.split()))


def test_the_staffing_plan_lists_the_positions_with_annual_cost_and_totals_per_module(papers):
    text = pdf_text(papers["stellenplan"])
    assert "Stellen im Haushaltsjahr 2022" in text
    assert "Koordination Strategische Steuerung 1" in text and "106.540 €" in text  # 1,0 VZÄ E11 (KGSt)
    assert "Summe Baustein 1 – Strategische Steuerung" in text


def test_a_scenario_parameter_shows_only_that_scenario_beside_the_base_case(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    report = get_report("kim")
    params = report.default_params(county)
    paper = paper_context(report, county, params.__class__(start=params.start, end=params.end,
                                                          scenario="Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"))
    assert paper["data"]["comparison"]["cases"] == ["Planstand", "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"]
    assert paper["data"]["comparison"]["risk_range"] == "510.330\u00a0€ – 578.466\u00a0€"


def test_the_kim_paper_embeds_the_dashboards_charts_drawn_by_the_same_code(papers, demo):
    from reports.dashboard import dashboard, dashboard_charts

    text = pdf_text(papers["kim"])
    county = County.objects.get(slug="rhein-sieg-kreis")
    charts = dashboard_charts(dashboard(county, date(2021, 12, 1), date(2022, 12, 1)))
    for chart in (charts.staffing, charts.allocation, charts.own_share):
        assert f"Abbildung: {chart.title}" in text
    # The bars carry their figures as text (pdfplumber drops the spaces inside SVG text).
    assert "Neunkirchen-Seelscheid 3,0Tage" in text.replace("Neunkirchen- Seelscheid", "Neunkirchen-Seelscheid")
    paper = get_report("kim").build(county, get_report("kim").default_params(county))
    # The same drawing, with what the paper's tables show: the KIM blocks, not the county's Projektmittel.
    own_share = paper["charts"]["own_share"]
    assert own_share["title"] == charts.own_share.title and own_share["id"] == charts.own_share.id
    assert "Projektmittel" in charts.own_share.svg and "Projektmittel" not in own_share["svg"]
    assert "Baustein 3 – Ausländer- und Einbürgerungsbehörden" in own_share["svg"]
