"""The forecast (Hochrechnung) of a county beside its plan: the engine's cases with actual costs and vacancies.

Reads the actuals and vacancies once (two queries) and hands them to the pure rule (budgeting.engine_forecast).
The plan and its figures are computed exactly as the own-share page does (budgeting.selectors), so plan columns
here equal the plan everywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, prefetch_related_objects

from budgeting import calculations as calc
from budgeting.cache import cached, cases_key
from budgeting.engine_forecast import Forecast, VacancyInput, forecast
from budgeting.models import Scenario
from budgeting.selectors import calculation_input, workplace_costs
from kimportal.models import County

from .models import Vacancy
from .selectors import actuals_by_position_month


def forecast_inputs(county: County, start: date, end: date) -> tuple[dict, list[VacancyInput]]:
    """The county's actuals ``{position key: {month: EUR, all cost types}}`` and vacancies touching the period."""
    actuals = {str(pk): {month: sum(by_type.values(), Decimal(0)) for month, by_type in months.items()}
               for pk, months in actuals_by_position_month(county, start, end).items()}
    vacancies = [VacancyInput(str(v.position_id), v.start_on, v.end_on, v.position.title)
                 for v in Vacancy.objects.filter(county=county, start_on__lte=calc.month_end(end))
                 .filter(Q(end_on__isnull=True) | Q(end_on__gte=start)).select_related("position")
                 .order_by("position_id", "start_on")]
    return actuals, vacancies


@dataclass
class CaseForecasts:
    """The comparison of the cases (plan) and one Forecast per case, in the same order."""

    comparison: calc.Comparison
    forecasts: list[Forecast]
    inputs: list = field(default_factory=list)  # the engine's CalculationInput per case, in the same order


def case_forecasts(county: County, start: date, end: date, scenarios=None, *, only_base: bool = False,
                   loaded: dict | None = None) -> CaseForecasts:
    """Plan and forecast of the base case and the given scenarios (default: all of the county's), from one build of
    the engine's input (the plan is computed once; the forecast reuses its input and result).

    ``only_base``: the forecast of the first case only (``forecasts`` has one entry). ``loaded``: a dict the caller
    shares with its other engine inputs (budgeting.selectors.calculation_input), so the county's sources,
    decisions and splits are read once per page. Raises
    budgeting.periods.CalculationError for unusable input, as the plan does."""
    def compute() -> CaseForecasts:
        cases = [None, *Scenario.objects.filter(county=county).prefetch_related(
            "position_overrides", "coverage_overrides")] if scenarios is None else list(scenarios)
        # Read the scenarios' assumptions only when computing: a result from the cache needs the scenarios' ids.
        prefetch_related_objects([case for case in cases if case is not None], "position_overrides",
                                 "coverage_overrides")
        costs = workplace_costs()
        known = {} if loaded is None else loaded
        inputs = [calculation_input(county, start, end, case, costs=costs, loaded=known) for case in cases]
        comparison = calc.compare(inputs)
        actuals, vacancies = forecast_inputs(county, start, end)
        pairs = list(zip(inputs, comparison.results))[:1 if only_base else None]
        forecasts = [forecast(inp, result, actuals, vacancies, inp.appropriations) for inp, result in pairs]
        return CaseForecasts(comparison, forecasts, inputs)

    # One computation per data version (budgeting.cache); actuals and vacancies are the county's data too.
    which = cases_key(scenarios)
    return cached(county.pk, "forecast", (start, end, which, only_base), compute)

