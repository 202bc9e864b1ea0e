"""The risk report's section "Plan, Ist und Hochrechnung" (issue 12 §2) on the demo data: the base case's plan,
actuals 01–06/2022 and forecast per block, the vacancy's lost grant and the budget-line warning, in data and PDF."""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

import reports.papers.risiko  # noqa: F401  (registers the report)
from actuals.models import ActualCost
from kimportal.models import County
from reports.papers.risiko_forecast import NO_ACTUALS
from reports.registry import ReportParams, get_report, report_data
from reports.rendering import paper_html, render_pdf
from reports.selectors import paper_context

from .conftest import pdf_text

RSK = "rhein-sieg-kreis"
NEUSS = "rhein-kreis-neuss"
YEAR_2022 = ReportParams(fiscal_year=2022)
WARNING = ("Hochrechnung 2022: Der Eigenanteil auf der Haushaltsstelle 31.10.01-KIM-CM (122.427,57 €) übersteigt den "
           "Haushaltsansatz (121.140 €) um 1.287,57 €.")
CM_KOMMUNEN = "kim-b2-case-management:cm-kommunen-2021"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def data(slug=RSK, params=YEAR_2022) -> dict:
    return report_data(get_report("risiko"), County.objects.get(slug=slug), params)


@pytest.fixture(scope="module")
def pdf_2022(django_db_setup, django_db_blocker):
    """The risk paper for the fiscal year 2022 of the Rhein-Sieg-Kreis as PDF text, rendered once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-users", verbosity=0)
        context = paper_context(get_report("risiko"), County.objects.get(slug=RSK), YEAR_2022)
        text = flat(pdf_text(render_pdf(paper_html(context))))
        transaction.set_rollback(True)
    return text


# --------------------------------------------------------------------------- data


def test_the_forecast_of_2022_takes_the_actuals_of_january_to_june_and_the_plan_for_the_rest(demo):
    forecast = data()["forecast"]

    assert forecast["shown"] is True
    assert forecast["actual_months"] == "01/2022–06/2022"
    totals = {name: Decimal(value) for name, value in forecast["totals"].items() if name != "deviation_text"}
    # The paper's blocks of positions (Vorlage 002): plan 592.215 €, the Projektmittel's 50.000 € are not among them
    # (the own-share page's 642.215 € / 639.104,43 € count them).
    assert totals["plan_own_share"] == Decimal("592215")
    assert totals["forecast_own_share"] == Decimal("589104.43")
    assert totals["deviation"] == Decimal("-3110.57")
    assert forecast["totals"]["deviation_text"] == "\u22123.110,57\u00a0€"
    assert totals["actual_total"] == Decimal("759272.43")
    assert totals["lost_grant"] == Decimal("13750.00")


def test_the_vacant_cm_post_loses_13750_euros_of_grant_in_its_block(demo):
    blocks = {block["key"]: block for block in data()["forecast"]["blocks"]}

    block = blocks[CM_KOMMUNEN]
    assert Decimal(block["lost_grant"]) == Decimal("13750")
    assert (Decimal(block["plan_own_share"]), Decimal(block["forecast_own_share"])) == (
        Decimal("238910"), Decimal("231819.34"))
    assert any("01/2022–03/2022: 3/12 × 55.000\u00a0€ × 1,0 VZÄ = 13.750\u00a0€ Förderung entfallen" in line
               for line in block["lines"])
    # Troisdorf's block has no actuals: its forecast is its plan, and nothing is lost.
    troisdorf = blocks["kim-b2-case-management:stadt-troisdorf"]
    assert troisdorf["actual_total"] is None and troisdorf["lost_grant"] is None


def test_the_budget_line_of_case_management_warns_that_its_forecast_exceeds_the_appropriation(demo):
    forecast = data()["forecast"]

    assert [warning["text"].replace("\u00a0", " ") for warning in forecast["warnings"]] == [WARNING]
    warning = forecast["warnings"][0]
    assert (warning["budget_line"], warning["year"]) == ("31.10.01-KIM-CM", "2022")
    assert (Decimal(warning["forecast_own_share"]), Decimal(warning["appropriation"])) == (
        Decimal("122427.57"), Decimal("121140"))
    line = next(block for block in forecast["blocks"] if block["budget_line"] == "31.10.01-KIM-CM")
    assert (Decimal(line["plan_own_share"]), Decimal(line["forecast_own_share"])) == (
        Decimal("121140"), Decimal("122427.57"))


def test_the_existing_figures_of_the_paper_stay_as_planned(demo):
    built = data(params=ReportParams(start=date(2021, 12, 1), end=date(2022, 12, 1)))

    base = built["cases"][0]
    assert (Decimal(base["own_share"]), Decimal(base["unplanned_provision"])) == (Decimal("641565"), Decimal("510330"))
    assert built["risk"]["range"] == "60.330\u00a0€ – 578.466\u00a0€"


def test_the_figures_name_the_forecast_own_share_the_lost_grant_and_the_warning(demo):
    report = get_report("risiko")
    figures = {key: (label, value.replace("\u00a0", " ")) for key, label, value in report.figures(data())}

    assert figures["forecast:own_share"] == ("Eigenanteil laut Hochrechnung (Planstand)", "589.104,43 €")
    assert figures["forecast:lost_grant"] == ("Förderung entfällt durch Vakanzen (Planstand)", "13.750 €")
    assert figures["forecast:warning:31.10.01-KIM-CM:2022"][1] == "122.427,57 € statt 121.140 €"


def test_a_paper_issued_before_the_forecast_still_lists_its_figures(demo):
    built = data()
    del built["forecast"]

    keys = [key for key, _, _ in get_report("risiko").figures(built)]
    assert "risk" in keys and not any(key.startswith("forecast:") for key in keys)


def test_a_county_without_actuals_or_vacancies_says_the_forecast_is_the_plan(demo):
    built = data(NEUSS, ReportParams(fiscal_year=2022))

    assert built["forecast"] == {"shown": False, "note": NO_ACTUALS}
    html = flat(paper_html(paper_context(get_report("risiko"), County.objects.get(slug=NEUSS),
                                         ReportParams(fiscal_year=2022))))
    assert ("Für den Zeitraum sind noch keine Ist-Kosten und keine Vakanzen erfasst; die Hochrechnung entspricht "
            "daher dem Plan.") in html
    assert "Eigenanteil Hochrechnung" not in html
    assert not [key for key, _, _ in get_report("risiko").figures(built) if key.startswith("forecast:")]


def test_without_actuals_in_the_period_the_rhein_sieg_kreis_gets_the_sentence_too(demo):
    # 2023: no actuals recorded, the vacancy ended in 03/2022.
    assert not ActualCost.objects.filter(county__slug=RSK, month__year=2023).exists()

    assert data(params=ReportParams(fiscal_year=2023))["forecast"] == {"shown": False, "note": NO_ACTUALS}


# --------------------------------------------------------------------------- PDF


def test_the_pdf_shows_the_forecast_at_a_glance_and_in_its_own_section(pdf_2022):
    text = pdf_2022

    assert ("Hochrechnung (Planstand) Eigenanteil 589.104,43 € statt 592.215 € laut Plan (−3.110,57 €; "
            "Ist-Kosten für 01/2022–06/2022, Förderung entfällt durch Vakanzen 13.750 €), siehe V.") in text
    assert text.count(WARNING) == 2  # at a glance and in section V
    assert "V. Plan, Ist und Hochrechnung (Planstand)" in text
    assert "Ist-Kosten für 01/2022–06/2022, für die übrigen Monate der Plan" in text
    assert "Summe 1.647.645 € 759.272,43 € 1.630.784,43 € 592.215 € 589.104,43 € −3.110,57 € 13.750 €" in text
    assert "VI. Eigenanteil, Deckung und ungedeckter Betrag je Block und Monat" in text
