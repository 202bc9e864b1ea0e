"""The status of the county's applications, as Vorlage 004 of the Rhein-Kreis Neuss (Sozialausschuss, 12.11.2021).

Each application with its programme and module, its dated steps as a timeline
("Antrag gestellt am 22.12.2020", "Konzept nachgereicht am 30.08.2021"), the
grant decisions that answered it (date, period, amount, slots, pass-throughs)
and what is still outstanding; grant decisions that came without an
application (e.g. the "fachbezogene Pauschale" of KIM Baustein 2) follow in a
table of their own. An open step is overdue once its due date has passed, by
the same rule as the deadlines page (kimportal.deadlines). Amounts a decision
does not state are shown as not recorded, never estimated.
"""
from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from kimportal.models import County
from kimportal.money import format_fte, format_money
from programmes.choices import StepKind
from programmes.models import Application, ApplicationStep, GrantDecision, GrantedSlot, PassThrough

from reports.papers.common import decision_date_short, decision_date_text
from reports.registry import Report, ReportParams, german_date, register

NOT_RECORDED = "Betrag laut Bescheid nicht erfasst"

# A step that happened: "<text> <date>"; one still open: "<text> <date>" with its due date.
DONE = {
    StepKind.GUIDELINE: "Förderrichtlinie / Grundsatzgenehmigung vom",
    StepKind.APPROVAL_IN_PRINCIPLE: "Grundsatzzustimmung des Ministeriums am",
    StepKind.APPLIED: "Antrag gestellt am",
    StepKind.CONCEPT_REQUESTED: "Konzept angefordert am",
    StepKind.CONCEPT_SUBMITTED: "Konzept nachgereicht am",
    StepKind.DECISION: "Zuwendungsbescheid vom",
    StepKind.PROOF_OF_USE: "Verwendungsnachweis vorgelegt am",
}
OPEN = {
    StepKind.GUIDELINE: "Förderrichtlinie / Grundsatzgenehmigung erwartet bis",
    StepKind.APPROVAL_IN_PRINCIPLE: "Grundsatzzustimmung des Ministeriums erwartet bis",
    StepKind.APPLIED: "Antrag zu stellen bis",
    StepKind.CONCEPT_REQUESTED: "Anforderung eines Konzepts erwartet bis",
    StepKind.CONCEPT_SUBMITTED: "Konzept nachzureichen bis",
    StepKind.DECISION: "Zuwendungsbescheid erwartet bis",
    StepKind.PROOF_OF_USE: "Verwendungsnachweis fällig am",
}


def step_text(step: ApplicationStep) -> str:
    if step.occurred_on:
        prefix = DONE.get(step.kind) or f"{step.get_kind_display()} am"
        return f"{prefix} {german_date(step.occurred_on)}"
    prefix = OPEN.get(step.kind) or f"{step.get_kind_display()} fällig am"
    return f"{prefix} {german_date(step.due_on)}"


def decision_data(decision: GrantDecision) -> dict:
    """A grant decision as the paper prints it; a missing amount says so."""
    slots = [f"{format_fte(slot.count)} × {format_fte(slot.nominal_fte)} VZÄ {slot.funded_slot.name}"
             for slot in decision.slots.all()]
    passes = []
    for passing in decision.pass_throughs.all():
        amount = format_money(passing.amount) if passing.amount is not None else "Betrag nicht erfasst"
        via = f" über {passing.parent.recipient.name}" if passing.parent_id else ""
        passes.append({"recipient": passing.recipient.name, "amount": passing.amount,
                       "text": f"Weiterleitung an {passing.recipient.name}{via}: {amount}"})
    return {
        "key": decision.pk,
        "programme": decision.programme.name,
        "module": decision.module.name if decision.module_id else "",
        "label": decision.module.name if decision.module_id else decision.programme.name,
        "date_text": decision_date_text(decision),
        "date_short": decision_date_short(decision),
        "authority": decision.authority,
        "reference": decision.reference,
        "period": f"{german_date(decision.period_start)} – {german_date(decision.period_end)}",
        "amount": decision.amount,
        "amount_text": format_money(decision.amount) if decision.amount is not None else NOT_RECORDED,
        "slots": slots,
        "pass_throughs": passes,
        "proof_of_use_due": german_date(decision.proof_of_use_due),
    }


def outstanding_items(application: Application | None, decisions: list[GrantDecision], steps: list[ApplicationStep],
                      today: date) -> list[dict]:
    """What is still to come: open steps, a missing decision, proofs of use, pass-through contracts."""
    items = []

    def add(text, due=None, *, task=True):
        items.append({"text": text, "due": german_date(due), "overdue": bool(task and due and due < today),
                      "sort": due or date.max})

    for step in steps:
        if not step.occurred_on and step.due_on:
            add(step_text(step), step.due_on)
    if application is not None and not decisions:
        if not any(step.kind == StepKind.DECISION for step in steps):
            add("Zuwendungsbescheid liegt noch nicht vor")
    proof_done = any(step.kind == StepKind.PROOF_OF_USE and step.occurred_on for step in steps)
    for decision in decisions:
        if decision.proof_of_use_due and not proof_done:
            add(f"Verwendungsnachweis zum {decision_date_text(decision)} fällig am "
                f"{german_date(decision.proof_of_use_due)}", decision.proof_of_use_due)
        for passing in decision.pass_throughs.all():
            if not passing.contract_signed_on:
                add(f"Weiterleitungsvertrag mit {passing.recipient.name}: kein Datum erfasst", task=False)
            if passing.proof_of_use_due:
                checker = f" (prüft {passing.parent.recipient.name})" if passing.parent_id else ""
                add(f"Verwendungsnachweis {passing.recipient.name} fällig am {german_date(passing.proof_of_use_due)}"
                    f"{checker}", passing.proof_of_use_due)
    items.sort(key=lambda item: item["sort"])
    for item in items:
        del item["sort"]
    return items


