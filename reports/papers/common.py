"""The engine's results as report data: the pieces several reports print.

Everything here reads results of budgeting.calculations (computed by
budgeting.selectors, as the own-share page does) and the helpers of that page
(budgeting.selectors: case_blocks, side_by_side, differences); nothing is computed
anew.
"""
from __future__ import annotations

from budgeting import calculations as calc
from budgeting.models import CoverageSource
from budgeting.selectors import case_blocks, differences, side_by_side
from kimportal.models import County
from programmes.models import GrantDecision
from kimportal.money import format_money
from provisions.limits import ProvisionLimits
from provisions.selectors import provision_limits

from reports.papers.decisions import effects_decision
from reports.registry import german_date


def period_data(result: calc.CalculationResult) -> dict:
    end = calc.month_end(result.end)
    return {
        "start": german_date(result.start),
        "end": german_date(end),
        "months": result.month_count,
        "text": f"{german_date(result.start)} – {german_date(end)} ({result.month_count} Monate)",
    }


def block_data(block: calc.BlockResult) -> dict:
    return {
        "key": block.key,
        "label": block.label,
        "module": block.module,
        "fte": block.fte,
        "total": block.total,
        "grant": block.grant,
        "third_party": block.third_party,
        "own_share": block.own_share,
        "uncovered": block.uncovered,
        "borne_by": block.borne_by,
        "budget_line": block.budget_line,
        "covered": [{"name": name, "amount": amount} for name, amount in sorted(block.covered.items())],
        "lines": [{"field": line.field, "label": line.label, "text": line.text, "amount": line.amount,
                   "detail": line.detail} for line in block.lines],
    }


def cases_data(comparison: calc.Comparison, descriptions: dict[str, str]) -> list[dict]:
    """Each case with its blocks: the base case all of them, a scenario only those it changes (as the papers do)."""
    cases = []
    for case in case_blocks(comparison):
        result = case["result"]
        cases.append({
            "name": result.name,
            "is_base": case["is_base"],
            "description": descriptions.get(result.name, ""),
            "blocks": [block_data(item["block"]) for item in case["blocks"] if case["is_base"] or item["changed"]],
            "totals": case["totals"],
            "unplanned_provision": result.unplanned_provision,
        })
    return cases


def comparison_data(comparison: calc.Comparison) -> dict:
    """The cases side by side: own share per block, totals, unplanned provision, and the risk range."""
    return {
        "cases": [result.name for result in comparison.results],
        "rows": [{"label": row["label"], "cells": row["cells"]} for row in side_by_side(comparison)],
        "own_share_totals": [result.total("own_share") for result in comparison.results],
        "provisions": [result.unplanned_provision for result in comparison.results],
        "risk_low": comparison.risk_low,
        "risk_high": comparison.risk_high,
        "risk_range": comparison.risk_range_text,
    }


def differences_data(comparison: calc.Comparison) -> dict:
    """Figures stated in a paper that differ from the computed ones, each once, and how many agree."""
    rows = differences(comparison)
    return {
        "differing": [{
            "case": row["case"],
            "block_label": row["difference"].block_label,
            "field_label": row["field_label"],
            "stated": row["difference"].stated,
            "computed": row["difference"].computed,
            "difference": row["difference"].difference,
            "source": row["difference"].source,
        } for row in rows if row["difference"].difference],
        "matching": sum(1 for row in rows if not row["difference"].difference),
    }


def financial_effects(county: County, comparison: calc.Comparison, limits: ProvisionLimits | None = None) -> dict:
    """The box "Finanzielle Auswirkungen": whether an unplanned provision is needed, how much, who decides
    (``limits``: the county's, where the caller has read them already)."""
    low, high = comparison.risk_low, comparison.risk_high
    lines = [f"{result.name}: {format_money(result.unplanned_provision)}" for result in comparison.results]
    result = comparison.results[0]
    if result.sources:
        sources = {source.name: source for source in CoverageSource.objects.filter(county=county)}
        lines += [coverage_line(usage, sources.get(usage.name), calc.month_end(result.end))
                  for usage in result.sources]
    # § 83 GO NRW: who decides, by the stages of the county's budget statute (reports.papers.decisions).
    decision = effects_decision(limits or provision_limits(county), comparison)
    return {
        "provision_needed": high > 0,
        "amount_text": comparison.risk_range_text if high > 0 else "",
        "low": low,
        "high": high,
        "lines": lines,
        "decision": decision,
    }


def coverage_line(usage: calc.SourceUsage, source: CoverageSource | None, period_end) -> str:
    """What a coverage source still holds and until when, in words a committee reads once:
    "Integrationspauschale (§ 14c TIntG): Restbetrag 450.000 € (Stand 27.05.2021); nach dem 30.11.2021 nicht mehr
    verwendbar, sofern nicht verlängert (Verlängerung offen)". ``usage``: the engine's use of the source in the
    base case; ``source``: its record (balance date, extension), None if not found; ``period_end``: the report's
    last day, to say whether the deadline lies before it."""
    text = f"{usage.name}: Restbetrag {format_money(usage.opening_balance)}"
    if source is not None:
        text += f" (Stand {german_date(source.balance_as_of)})"
    used = usage.opening_balance - usage.closing_balance
    if used:
        text += f"; bis zum Ende des Zeitraums verwendet {format_money(used)}, danach verbleiben " \
                f"{format_money(usage.closing_balance)}"
    until = usage.usable_until
    if until is None:
        return text
    if source is not None and source.extension_status == CoverageSource.Extension.GRANTED:
        return text + f"; verlängert, verwendbar bis {german_date(until)}"
    if until >= period_end:
        return text + f"; verwendbar bis {german_date(until)}"
    text += f"; nach dem {german_date(until)} nicht mehr verwendbar, sofern nicht verlängert"
    if source is not None and source.extension_status == CoverageSource.Extension.PENDING:
        text += " (Verlängerung offen)"
    return text


def decision_date_short(decision: GrantDecision) -> str:
    """When the decision was issued or, failing that, received: "vom 22.02.2021", "eingegangen am 09.06.2020"."""
    if decision.issued_on:
        text = f"vom {german_date(decision.issued_on)}"
        if decision.received_on and decision.received_on != decision.issued_on:
            text += f", eingegangen am {german_date(decision.received_on)}"
        return text
    if decision.received_on:
        return f"eingegangen am {german_date(decision.received_on)}"
    return "Datum nicht erfasst"


def decision_date_text(decision: GrantDecision) -> str:
    short = decision_date_short(decision)
    return f"Bescheid ({short})" if short == "Datum nicht erfasst" else f"Bescheid {short}"
