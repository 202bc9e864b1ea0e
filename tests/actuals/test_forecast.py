"""The forecast (issue 12 §2, §4): actual where a month has actuals, plan where not; vacancies cost grant; the plan
stays as planned. Real figures of the demo (Rhein-Sieg-Kreis, actuals January to June 2022)."""
from datetime import date
from decimal import Decimal as D

import pytest

from actuals.forecast import case_forecasts
from actuals.models import Vacancy
from actuals.services import actuals_import
from budgeting import calculations as calc
from budgeting.engine_forecast import VacancyInput, forecast
from staffing.models import Position

from .helpers import csv, rsk

pytestmark = pytest.mark.usefixtures("demo")
CM = "kim-b2-case-management:cm-kommunen-2021"


def base_2022():
    return case_forecasts(rsk(), date(2022, 1, 1), date(2022, 12, 1), scenarios=[None])


def block(cases, key):
    result = cases.comparison.results[0]
    return next(b for b in result.blocks if b.key == key), next(b for b in cases.forecasts[0].blocks if b.key == key)


def test_a_case_management_post_vacant_january_to_march_loses_13750_euros_of_grant():
    plan, fc = block(base_2022(), CM)
    assert plan.own_share == 238910  # the plan stays as planned: 7 FTE × (95.380 − 55.000 − 6.250) for 2022
    assert fc.lost_grant == D("13750.00")  # 3/12 × 55.000 €
    assert fc.forecast_grant == plan.grant - D("13750")
    assert any(line.startswith("Vakanz Case Management in den Kommunen 7 01/2022–03/2022: 3/12 × 55.000")
               and line.endswith("= 13.750\u00a0€ Förderung entfallen") for line in fc.lines)
    assert [m.lost_grant for m in fc.months[:4]] == [D("4583.33"), D("4583.34"), D("4583.33"), 0]


def test_actuals_replace_the_plan_month_by_month_and_the_rest_stays_planned():
    plan, fc = block(base_2022(), "kim-b1-koordination")
    assert [m.actual is not None for m in fc.months] == [True] * 6 + [False] * 6
    assert all(m.forecast_total == m.plan_total for m in fc.months[6:])
    # January: the 3,5 FTE coordination posts cost what payroll reports, not the plan's 31.074 €
    assert fc.months[0].forecast_total == fc.months[0].actual
    assert fc.forecast_total == fc.actual_total + sum(m.plan_total for m in fc.months[6:])


def test_re_importing_actuals_moves_the_forecast_by_exactly_the_difference():
    before = block(base_2022(), "kim-b1-koordination")[1]
    actuals_import(county=rsk(), file_name="korrektur.csv", content=csv("KI-B1-01;01.2022;Personalkosten;8.978,33"))
    after = block(base_2022(), "kim-b1-koordination")[1]
    assert after.forecast_total - before.forecast_total == D("100.00")
    assert after.forecast_own_share - before.forecast_own_share == D("100.00")
    assert after.plan_own_share == before.plan_own_share == 146440


def test_the_budget_line_warns_when_the_forecast_own_share_exceeds_its_appropriation():
    warnings = base_2022().forecasts[0].warnings
    assert [(w.budget_line, w.fiscal_year, w.appropriation) for w in warnings] == [
        ("31.10.01-KIM-CM", 2022, D("121140.00"))]
    assert warnings[0].text.startswith("Hochrechnung 2022: Der Eigenanteil auf der Haushaltsstelle 31.10.01-KIM-CM")


def test_a_vacancy_of_half_a_month_loses_half_a_month_of_flat_rate():
    position = calc.PositionInput("p", D("1"), "S12", date(2022, 1, 1), None)
    block_input = calc.BlockInput("b", "CM", "kim-b2", calc.PER_FTE, (position,), rates=(
        calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),))
    inp = calc.CalculationInput("Plan", date(2022, 6, 1), date(2022, 6, 30), (block_input,),
                                {"S12": {2022: D("95380")}})
    result = calc.calculate(inp)
    fc = forecast(inp, result, {}, [VacancyInput("p", date(2022, 6, 16), None, "CM")])
    # 55.000 / 12 × 15/30 = 2.291,67 €; the vacant half month costs nothing: the plan's 7.948 € for June less
    # 95.380 / 12 × 15/30 = 3.974,17 € → 3.973,83 €
    assert fc.blocks[0].lost_grant == D("2291.67")
    assert fc.blocks[0].plan_total == 7948 and fc.blocks[0].forecast_total == D("3973.83")
    assert result.blocks[0].own_share == fc.blocks[0].plan_own_share  # the plan is untouched


def test_vacancies_of_one_position_may_not_overlap():
    from django.core.exceptions import ValidationError

    post = Position.objects.get(county__slug="rhein-sieg-kreis", position_number="KI-B2-11")
    with pytest.raises(ValidationError, match="schon eine Vakanz erfasst"):
        Vacancy(county=post.county, position=post, start_on=date(2022, 3, 1), end_on=date(2022, 4, 30)).full_clean()


def test_the_own_share_page_shows_plan_actual_and_forecast_with_the_warning(client, demo_users):
    from tests.conftest import logged_in_client

    page = logged_in_client("finanzen-rsk").get("/haushalt/eigenanteile/", {"start": "2022-01", "end": "2022-12"})
    text = page.content.decode().replace("\u00a0", " ")
    assert "Plan, Ist und Hochrechnung (Planstand)" in text and "01/2022–06/2022" in text
    assert "= 13.750 € Förderung entfallen" in text and "13.750,00 €" in text
    assert "Hochrechnung 2022: Der Eigenanteil auf der Haushaltsstelle 31.10.01-KIM-CM (122.427,57 €)" in text
    # The plan above is unchanged: Baustein 1 coordination 146.440 € for 2022
    assert "146.440 €" in text
