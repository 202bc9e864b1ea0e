"""The dashboard's forecast (Hochrechnung, issue 12 §2) on the demo data: the forecast own share beside the planned
one for the year, and the budget-line warning as a warning box (ERPNext's budget "warn")."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

import actuals.forecast
from budgeting.selectors import own_share_comparison
from kimportal.models import County, User
from reports.dashboard import dashboard, fiscal_year_period
from reports.dashboard_figures import months_text

TODAY = date(2026, 11, 23)
WARNING = ("Hochrechnung 2022: Der Eigenanteil auf der Haushaltsstelle 31.10.01-KIM-CM (122.427,57 €) übersteigt den "
           "Haushaltsansatz (121.140 €) um 1.287,57 €.")


@pytest.fixture
def rsk(demo_users):
    return County.objects.get(slug="rhein-sieg-kreis")


def page(client, username="ki-rsk", **params) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"), params)
    assert response.status_code == 200
    return response.content.decode().replace("\u00a0", " ")


# --------------------------------------------------------------------------- figures


def test_the_forecast_of_2022_is_639104_43_euros_beside_the_planned_642215(rsk):
    board = dashboard(rsk, *fiscal_year_period(2022), today=TODAY)

    forecast = board.forecast
    assert forecast.shown
    assert board.own_share.own_share == forecast.plan_own_share == Decimal("642215")
    assert forecast.forecast_own_share == Decimal("639104.43")
    assert forecast.deviation == Decimal("-3110.57")
    assert forecast.deviation_text == "\u22123.110,57\u00a0€"
    assert forecast.lost_grant == Decimal("13750.00")
    assert forecast.actual_months == "01/2022–06/2022"
    assert [w.text.replace("\u00a0", " ") for w in forecast.warnings] == [WARNING]
    assert (forecast.warnings[0].appropriation, forecast.warnings[0].forecast_own_share.quantize(Decimal("0.01"))) \
        == (Decimal("121140"), Decimal("122427.57"))


def test_the_plan_figures_stay_what_the_own_share_page_computes(rsk):
    board = dashboard(rsk, *fiscal_year_period(2022), today=TODAY)
    page_comparison = own_share_comparison(rsk, date(2022, 1, 1), date(2022, 12, 1))

    assert board.own_share.unplanned_provision == page_comparison.results[0].unplanned_provision == Decimal("471075")
    assert board.own_share.comparison.risk_range_text == page_comparison.risk_range_text


def test_a_paper_handing_in_its_own_comparison_gets_no_forecast(rsk):
    comparison = own_share_comparison(rsk, date(2022, 1, 1), date(2022, 12, 1), lump_sums=False)

    assert dashboard(rsk, *fiscal_year_period(2022), today=TODAY, comparison=comparison).forecast is None


def test_months_are_named_as_runs():
    months = [date(2022, m, 1) for m in (1, 2, 3, 5, 9, 10)]

    assert months_text(months) == "01/2022–03/2022, 05/2022, 09/2022–10/2022"
    assert months_text([date(2021, 12, 1), date(2022, 1, 1)]) == "12/2021–01/2022"
    assert months_text([]) == ""


# --------------------------------------------------------------------------- the start page


def test_the_start_page_warns_that_the_case_management_line_runs_over_its_appropriation(client, rsk):
    content = page(client, jahr="2022")

    assert "Warnung: Hochrechnung über dem Haushaltsansatz" in content
    assert WARNING in content
    assert "Ist-Kosten für 01/2022–06/2022, sonst der Plan." in content
    assert "#hochrechnung" in content  # to the own-share page's section


def test_the_start_page_shows_the_forecast_own_share_beside_the_planned(client, rsk):
    content = page(client, jahr="2022")

    assert "Eigenanteil 2022 laut Hochrechnung" in content
    assert "639.104,43 €" in content
    assert "642.215 €" in content
    assert ("Plan 642.215 €, Abweichung −3.110,57 €; Ist-Kosten für 01/2022–06/2022, Förderung entfällt durch "
            "Vakanzen 13.750 €; 1 Haushaltsstelle über dem Ansatz") in content


def test_the_start_page_computes_the_forecast_once(client, rsk, monkeypatch):
    calls = []
    original = actuals.forecast.forecast

    def counting(*args, **kwargs):
        calls.append(args[1].name)
        return original(*args, **kwargs)

    monkeypatch.setattr(actuals.forecast, "forecast", counting)
    page(client, jahr="2022")

    assert calls == ["Planstand"]


def test_a_year_without_actuals_shows_no_forecast_and_no_warning(client, rsk):
    content = page(client, jahr="2021")

    assert "laut Hochrechnung" not in content
    assert "Warnung: Hochrechnung" not in content


def test_a_county_without_actuals_shows_no_forecast(client, rsk):
    content = page(client, username="ki-neuss", jahr="2022")

    assert "laut Hochrechnung" not in content
    assert "Warnung: Hochrechnung" not in content
