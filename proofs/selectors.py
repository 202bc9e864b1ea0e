"""The proofs of use of a county and fiscal year: one numerical statement per grant decision whose period touches the
year, from the plan and the forecast beside it (actuals.forecast.case_forecasts), the draw-downs and the pass-throughs.

The engine is run once per year and county; each decision takes the blocks it rules (its module's, or its
programme's where it names no module) over the months of its period within the year.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from actuals.forecast import case_forecasts
from actuals.selectors import actuals_by_position_month
from budgeting import calculations as calc
from budgeting.models import CoverageSource
from drawdowns.selectors import Granted, decision_label, granted
from kimportal.models import County
from kimportal.money import format_money_exact, round_cent
from programmes.models import GrantDecision, PassThrough

from .models import ProofOfUse, proof_status, usual_deadline
from .statement import ZERO, BlockPart, RecipientProof, Statement, statement


@dataclass
class DecisionProof:
    """One decision's proof of use for a fiscal year: the statement, the stored record (None until someone edits the
    status or the Sachbericht), the period it covers and what the decision grants."""

    decision: GrantDecision
    label: str
    year: int
    start: date
    end: date
    grant: Granted
    statement: Statement
    record: ProofOfUse | None
    status: str
    deadline: date | None

    @property
    def kind(self) -> str:
        return "Verwendungsnachweis" if self.statement.final else "Zwischennachweis"

    @property
    def key(self) -> str:
        return f"{self.decision.pk}-{self.year}"


@dataclass
class SourceProof:
    """A coverage source's proof of use (the Integrationspauschale's was due 31.03.2023) and its status."""

    source: CoverageSource
    record: ProofOfUse | None
    status: str
    deadline: date | None


def _rules(decision: GrantDecision, block: calc.BlockResult) -> bool:
    if decision.module_id:
        return block.module == decision.module.code
    return block.programme == decision.programme.code


def _year_of(day: date, start: date, end: date) -> int:
    """The fiscal year a receipt counts for: its own, within the decision's years (early or late money counts for
    the first or last year)."""
    return min(max(day.year, start.year), end.year)


def _recipients(decision: GrantDecision) -> list[RecipientProof]:
    rows = []
    for passing in decision.pass_throughs.all():
        proof = getattr(passing, "recipient_proof", None)
        rows.append(RecipientProof(
            passing.recipient.name, passing.amount, passing.purpose, passing.proof_of_use_due,
            proof.received_on if proof else None, proof.checked_on if proof else None, proof.used if proof else None,
            passing.parent.recipient.name if passing.parent_id else ""))
    return rows


def _parts(decision, blocks, months: list[date], actuals) -> tuple[list[BlockPart], int]:
    """The decision's blocks ``(plan BlockResult, BlockInput or None, BlockForecast)`` over ``months``, and the
    number of those months without actuals for its positions. ``actuals``: actuals_by_position_month."""
    parts, with_actuals, has_positions = [], set(), False
    borne = {plan.borne_by for plan, _, _ in blocks if plan.borne_by}
    share = Decimal(len(months)) / Decimal(len(calc.months_between(decision.period_start, decision.period_end)))
    to_pass = sum((p.amount or ZERO for p in decision.pass_throughs.all()
                   if not p.parent_id and p.recipient.name not in borne), ZERO) * share
    for plan_block, block_input, forecast_block in blocks:
        rows = [m for m in forecast_block.months if m.month in months]
        plan_total = sum((m.plan_total for m in rows), ZERO)
        plan_grant = sum((m.plan_grant for m in rows), ZERO)
        by_type: dict[str, Decimal] = {}
        if block_input is not None and block_input.positions:
            has_positions = True
            for position in block_input.positions:
                for month, figures in actuals.get(int(position.key), {}).items():
                    if month in months:
                        with_actuals.add(month)
                        for cost_type, amount in figures.items():
                            by_type[cost_type] = by_type.get(cost_type, ZERO) + amount
        scale = plan_grant / plan_block.grant if plan_block.grant else ZERO
        passed = ZERO
        if plan_block.lump_sum and to_pass:
            passed = min(plan_total, to_pass)
            to_pass -= passed
        parts.append(BlockPart(
            plan_block.label, plan_total, plan_grant, sum((m.third_party for m in rows), ZERO),
            sum((m.forecast_total for m in rows), ZERO), sum((m.actual for m in rows if m.actual is not None), ZERO),
            sum((m.lost_grant for m in rows), ZERO), by_type,
            {k: v * scale for k, v in plan_block.grant_by_cost_type.items()}, plan_block.borne_by,
            plan_block.lump_sum, round_cent(passed), tuple(forecast_block.lines)))
    open_months = len([m for m in months if m not in with_actuals]) if has_positions else 0
    return parts, open_months


def year_proofs(county: County, year: int, *, today: date | None = None) -> list[DecisionProof]:
    """The statements of every decision of the county whose period touches ``year`` (EUR), programme by programme.

    Raises budgeting.periods.CalculationError where the plan cannot be computed (missing workplace costs)."""
    today = today or timezone.localdate()
    first, last = date(year, 1, 1), date(year, 12, 31)
    passing = Prefetch("pass_throughs", queryset=PassThrough.objects.select_related(
        "recipient", "parent__recipient", "recipient_proof").order_by("parent_id", "recipient__name", "pk"))
    decisions = [d for d in GrantDecision.objects.filter(county=county, period_start__lte=last, period_end__gte=first)
                 .select_related("programme", "module").prefetch_related("slots", "drawdowns", passing)
                 .order_by("programme__name", "module__position", "period_start", "pk")
                 if not getattr(d, "expected", False)]  # an expected decision (rollover) has nothing to prove yet
    if not decisions:
        return []
    records = {(r.decision_id, r.fiscal_year): r for r in ProofOfUse.objects.filter(
        county=county, decision__in=decisions, fiscal_year=year)}
    runs: dict[tuple[date, date], tuple] = {}  # one forecast per statement period (the year, or a whole period)
    proofs = []
    for decision in decisions:
        final = decision.period_end <= last
        # The final proof covers the whole grant period; an interim one the year's part (ANBest-P Nr. 6.1).
        start = decision.period_start if final else max(decision.period_start, first)
        end = min(decision.period_end, last)
        months = calc.months_between(start, end)
        span = (months[0], months[-1])
        if span not in runs:
            cases = case_forecasts(county, span[0], span[1], scenarios=[None])
            runs[span] = (cases.comparison.results[0], cases.forecasts[0],
                          {b.key: b for b in cases.inputs[0].blocks},
                          actuals_by_position_month(county, span[0], calc.month_end(span[1])))
        result, forecast, inputs, actuals = runs[span]
        blocks = [(b, inputs.get(b.key), f) for b, f in zip(result.blocks, forecast.blocks) if _rules(decision, b)]
        parts, open_months = _parts(decision, blocks, months, actuals)
        received = sum((d.received_amount or ZERO for d in decision.drawdowns.all() if d.received_on and (
            final or _year_of(d.received_on, decision.period_start, decision.period_end) == year)), ZERO)
        whole = granted(decision)
        plan_grant = sum((p.plan_grant for p in parts), ZERO)
        grant = whole if final else Granted(
            plan_grant, f"anteilig für {year} laut Plan (Bescheid {decision.period_start:%d.%m.%Y}–"
                        f"{decision.period_end:%d.%m.%Y}" + (f" über {format_money_exact(whole.amount)}"
                                                            if whole.amount is not None else "") + ")")
        made = statement(parts, granted=grant.amount, received=received,
                         recipients=_recipients(decision) if final else (),
                         months=len(months), open_months=open_months, final=final)
        made.notes[:0] = [line for part in parts for line in part.lines if line.startswith("Vakanz")]
        if not parts:
            made.notes.append("Im Planstand gibt es für diesen Bescheid im Zeitraum keine Stellen oder Pauschalen.")
        if any(p.lump_sum for p in parts):
            made.notes.append("Pauschalen ohne erfasste Ist-Kosten stehen mit ihrem Planbetrag in der Abrechnung.")
        if not final and decision.pass_throughs.all():
            made.notes.append("Die Weiterleitungen und die Nachweise der Empfänger stehen im Verwendungsnachweis "
                              f"über den ganzen Bewilligungszeitraum (Haushaltsjahr {decision.period_end.year}).")
        record = records.get((decision.pk, year))
        deadline = (record.deadline if record else None) or decision.proof_of_use_due
        usual = deadline is None
        if usual:
            deadline = usual_deadline(decision.period_end if final else last, final)
        status = proof_status(deadline, record.submitted_on if record else None,
                              record.checked_on if record else None, today)
        if usual and not (record and record.submitted_on):
            status += " (übliche Frist; im Bescheid nicht erfasst)"
        proofs.append(DecisionProof(decision, decision_label(decision), year, start, end, grant, made, record,
                                    status, deadline))
    return proofs


def source_proofs(county: County, *, today: date | None = None) -> list[SourceProof]:
    """The coverage sources with a proof of use due or recorded, and their status."""
    today = today or timezone.localdate()
    records = {r.coverage_source_id: r for r in ProofOfUse.objects.filter(county=county, coverage_source__isnull=False)}
    rows = []
    for source in CoverageSource.objects.filter(county=county).filter(
            Q(proof_of_use_due__isnull=False) | Q(pk__in=list(records))).order_by("name"):
        record = records.get(source.pk)
        deadline = record.deadline if record else source.proof_of_use_due
        rows.append(SourceProof(source, record, proof_status(deadline, record.submitted_on if record else None,
                                                            record.checked_on if record else None, today), deadline))
    return rows


def proof_years(county: County) -> list[int]:
    """The fiscal years the county's decisions touch, newest first."""
    years = set()
    for start, end in GrantDecision.objects.filter(county=county).values_list("period_start", "period_end"):
        years.update(range(start.year, end.year + 1))
    return sorted(years, reverse=True)
