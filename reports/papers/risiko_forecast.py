"""The risk report's section "Plan, Ist und Hochrechnung" (issue 12 §2): the base case's forecast beside its plan.

The forecast rule is budgeting.engine_forecast's (actual where a month has actuals, plan where not; vacancies cost
grant), the actuals and vacancies are read as actuals.forecast reads them. The plan is the paper's own base case
(``own_share_comparison(..., lump_sums=False)``: the blocks of positions, as Vorlage 002), so the plan columns here
equal the paper's other figures; the engine is not run again, only the base case's input is built once more for the
forecast (it needs the positions and rates the result does not carry).

``forecast_data(county, start, end, base, loaded=None) -> dict``: the section's data, JSON-safe once the registry
has turned Decimals into strings. Amounts in EUR (plan in whole euros as the engine rounds it, actual and forecast
to the cent). Keys:

- ``shown``: the period has actuals or vacancies; otherwise only ``note`` (one sentence: forecast = plan);
- ``actual_months``: "01/2022–06/2022"; ``blocks``: per block ``label``, ``budget_line``, ``plan_total``,
  ``actual_total`` (None: no actuals), ``forecast_total``, ``plan_own_share``, ``forecast_own_share``,
  ``deviation`` and its ``deviation_text``, ``lost_grant`` (None: none) and the ``lines`` that explain it;
- ``totals``: the same summed; ``warnings``: per budget line over its appropriation ``text`` (LineWarning.text),
  ``budget_line``, ``year``, ``appropriation``, ``forecast_own_share``, ``excess``.
"""
from __future__ import annotations

from datetime import date

from actuals.forecast import forecast_inputs
from budgeting import calculations as calc
from budgeting.engine_forecast import BlockForecast, Forecast, cents, forecast
from budgeting.selectors import calculation_input
from kimportal.models import County
from kimportal.money import format_money_exact, to_decimal
from reports.dashboard_figures import months_text, signed_money_exact

ZERO = calc.ZERO
NO_ACTUALS = ("Für den Zeitraum sind noch keine Ist-Kosten und keine Vakanzen erfasst; die Hochrechnung entspricht "
              "daher dem Plan.")
FIGURES = ("plan_total", "actual_total", "forecast_total", "plan_own_share", "forecast_own_share", "deviation",
           "lost_grant")


def base_forecast(county: County, start: date, end: date, base: calc.CalculationResult,
                  loaded: dict | None = None) -> tuple[Forecast, bool]:
    """The forecast of the paper's base case (``base``: its engine result for the months ``start`` to ``end``) and
    whether the period has actuals or vacancies. ``loaded``: the dict the paper's comparison filled
    (budgeting.selectors.calculation_input), so sources and decisions are not read again. Raises CalculationError
    as the plan does."""
    calc_input = calculation_input(county, start, end, None, loaded=loaded, lump_sums=False)
    actuals, vacancies = forecast_inputs(county, start, end)
    result = forecast(calc_input, base, actuals, vacancies, calc_input.appropriations)
    return result, bool(result.months_with_actuals or vacancies)


def _block_row(block: BlockForecast) -> dict:
    row = {
        "key": block.key,
        "label": block.label,
        "budget_line": block.budget_line or "",
        "plan_total": block.plan_total,
        "actual_total": cents(block.actual_total) if any(m.actual is not None for m in block.months) else None,
        "forecast_total": cents(block.forecast_total),
        "plan_own_share": block.plan_own_share,
        "forecast_own_share": cents(block.forecast_own_share),
        "lost_grant": cents(block.lost_grant) or None,
        "lines": list(block.lines),
    }
    row["deviation"] = row["forecast_own_share"] - row["plan_own_share"]
    row["deviation_text"] = signed_money_exact(row["deviation"])
    return row


def forecast_section(result: Forecast, shown: bool) -> dict:
    """The section's data from a forecast (see the module's keys); the totals add up the rows as printed."""
    if not shown:
        return {"shown": False, "note": NO_ACTUALS}
    blocks = [_block_row(block) for block in result.blocks]
    totals = {name: sum((row[name] or ZERO for row in blocks), ZERO) for name in FIGURES}
    totals["deviation_text"] = signed_money_exact(totals["deviation"])
    return {
        "shown": True,
        "actual_months": months_text(result.months_with_actuals),
        "blocks": blocks,
        "totals": totals,
        "warnings": [{"text": warning.text, "budget_line": warning.budget_line, "year": str(warning.fiscal_year),
                      "appropriation": warning.appropriation,
                      "forecast_own_share": cents(warning.forecast_own_share), "excess": cents(warning.excess)}
                     for warning in result.warnings],
    }


def forecast_data(county: County, start: date, end: date, base: calc.CalculationResult,
                  loaded: dict | None = None) -> dict:
    """The section "Plan, Ist und Hochrechnung" of the risk report for the paper's base case (see the module)."""
    return forecast_section(*base_forecast(county, start, end, base, loaded))


def forecast_figures(data: dict) -> list[tuple[str, str, str]]:
    """The section's key figures for the report's figure list: the forecast own share, the grant lost by vacancies
    and each budget line over its appropriation. Papers issued before the forecast have none."""
    section = data.get("forecast")
    if not section or not section.get("shown"):
        return []
    totals = section["totals"]
    figures = [("forecast:own_share", "Eigenanteil laut Hochrechnung (Planstand)",
                format_money_exact(totals["forecast_own_share"]))]
    if to_decimal(totals["lost_grant"]):
        figures.append(("forecast:lost_grant", "Förderung entfällt durch Vakanzen (Planstand)",
                        format_money_exact(totals["lost_grant"])))
    for warning in section["warnings"]:
        figures.append((f"forecast:warning:{warning['budget_line']}:{warning['year']}",
                        f"Hochrechnung {warning['year']} über dem Haushaltsansatz {warning['budget_line']}",
                        f"{format_money_exact(warning['forecast_own_share'])} statt "
                        f"{format_money_exact(warning['appropriation'])}"))
    return figures
