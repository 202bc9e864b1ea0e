"""Who decides each unplanned provision of a paper (§ 83 GO NRW), by the county's value limits.

The limits are the stages of the county's budget statute (provisions app, read by
provisions.selectors.provision_limits); the rule is provisions.rules.who_decides ("bis" includes its
amount). Each block's spending is voluntary or mandatory by its programme (provisions'
ProgrammeSpendingKind; unrecorded: voluntary). A case's total is decided per kind of spending: its
voluntary blocks together by the voluntary stages, its mandatory ones by the mandatory stages. Amounts
are euros from the own-share engine; nothing is computed here but sums of its blocks.
"""
from __future__ import annotations

from collections.abc import Iterable

from budgeting import calculations as calc
from kimportal.money import format_money
from provisions.limits import SPENDING_KINDS, ProvisionLimits
from provisions.rules import KIND_LABELS, KIND_PHRASES

ZERO = calc.ZERO
NO_LIMITS = "keine Wertgrenzen hinterlegt"


def report_kinds(limits: ProvisionLimits, results: Iterable[calc.CalculationResult]) -> list[str]:
    """The kinds of spending of the blocks with an own share, voluntary first."""
    kinds = {limits.kind_of(block.module) for result in results for block in result.blocks if block.own_share > 0}
    return [kind for kind in SPENDING_KINDS if kind in kinds]


def limits_data(limits: ProvisionLimits, results: list[calc.CalculationResult]) -> dict:
    """The county's limits as the paper prints them: every stage, the stages deciding the report's kinds of
    spending (the columns of "who decides"), the kinds without stages and which programme is which kind."""
    kinds = report_kinds(limits, results)
    programmes: dict[tuple[str, bool], set[str]] = {}
    for result in results:
        for block in result.blocks:
            if block.own_share > 0:
                key = (limits.kind_of(block.module), limits.kind_recorded(block.module))
                programmes.setdefault(key, set()).add(limits.module_programmes.get(block.module, block.module))
    return {
        "county": limits.county,
        "source": limits.source,
        "recorded": limits.recorded,
        "distinguishes_kinds": limits.distinguishes_kinds,
        "stages": limits.stage_rows(),
        "summary": limits.summary(),
        "columns": limits.columns(kinds),
        "missing": [KIND_PHRASES[kind] for kind in kinds if limits.recorded and not limits.stages_for(kind)],
        "programme_kinds": [
            {"label": KIND_LABELS[kind] + ("" if recorded else " (nicht festgelegt, daher als freiwillig behandelt)"),
             "programmes": sorted(programmes[(kind, recorded)])}
            for kind in SPENDING_KINDS for recorded in (True, False) if (kind, recorded) in programmes],
    }


def block_decision(limits: ProvisionLimits, block: calc.BlockResult) -> dict | None:
    return limits.decide(block.uncovered, limits.kind_of(block.module))


def case_decisions(limits: ProvisionLimits, result: calc.CalculationResult) -> list[dict]:
    """Per kind of spending the case's unplanned provision and who decides it (see limits.by_kind)."""
    return limits.by_kind((block.module, block.uncovered) for block in result.blocks if block.uncovered > 0)


def by_stage(columns: list[dict], blocks: list[dict]) -> list[dict]:
    """Per column (stage) the blocks it decides, with their sum, for the table "who decides"."""
    cells = {column["key"]: {"amount": ZERO, "blocks": []} for column in columns}
    for block in blocks:
        decision = block["decision"]
        if decision and decision["key"] in cells:
            cells[decision["key"]]["amount"] += block["uncovered"]
            cells[decision["key"]]["blocks"].append(block["label"])
    return [cells[column["key"]] for column in columns]


def decision_text(decisions: list[dict], distinguishes: bool, *, ranges: bool = True) -> str:
    """Who decides a case's total, per kind where the statute distinguishes kinds:
    "freiwillig: vorherige Zustimmung Kreistag (Gesamtbetrag über 5.000 €); pflichtig: …" (without the
    amounts' range where ``ranges`` is off)."""
    parts = []
    for item in decisions:
        decision = item["decision"]
        if decision is None:
            parts.append(f"für {item['kind_phrase']} {NO_LIMITS}")
            continue
        text = f"{decision['text']} (Gesamtbetrag {decision['range']})" if ranges else decision["text"]
        parts.append(f"{item['kind_label']}: {text}" if distinguishes else text)
    return "; ".join(parts)


def who_text(decisions: list[dict], distinguishes: bool) -> str:
    """The deciding bodies only, as the list of changes of an issued paper compares them."""
    return "; ".join((f"{item['kind_label']}: " if distinguishes else "") + item["decision"]["who"]
                     for item in decisions if item["decision"])


def summary_decision(cases: list[dict], limits: dict) -> str:
    """The paper's first page in a line or two: who decides each case's total — with the stage's range where
    one body decides every case, else the cases grouped by who decides (the ranges are in section III)."""
    needing = [case for case in cases if case["unplanned_provision"] > 0]
    if not needing:
        return "keine überplanmäßige Bereitstellung erforderlich"
    if not limits["recorded"]:
        return f"nicht bestimmbar: {NO_LIMITS}"
    distinguishes = limits["distinguishes_kinds"]
    texts = {case["name"]: decision_text(case["decisions"], distinguishes) for case in needing}
    if len(set(texts.values())) == 1:
        every = "allen Fällen" if len(needing) > 1 else "diesem Fall"
        return f"{next(iter(texts.values()))} in {every}"
    groups: dict[str, list[str]] = {}  # who decides -> the cases, in the paper's order
    for case in needing:
        groups.setdefault(decision_text(case["decisions"], distinguishes, ranges=False), []).append(case["name"])
    return " · ".join(f"{text}: {'; '.join(names)}" for text, names in groups.items())


def effects_decision(limits: ProvisionLimits, comparison: calc.Comparison) -> str:
    """The sentence of the box "Finanzielle Auswirkungen": who decides the highest case's provision,
    "578.466 €: über 99.999,99 € – vorherige Zustimmung Kreistag / Kreisausschuss (§ 83 GO NRW)."."""
    if comparison.risk_high <= 0 or not limits.recorded:
        return ""
    worst = max(comparison.results, key=lambda result: result.unplanned_provision)
    parts = []
    for item in case_decisions(limits, worst):
        decision = item["decision"]
        kind = f" ({item['kind_label']})" if limits.distinguishes_kinds else ""
        parts.append(f"{format_money(item['amount'])}{kind}: {decision['range']} – {decision['text']}" if decision
                     else f"{format_money(item['amount'])}: für {item['kind_phrase']} {NO_LIMITS}")
    source = f"; {limits.source}" if limits.source else ""
    return f"{'; '.join(parts)} (§ 83 GO NRW{source})."
