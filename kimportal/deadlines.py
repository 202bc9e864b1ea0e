"""What is coming for a county: contract ends, expiring coverage, proofs of use, goals, open application steps and
draw-downs to be called.

One query per kind of deadline, whatever the number of records, so the deadlines
page costs the same on a county with ten positions as on one with five hundred.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kimportal.money import format_money_exact

FIXED_TERM_ENDS = "Befristung endet"
COVERAGE_EXPIRES = "Deckungsmittel laufen aus"
PROOF_OF_USE_DUE = "Verwendungsnachweis fällig"
PASS_THROUGH_PROOF_DUE = "Verwendungsnachweis Weiterleitung fällig"
GOAL_DUE = "Ziel fällig"
STEP_OPEN = "Antragsschritt offen"
DRAWDOWN_DUE = "Mittelabruf fällig"


@dataclass(frozen=True)
class Deadline:
    date: date
    kind: str
    title: str
    url: str | None
    # A task not done in time (a proof of use, a goal, an application step); a contract
    # end or an expiry in the past is simply past, not overdue.
    overdue: bool = False


def object_url(name: str, pk) -> str | None:
    """The page of an object, or None while that page does not exist (yet)."""
    return object_url_kw(name, pk=pk)


def object_url_kw(name: str, **kwargs) -> str | None:
    """A page by its URL keywords, or None while that page does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def upcoming_deadlines(county, today: date | None = None, horizon_days: int | None = None,
                       *, include_past: bool = True) -> list[Deadline]:
    """All dated obligations of the county, sorted by date.

    horizon_days limits how far ahead to look; include_past=False leaves out what
    lies before today unless it is an overdue task.
    """
    from django.db.models import F, Prefetch

    from budgeting.models import CoverageSource, CoverageWindow
    from programmes.choices import GOAL_CLOSED
    from programmes.models import ApplicationStep, FocusGoal, PassThrough
    from staffing.models import Position

    today = today or timezone.localdate()
    items: list[Deadline] = []

    def add(day, kind, title, url, task=False):
        if day is not None:
            items.append(Deadline(day, kind, title, url, overdue=task and day < today))

    for position in Position.objects.filter(county=county, fixed_term_until__isnull=False).only(
            "pk", "title", "position_number", "fixed_term_until"):
        title = f"{position.title} ({position.position_number})" if position.position_number else position.title
        add(position.fixed_term_until, FIXED_TERM_ENDS, title, object_url("staffing:position_detail", position.pk))

    # The source's proof of use (at most one, proofs.ProofOfUse) joined in: no query of its own.
    for source in CoverageSource.objects.filter(county=county).annotate(
            proof_pk=F("proofs_of_use__pk"), proof_due_on=F("proofs_of_use__due_on"),
            proof_submitted_on=F("proofs_of_use__submitted_on"), proof_checked_on=F("proofs_of_use__checked_on"),
    ).prefetch_related(Prefetch("windows", queryset=CoverageWindow.objects.select_related("programme", "module"))):
        url = object_url("budgeting:coverage_detail", source.pk)
        add(source.usable_until, COVERAGE_EXPIRES, source.name, url)
        for window in source.windows.all():  # a deadline for one purpose (Rhein-Kreis Neuss: KIM until 30.06.)
            purpose = window.module.name if window.module_id else window.programme.name
            add(window.usable_until, COVERAGE_EXPIRES, f"{source.name} für {purpose}", url)
        if source.extended_until and source.extended_until != source.usable_until:
            add(source.extended_until, COVERAGE_EXPIRES, f"{source.name} (verlängert)", url)
        if source.proof_pk is not None or source.proof_of_use_due:
            submitted, checked = source.proof_submitted_on, source.proof_checked_on
            add(source.proof_due_on or source.proof_of_use_due, PROOF_OF_USE_DUE,
                source.name + _proof_done(submitted, checked),
                object_url_kw("proofs:source", source_pk=source.pk), task=not (submitted or checked))

    _decision_proofs(county, add)

    for passing in PassThrough.objects.filter(decision__county=county, proof_of_use_due__isnull=False).select_related(
            "recipient", "decision__programme", "decision__module", "parent__recipient"):
        # On the second level the first recipient checks the final recipient's proof (Nr. 12 VV zu § 44 LHO).
        checker = f", prüft {passing.parent.recipient.name}" if passing.parent_id else ""
        add(passing.proof_of_use_due, PASS_THROUGH_PROOF_DUE, f"{passing.recipient.name} ({passing.decision}{checker})",
            object_url("programmes:grantdecision_detail", passing.decision_id), task=True)

    for goal in FocusGoal.objects.filter(county=county).only("pk", "number", "title", "due_on", "status"):
        add(goal.due_on, GOAL_DUE, str(goal), object_url("programmes:focusgoal_detail", goal.pk),
            task=goal.status not in GOAL_CLOSED)

    for step in ApplicationStep.objects.filter(application__county=county, due_on__isnull=False,
                                               occurred_on__isnull=True).select_related("application"):
        add(step.due_on, STEP_OPEN, f"{step.get_kind_display()}: {step.application.title}",
            object_url("programmes:application_detail", step.application_id), task=True)

    from drawdowns.models import Drawdown

    for call in Drawdown.objects.filter(decision__county=county, due_on__isnull=False, requested_on__isnull=True,
                                        received_on__isnull=True).select_related("decision__programme",
                                                                                 "decision__module"):
        amount = f" ({format_money_exact(call.requested_amount)})" if call.requested_amount else ""
        add(call.due_on, DRAWDOWN_DUE, f"Zuwendungsbescheid {call.decision}{amount}",
            object_url_kw("drawdowns:decision", decision_pk=call.decision_id), task=True)

    if horizon_days is not None:
        limit = today + timedelta(days=horizon_days)
        items = [d for d in items if d.date <= limit]
    if not include_past:
        items = [d for d in items if d.date >= today or d.overdue]
    return sorted(items, key=lambda d: (d.date, d.kind, d.title))