def decisions_queryset(county: County):
    return (GrantDecision.objects.filter(county=county).select_related("programme", "module")
            .prefetch_related(
                Prefetch("slots", queryset=GrantedSlot.objects.select_related("funded_slot").order_by("pk")),
                Prefetch("pass_throughs", queryset=PassThrough.objects
                         .select_related("recipient", "parent__recipient").order_by("recipient__name", "pk")))
            .order_by("programme__name", "module__position", "module__name", "period_start", "pk"))


@register
class ApplicationStatus(Report):
    slug = "antraege"
    title = "Stand der Förderanträge und Zuwendungsbescheide"
    description = ("Sitzungsvorlage wie Vorlage 004: jeder Antrag mit Programm und Baustein, seinen Schritten mit "
                   "Datum, dem Zuwendungsbescheid (Datum, Zeitraum, Betrag) und dem, was noch aussteht oder "
                   "überfällig ist; dazu die Bescheide ohne eigenen Antrag.")
    parameters = ()
    default_subject = "Stand der Förderanträge und Zuwendungsbescheide"
    default_preliminary_remarks = (
        "Auf die bisherige Berichterstattung im Ausschuss wird Bezug genommen. Die Förderprogramme des Landes "
        "werden in mehreren Schritten beantragt: Nach Veröffentlichung der Förderrichtlinie stellt der Kreis den "
        "Antrag bei der Bewilligungsbehörde, reicht auf Anforderung ein Konzept nach und erhält den "
        "Zuwendungsbescheid; nach Ablauf des Bewilligungszeitraums folgt der Verwendungsnachweis.")
    default_explanations = (
        "Die Verwaltung stellt im Folgenden für jeden Antrag die bisherigen Verfahrensschritte, die vorliegenden "
        "Zuwendungsbescheide und die noch ausstehenden Schritte dar. Beträge, die ein Bescheid nicht nennt oder "
        "die noch nicht erfasst sind, werden als solche ausgewiesen.")

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        today = timezone.localdate()
        decisions = list(decisions_queryset(county))
        by_application: dict = {}
        for decision in decisions:
            by_application.setdefault(decision.application_id, []).append(decision)
        applications = (Application.objects.filter(county=county).select_related("programme", "module")
                        .prefetch_related("steps").order_by("programme__name", "module__position", "title", "pk"))
        rows = []
        for application in applications:
            steps = list(application.steps.all())  # ordered by date, open ones last (ApplicationStep.Meta)
            answered = by_application.get(application.pk, [])
            outstanding = outstanding_items(application, answered, steps, today)
            rows.append({
                "key": application.pk,
                "title": application.title,
                "programme": application.programme.name,
                "module": application.module.name if application.module_id else "",
                "reference": application.reference,
                "note": application.note,
                "steps": [{
                    "key": step.pk,
                    "text": step_text(step),
                    "note": step.note,
                    "done": bool(step.occurred_on),
                    "overdue": bool(not step.occurred_on and step.due_on and step.due_on < today),
                } for step in steps],
                "decisions": [decision_data(decision) for decision in answered],
                "outstanding": outstanding,
                "overdue": sum(1 for item in outstanding if item["overdue"]),
                "status": self._status(steps, answered, outstanding),
            })
        others = []
        for decision in by_application.get(None, []):
            data = decision_data(decision)
            data["outstanding"] = outstanding_items(None, [decision], [], today)
            others.append(data)
        return {
            "as_of": german_date(today),
            "applications": rows,
            "other_decisions": others,
            "overdue": sum(row["overdue"] for row in rows)
                       + sum(1 for other in others for item in other["outstanding"] if item["overdue"]),
        }

    @staticmethod
    def _status(steps, decisions, outstanding) -> str:
        done = {step.kind for step in steps if step.occurred_on}
        if decisions or StepKind.DECISION in done:
            status = "beschieden"
        elif StepKind.APPLIED in done:
            status = "beantragt, Bescheid ausstehend"
        else:
            status = "in Vorbereitung"
        overdue = sum(1 for item in outstanding if item["overdue"])
        if overdue:
            status += f"; {overdue} Schritt{'e' if overdue > 1 else ''} überfällig"
        return status

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        figures = []
        for row in data["applications"]:
            figures.append((f"application:{row['key']}", f"Antrag {row['title']}", row["status"]))
            for step in row["steps"]:
                figures.append((f"step:{step['key']}", f"{row['title']}: Schritt",
                                step["text"] + (", überfällig" if step["overdue"] else "")))
            for decision in row["decisions"]:
                figures.append((f"decision:{decision['key']}", f"{row['title']}: {decision['date_text']}",
                                decision["amount_text"]))
        for decision in data["other_decisions"]:
            figures.append((f"decision:{decision['key']}", f"{decision['label']}: {decision['date_text']}",
                            decision["amount_text"]))
        return figures
