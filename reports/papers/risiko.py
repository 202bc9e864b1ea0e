"""The overspend-risk report for the treasury (Kämmerei): what the own shares cost, what covers them
month by month, what stays uncovered and who decides on the unplanned provision.

For a period (from/to month) or a fiscal year and the base case with every scenario (or one):

- per case the own share, what appropriations and coverage sources pay and the unplanned provision
  (überplanmäßige Bereitstellung), in total and per fiscal year, and the risk range across the cases;
- per block the unplanned provision in every case, each marked with who decides on it by the
  stages of the county's budget statute (§ 83 GO NRW; provisions app, reports.papers.decisions): up
  to each stage's limit, inclusive, its body, above the last the council's prior consent; a case's
  total per kind of spending (voluntary, mandatory); without limits the paper says so;
- the coverage sources and appropriations: balance, usable until, used in the period, rest, and a
  mark on those that have expired with money left, run out within the period or within six months
  after its end or after the report date;
- per block and month the own share, what covers it (source, usable until, balance left after the
  month) and what stays uncovered;
- for the base case plan, actual and forecast (Hochrechnung, issue 12 §2) per block with the budget lines whose
  forecast own share exceeds their appropriation (reports.papers.risiko_forecast).

Every amount is the engine's (budgeting.selectors.own_share_comparison, as the own-share page and
``manage.py own_share`` compute it); this module only sorts, adds up months and compares with the
limit. The one figure not in the engine's result, an appropriation's amount, is read from the same
table the selectors read it from.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils import timezone

from budgeting import calculations as calc
from budgeting.models import Appropriation, BudgetLine, CoverageSource, Scenario
from budgeting.selectors import own_share_comparison
from budgeting.selectors import default_period
from kimportal.models import County
from kimportal.money import format_money
from kimportal.terms import KREIS_WORDS, budget_recovery_note, county_words
from provisions.limits import ProvisionLimits
from provisions.rules import KIND_LABELS
from provisions.selectors import provision_limits
from reports.dashboard import fiscal_year_period

from reports.papers import decisions
from reports.papers.common import financial_effects, period_data
from reports.papers.risiko_forecast import forecast_data, forecast_figures
from reports.registry import (
    FISCAL_YEAR, PERIOD, SCENARIO, Report, ReportError, ReportParams, cases_for, german_date, register,
)

ZERO = calc.ZERO
# Coverage running out this many months after the period's end or the report date is marked.
WARNING_MONTHS = 6
# A block's months side by side: up to this many in one table, otherwise tables of twelve.
MONTH_COLUMNS = 13


def resolve_period(county: County, params: ReportParams) -> tuple[date, date, str]:
    """First and last month of the report and how it was chosen: a period, a fiscal year, or the default."""
    if params.fiscal_year and (params.start or params.end):
        raise ReportError("Bitte entweder einen Zeitraum (von/bis) oder ein Haushaltsjahr angeben, nicht beides.")
    if params.fiscal_year:
        start, end = fiscal_year_period(params.fiscal_year)
        return start, end, f"Haushaltsjahr {params.fiscal_year}"
    if bool(params.start) != bool(params.end):
        raise ReportError("Bitte ersten und letzten Monat angeben – oder keinen von beiden.")
    if params.start:
        if params.end < params.start:
            raise ReportError("Der letzte Monat liegt vor dem ersten.")
        return calc.month_start(params.start), calc.month_start(params.end), "Zeitraum"
    start, end = default_period(county)
    return start, end, "Zeitraum"


def month_end_after(day: date, months: int) -> date:
    return calc.month_end(calc.add_months(calc.month_start(day), months))


def source_status(usable_until: date, opening, closing, start: date, end: date, today: date) -> dict:
    """The mark of a coverage source (flag: None, "abgelaufen" or "läuft aus") and its German note."""
    period_end = calc.month_end(end)
    until = german_date(usable_until)
    if usable_until < start:
        if opening > 0:
            return {"flag": "abgelaufen", "note": f"abgelaufen am {until}: Restbetrag {format_money(opening)} "
                                                  "im Zeitraum nicht verwendbar"}
        return {"flag": None, "note": f"abgelaufen am {until}, aufgebraucht"}
    if usable_until <= period_end:
        note = f"läuft im Zeitraum aus ({until})"
        if closing > 0:
            note += f"; Rest {format_money(closing)} verfällt"
        return {"flag": "läuft aus", "note": note}
    if usable_until <= month_end_after(period_end, WARNING_MONTHS):
        return {"flag": "läuft aus", "note": f"läuft innerhalb von {WARNING_MONTHS} Monaten nach Ende des "
                                            f"Zeitraums aus ({until})"}
    if today <= usable_until <= month_end_after(today, WARNING_MONTHS):
        return {"flag": "läuft aus", "note": f"läuft innerhalb von {WARNING_MONTHS} Monaten nach dem "
                                            f"Berichtsdatum aus ({until})"}
    if usable_until < today:
        return {"flag": None, "note": f"verwendbar im ganzen Zeitraum; inzwischen abgelaufen ({until})"}
    return {"flag": None, "note": "verwendbar im ganzen Zeitraum"}


def _years(months: list[date]) -> list[int]:
    return sorted({month.year for month in months})


def _block_signature(block: calc.BlockResult) -> tuple:
    return tuple((m.own_share, tuple(sorted(m.covered.items())), m.uncovered) for m in block.months)


class _Case:
    """One case of the comparison with what the report needs of it: appropriation and source balances month by month."""

    def __init__(self, result: calc.CalculationResult, appropriation_amounts: dict):
        self.result = result
        self.source_names = {usage.name for usage in result.sources}
        self.usage = {usage.name: usage for usage in result.sources}
        # Balances after each month: coverage sources from the engine's usage, appropriations from what the
        # engine took from them (the engine names an appropriation "Haushaltsansatz <line> (<year>)").
        self.balance_after: dict = {}
        for usage in result.sources:
            balance = usage.opening_balance
            for month in result.months:
                balance -= usage.used.get(month, ZERO)
                self.balance_after[(usage.name, month)] = balance
        self.appropriation_used: dict = defaultdict(lambda: ZERO)  # (line, year) -> amount
        self.appropriation_labels: dict = {}  # label -> (line, year)
        used_by_month: dict = defaultdict(lambda: ZERO)
        for block in result.blocks:
            for figures in block.months:
                for name, amount in figures.covered.items():
                    if name not in self.source_names:
                        key = (block.budget_line, figures.month.year)
                        self.appropriation_labels[name] = key
                        self.appropriation_used[key] += amount
                        used_by_month[(key, figures.month)] += amount
        for label, key in self.appropriation_labels.items():
            balance = appropriation_amounts.get(key, ZERO)
            for month in result.months:
                if month.year == key[1]:
                    balance -= used_by_month[(key, month)]
                    self.balance_after[(label, month)] = balance

    def usable_until(self, name: str) -> date:
        """When a cover can be used until: a source's date, or the end of an appropriation's fiscal year."""
        if name in self.source_names:
            return self.usage[name].usable_until
        return date(self.appropriation_labels[name][1], 12, 31)


def _chunks(months: list, size: int) -> list[list]:
    if len(months) <= MONTH_COLUMNS:
        return [months]
    return [months[index:index + size] for index in range(0, len(months), size)]


def month_matrix(case: _Case, block: calc.BlockResult) -> list[dict]:
    """A block month by month as tables of at most MONTH_COLUMNS months: rows are the own share, each cover
    with its balance after the month, what stays uncovered and the uncovered amount so far."""
    covers: dict[str, None] = {}
    for figures in block.months:
        for name in figures.covered:
            covers.setdefault(name, None)
    cumulative, running = ZERO, []
    for figures in block.months:
        cumulative += figures.uncovered
        running.append(cumulative)
    indexed = list(enumerate(block.months))
    several = len(_chunks(indexed, 12)) > 1
    tables = []
    for chunk in _chunks(indexed, 12):
        months = [figures for _, figures in chunk]
        rows = [{"kind": "own_share", "label": "Eigenanteil",
                 "cells": [figures.own_share for figures in months],
                 "total": sum((figures.own_share for figures in months), ZERO)}]
        for name in covers:
            until = german_date(case.usable_until(name))
            amounts = [figures.covered.get(name) for figures in months]
            rows.append({"kind": "cover", "label": f"gedeckt durch {name}", "note": f"verwendbar bis {until}",
                         "cells": amounts, "total": sum((amount for amount in amounts if amount), ZERO)})
            balances = [case.balance_after.get((name, figures.month)) for figures in months]
            rows.append({"kind": "balance", "label": "Restbetrag nach dem Monat", "note": "",
                         "cells": balances, "total": None})
        rows.append({"kind": "uncovered", "label": "ungedeckt (überplanmäßig)",
                     "cells": [figures.uncovered for figures in months],
                     "total": sum((figures.uncovered for figures in months), ZERO)})
        rows.append({"kind": "cumulative", "label": "ungedeckt kumuliert",
                     "cells": [running[index] for index, _ in chunk], "total": None})
        first, last = months[0].month, months[-1].month
        tables.append({
            "months": [calc.month_label(figures.month) for figures in months],
            "total_label": f"Summe {calc.month_label(first)}–{calc.month_label(last)}" if several else "Summe",
            "rows": rows,
        })
    return tables


@register
class RiskReport(Report):
    slug = "risiko"
    title = "Risiko überplanmäßiger Bereitstellungen (Kämmerei)"
    description = ("Für die Kämmerei: Eigenanteile je Block und Monat, ihre Deckung durch Haushaltsansätze und "
                   "Deckungsmittel (verwendbar bis, Restbetrag), der ungedeckte Teil als überplanmäßige "
                   "Bereitstellung je Block, Fall und Haushaltsjahr, die Risikospanne über die Szenarien, "
                   "auslaufende Deckungsmittel und die Zuständigkeit nach den Wertgrenzen der Haushaltssatzung "
                   "(§ 83 GO NRW).")
    parameters = (PERIOD, SCENARIO, FISCAL_YEAR)
    landscape = True
    default_subject = "Risiko überplanmäßiger Bereitstellungen für Eigenanteile der geförderten Programme"
    default_preliminary_remarks = (
        "Die Förderprogramme des Kommunalen Integrationszentrums decken nur einen Teil der Kosten. Den "
        "verbleibenden Eigenanteil tragen Haushaltsansätze oder Deckungsmittel wie die Integrationspauschale; "
        "was keines von beiden trägt, ist überplanmäßig bereitzustellen (§ 83 GO NRW). Über- und außerplanmäßige "
        "Aufwendungen sind nur zulässig, wenn sie unabweisbar sind und die Deckung gewährleistet ist.")
    default_explanations = (
        "Die Verwaltung stellt für den Planstand und die Szenarien dar, welcher Teil der Eigenanteile ungedeckt "
        "ist, wer nach den Wertgrenzen über die Bereitstellung entscheidet, welche Deckungsmittel auslaufen und "
        "woraus jeder Eigenanteil Monat für Monat gedeckt wird.")

    def default_params(self, county: County) -> ReportParams:
        # No defaults in the parameters: a period and a fiscal year exclude each other, so build
        # takes the own-share page's default period when neither is given.
        return ReportParams()

    def filename(self, county: County, params: ReportParams) -> str:
        try:
            start, end, _ = resolve_period(county, params)
        except ReportError:
            return super().filename(county, params)
        resolved = (ReportParams(fiscal_year=params.fiscal_year, scenario=params.scenario) if params.fiscal_year
                    else ReportParams(start=start, end=end, scenario=params.scenario))
        return super().filename(county, resolved)

    # ------------------------------------------------------------------------------------------- build

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        start, end, chosen = resolve_period(county, params)
        cases = cases_for(county, params)
        if params.scenario and len(cases) < 2:
            known = "; ".join(Scenario.objects.filter(county=county).order_by("position", "name")
                              .values_list("name", flat=True)) or "keine"
            raise ReportError(f"Unbekanntes Szenario „{params.scenario}“ (bekannt: {known}).")
        # Blocks without positions (issue 11) are paid by their decisions or appropriations and never need a
        # provision: the paper, like Vorlage 002, shows the blocks of positions.
        loaded: dict = {}
        comparison = own_share_comparison(county, start, end, cases, loaded=loaded, lump_sums=False)
        base = comparison.results[0]
        today = timezone.localdate()
        limits = provision_limits(county)
        years = _years(base.months)
        amounts = {
            (a.budget_line.code, a.fiscal_year): a.amount
            for a in Appropriation.objects.filter(budget_line__county=county, fiscal_year__in=years)
            .select_related("budget_line")
        }
        line_names = dict(BudgetLine.objects.filter(county=county).values_list("code", "name"))
        descriptions = dict(Scenario.objects.filter(county=county).values_list("name", "description"))
        wrapped = [_Case(result, amounts) for result in comparison.results]
        base_blocks = {block.key: _block_signature(block) for block in base.blocks}

        limits_data = decisions.limits_data(limits, comparison.results)
        words = county_words(county.kind)
        built = [self._case(case, index == 0, descriptions, limits, limits_data["columns"], years, base_blocks,
                            owner=words.genitive)
                 for index, case in enumerate(wrapped)]
        for case in built[1:]:
            if case["unusable_sources"] == built[0]["unusable_sources"]:
                case["unusable_sources"] = []  # said once, for the base case
        period = period_data(base)
        period["chosen"] = chosen
        period["years"] = [str(year) for year in years]
        sources = self._sources(county, wrapped, start, end, today)
        return {
            "period": period,
            "report_date": german_date(today),
            "warning_months": WARNING_MONTHS,
            "limits": limits_data,
            "cases": built,
            "blocks": self._side_by_side(comparison, limits),
            "risk": {"low": comparison.risk_low, "high": comparison.risk_high,
                     "range": comparison.risk_range_text,
                     "decisions": max(built, key=lambda case: case["unplanned_provision"])["decisions"]},
            "sources": sources,
            "summary": self._summary(built, limits_data, sources),
            "appropriations": self._appropriations(wrapped, amounts, line_names, {
                block.budget_line for result in comparison.results for block in result.blocks if block.budget_line}),
            "financial_effects": financial_effects(county, comparison, limits),
            # A county (city) under a Haushaltssicherungskonzept: new voluntary spending goes its way first.
            "budget_recovery_note": budget_recovery_note(county),
            # "der Kreis" / "die Stadt" in the paper's own sentences (kimportal.terms).
            "county_words": {"subject": words.subject, "genitive": words.genitive, "budget": words.budget},
            # Plan, actual and forecast of the base case with the budget-line warnings (issue 12 §2).
            "forecast": forecast_data(county, start, end, base, loaded),
        }

    @staticmethod
    def _case(case: _Case, is_base: bool, descriptions: dict, limits: ProvisionLimits, columns: list[dict],
              years: list[int], base_blocks: dict, owner: str = KREIS_WORDS.genitive) -> dict:
        result = case.result
        blocks, without_risk = [], []
        for block in result.blocks:
            if block.own_share <= 0:
                reason = (f"Eigenanteil trägt {block.borne_by}" if block.borne_by
                          else f"kein Eigenanteil {owner}")
                without_risk.append({"label": block.label, "reason": reason})
                continue
            matrix = month_matrix(case, block)
            by_year = defaultdict(lambda: ZERO)
            for figures in block.months:
                by_year[figures.month.year] += figures.uncovered
            blocks.append({
                "key": block.key,
                "label": block.label,
                "fte": block.fte,
                "budget_line": block.budget_line,
                "own_share": block.own_share,
                "covered": [{"name": name, "amount": amount} for name, amount in block.covered.items()],
                "uncovered": block.uncovered,
                "by_year": [{"year": str(year), "amount": by_year[year]} for year in years],
                "kind_label": KIND_LABELS[limits.kind_of(block.module)],
                "decision": decisions.block_decision(limits, block),
                "fully_covered": block.uncovered <= 0,
                "changed": is_base or base_blocks.get(block.key) != _block_signature(block),
                "matrix": matrix,
            })
        covered_appropriations = sum(case.appropriation_used.values(), ZERO)
        covered_sources = sum((sum(usage.used.values(), ZERO) for usage in result.sources), ZERO)
        by_year = defaultdict(lambda: ZERO)
        for block in result.blocks:
            for figures in block.months:
                by_year[figures.month.year] += figures.uncovered
        by_kind = decisions.case_decisions(limits, result)
        return {
            "name": result.name,
            "is_base": is_base,
            "description": descriptions.get(result.name, ""),
            "own_share": result.total("own_share"),
            "covered_appropriations": covered_appropriations,
            "covered_sources": covered_sources,
            "unplanned_provision": result.unplanned_provision,
            "by_year": [{"year": str(year), "amount": by_year[year]} for year in years],
            "decisions": by_kind,
            "decision_text": decisions.decision_text(by_kind, limits.distinguishes_kinds),
            "unusable_sources": [
                {"name": usage.name, "usable_until": german_date(usage.usable_until), "balance": usage.opening_balance}
                for usage in result.sources if usage.usable_until < result.start and usage.opening_balance > 0],
            "by_stage": decisions.by_stage(columns, blocks),
            "blocks": blocks,
            "changed_blocks": sum(1 for b in blocks if b["changed"]),
            "without_risk": without_risk,
        }

    @staticmethod
    def _summary(cases: list[dict], limits: dict, sources: list[dict]) -> dict:
        """The paper's first page in brief: the provision per fiscal year across the cases, who decides, and the
        coverage sources marked as expired or running out."""
        years = []
        for index, item in enumerate(cases[0]["by_year"]):
            amounts = [case["by_year"][index]["amount"] for case in cases]
            low, high = min(amounts), max(amounts)
            years.append({"year": item["year"], "text": format_money(low) if low == high
                          else f"{format_money(low)} – {format_money(high)}"})
        flagged = [{"name": source["name"], "case": variant["case"], "is_base": variant["is_base"],
                    "flag": variant["flag"], "note": variant["note"]}
                   for source in sources for variant in source["variants"] if variant["flag"]]
        return {"years": years, "decision": decisions.summary_decision(cases, limits), "flagged": flagged}

    @staticmethod
    def _side_by_side(comparison: calc.Comparison, limits: ProvisionLimits) -> list[dict]:
        """Per block with an own share in any case: its unplanned provision in each case (None: not in that case)."""
        labels: dict[str, str] = {}
        kinds: dict[str, str] = {}
        for result in comparison.results:
            for block in result.blocks:
                if block.own_share > 0:
                    labels.setdefault(block.key, block.label)
                    kinds.setdefault(block.key, KIND_LABELS[limits.kind_of(block.module)])
        rows = []
        for key, label in labels.items():
            cells = []
            for result in comparison.results:
                block = next((b for b in result.blocks if b.key == key), None)
                cells.append(None if block is None else {
                    "own_share": block.own_share, "uncovered": block.uncovered, "fully_covered": block.uncovered <= 0,
                    "decision": decisions.block_decision(limits, block)})
            rows.append({"key": key, "label": label, "kind_label": kinds[key], "cells": cells})
        return rows

    @staticmethod
    def _sources(county: County, cases: list[_Case], start: date, end: date, today: date) -> list[dict]:
        """Each coverage source as the base case uses it, and a row per scenario that changes it."""
        records = {source.name: source for source in CoverageSource.objects.filter(county=county)}
        base = cases[0]
        rows = []
        for usage in base.result.sources:
            record = records.get(usage.name)
            variants = []
            for index, case in enumerate(cases):
                other = case.usage.get(usage.name)
                if other is None:
                    continue
                used = sum(other.used.values(), ZERO)
                if index and (other.usable_until, other.opening_balance, used) == (
                        usage.usable_until, usage.opening_balance, sum(usage.used.values(), ZERO)):
                    continue
                variants.append({
                    "case": case.result.name,
                    "is_base": index == 0,
                    "opening": other.opening_balance,
                    "usable_until": german_date(other.usable_until),
                    "used": used,
                    "closing": other.closing_balance,
                    **source_status(other.usable_until, other.opening_balance, other.closing_balance, start, end,
                                    today),
                })
            rows.append({
                "name": usage.name,
                "kind": record.get_kind_display() if record else "",
                "balance_as_of": german_date(record.balance_as_of) if record else "",
                "extension": record.get_extension_status_display() if record else "",
                "proof_of_use_due": german_date(record.proof_of_use_due) if record else "",
                "variants": variants,
            })
        return rows

    @staticmethod
    def _appropriations(cases: list[_Case], amounts: dict, line_names: dict, lines: set) -> list[dict]:
        """The appropriations of the period's fiscal years on the budget lines of own shares, with what the engine
        took from them; other appropriations (e.g. project funds) pay no own share and are left out."""
        rows = []
        base = cases[0]
        for (line, year), amount in sorted(amounts.items()):
            if line not in lines:
                continue
            variants = []
            for index, case in enumerate(cases):
                used = case.appropriation_used.get((line, year), ZERO)
                if index and used == base.appropriation_used.get((line, year), ZERO):
                    continue
                variants.append({"case": case.result.name, "is_base": index == 0, "used": used,
                                 "rest": amount - used})
            rows.append({"line": line, "name": line_names.get(line, ""), "year": str(year), "amount": amount,
                         "usable_until": german_date(date(year, 12, 31)), "variants": variants})
        return rows

    # ------------------------------------------------------------------------------------------- figures

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        figures = []
        for case in data["cases"]:
            suffix = f" ({case['name']})"
            for block in case["blocks"]:
                figures.append((f"{case['name']}:{block['key']}:uncovered",
                                f"Überplanmäßig {block['label']}{suffix}", format_money(block["uncovered"])))
            figures.append((f"{case['name']}:provision", f"Überplanmäßige Bereitstellung{suffix}",
                            format_money(case["unplanned_provision"])))
            if "decisions" in case:
                who = decisions.who_text(case["decisions"], data["limits"]["distinguishes_kinds"])
            else:  # a paper issued before the stages, with one value limit
                who = case["decision"]["who"] if case.get("decision") else ""
            if who:
                figures.append((f"{case['name']}:decision", f"Zuständigkeit{suffix}", who))
        figures.append(("risk", "Risikospanne", data["risk"]["range"]))
        if "limits" in data:
            limits = data["limits"]["summary"] if data["limits"]["recorded"] else "keine festgelegt"
        else:
            threshold = data["threshold"]["amount"]
            limits = format_money(threshold) if threshold else "keine festgelegt"
        figures.append(("threshold", "Wertgrenzen (§ 83 GO NRW)", limits))
        for source in data["sources"]:
            for variant in source["variants"]:
                figures.append((f"source:{source['name']}:{variant['case']}",
                                f"{source['name']} ({variant['case']})",
                                f"verwendbar bis {variant['usable_until']}, Rest nach dem Zeitraum "
                                f"{format_money(variant['closing'])}"))
        return figures + forecast_figures(data)