def _proof_done(submitted_on: date | None, checked_on: date | None) -> str:
    """" (geprüft am 12.05.2023)", " (eingereicht am 29.03.2023)" or ""."""
    if checked_on:
        return f" (geprüft am {checked_on:%d.%m.%Y})"
    if submitted_on:
        return f" (eingereicht am {submitted_on:%d.%m.%Y})"
    return ""


def _decision_proofs(county, add) -> None:
    """The proofs of use of the county's grant decisions, in one query: one entry per stored proof
    (proofs.ProofOfUse, per decision and fiscal year) with its deadline, its own or the decision's, and one for a
    decision's "Verwendungsnachweis fällig" that no stored proof stands for yet. A submitted or checked proof says
    so in its title and is never overdue; each entry links to the proof's page for its year."""
    from django.db.models import F, Q

    from programmes.models import GrantDecision

    # Joined, a decision comes once per stored proof (proof fields None where it has none).
    rows = (GrantDecision.objects.filter(county=county).select_related("programme", "module")
            .annotate(proof_year=F("proofs_of_use__fiscal_year"), proof_due_on=F("proofs_of_use__due_on"),
                      proof_submitted_on=F("proofs_of_use__submitted_on"),
                      proof_checked_on=F("proofs_of_use__checked_on"))
            .filter(Q(proof_of_use_due__isnull=False) | Q(proof_year__isnull=False))
            .order_by("pk", "proof_year"))
    covered: set[int] = set()
    decisions = {}
    for row in rows:
        decisions.setdefault(row.pk, row)
        if row.proof_year is None:
            continue
        deadline = row.proof_due_on or row.proof_of_use_due
        last_year = row.period_end.year
        if row.proof_year == last_year or deadline == row.proof_of_use_due:
            covered.add(row.pk)  # the stored proof is the one the decision's own date asks for
        interim = f", Zwischennachweis {row.proof_year}" if row.proof_year < last_year else ""
        add(deadline, PROOF_OF_USE_DUE,
            f"Zuwendungsbescheid {row}{interim}{_proof_done(row.proof_submitted_on, row.proof_checked_on)}",
            object_url_kw("proofs:decision", decision_pk=row.pk, year=row.proof_year),
            task=not (row.proof_submitted_on or row.proof_checked_on))
    for pk, decision in decisions.items():
        if decision.proof_of_use_due and pk not in covered:
            add(decision.proof_of_use_due, PROOF_OF_USE_DUE, f"Zuwendungsbescheid {decision}",
                object_url_kw("proofs:decision", decision_pk=pk, year=decision.period_end.year), task=True)
