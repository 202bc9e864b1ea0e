"""The focus goals (Schwerpunktziele) of the KI, as Vorlage 003 of the Rhein-Sieg-Kreis (committee of 02.03.2023).

Per field of action (Bildung, Querschnitt, KIM) the numbered goals with their
text, measures, status and due date; goals not reached by their due date and
not closed are marked overdue, by the same rule as the deadlines page
(kimportal.deadlines: a goal is a task until it is achieved or missed).
Goals carry no names of staff; the paper shows none.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Q
from django.utils import timezone

from kimportal.models import County
from kimportal.terms import county_unit_terms
from programmes.choices import GOAL_CLOSED, FieldOfAction, GoalStatus
from programmes.models import FocusGoal

from reports.registry import FISCAL_YEAR, Report, ReportParams, german_date, register

FIELD_ORDER = {value: index for index, value in enumerate(FieldOfAction.values)}
STATUS_ORDER = {value: index for index, value in enumerate(GoalStatus.values)}
BULLETS = "-–•*· "


def is_overdue(goal: FocusGoal, today: date) -> bool:
    """Not achieved or missed, and its due date has passed (kimportal.deadlines counts it the same way)."""
    return goal.status not in GOAL_CLOSED and goal.due_on < today


def measures_list(text: str) -> list[str]:
    """The measures as the list items KI staff typed, one a line, without their bullet."""
    return [line.strip().lstrip(BULLETS).strip() for line in (text or "").splitlines() if line.strip().lstrip(BULLETS)]


def goals_in_year(county: County, year: int):
    """Goals that run in the year: due in it or later, and started (if a start is recorded) by its end."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return (FocusGoal.objects.filter(county=county, due_on__gte=first)
            .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=last)))


def default_goal_year(county: County, today: date) -> int:
    """The year of the next open goal; otherwise that of the latest goal; otherwise this year."""
    goals = FocusGoal.objects.filter(county=county)
    upcoming = goals.exclude(status__in=GOAL_CLOSED).filter(due_on__gte=today).order_by("due_on").first()
    if upcoming:
        return upcoming.due_on.year
    latest = goals.order_by("-due_on").first()
    return latest.due_on.year if latest else today.year


# "Erläuterungen" as the paper starts them; {where}: "kreisangehörigen Städten und Gemeinden" (a city's
# "Stadtbezirken"), {units}: "Kommunen" (a city's "Stadtbezirke").
EXPLANATIONS = (
    "Die Hauptaufgabe des Kommunalen Integrationszentrums liegt in der Koordinierungs-, Beratungs- und "
    "Unterstützungsleistung sowie der Prozessbegleitung der Regelsysteme und aller Akteure in der "
    "Integrationsarbeit in den {where}. Aus den gemeldeten Bedarfen der "
    "{units} hat das KI die folgenden Ziele als Schwerpunkte festgelegt; die Übersicht zeigt zu jedem Ziel "
    "den Stand der Umsetzung.")


@register
class FocusGoals(Report):
    slug = "ziele"
    title = "Schwerpunktziele des Kommunalen Integrationszentrums"
    description = ("Sitzungsvorlage wie Vorlage 003: die Schwerpunktziele je Handlungsfeld (Bildung, Querschnitt, "
                   "KIM), nummeriert, mit Zieltext, Maßnahmen, Status und Fälligkeit; überfällige Ziele markiert.")
    parameters = (FISCAL_YEAR,)
    default_subject = "Schwerpunktziele des Kommunalen Integrationszentrums"
    default_preliminary_remarks = (
        "Gemäß dem Gemeinsamen Runderlass des Ministeriums für Schule und Bildung und des für Integration "
        "zuständigen Ministeriums ist das Kommunale Integrationszentrum verpflichtet, für einen Zeitraum von zwei "
        "Jahren Schwerpunkte seiner Arbeit in den Handlungsfeldern „Bildung“, „Querschnitt“ und „KIM“ festzulegen.")
    default_explanations = EXPLANATIONS.format(where="kreisangehörigen Städten und Gemeinden", units="Kommunen")

    def default_texts(self, county: County) -> dict[str, str]:
        """A kreisfreie Stadt's KI works in its Stadtbezirke (or with its Dienststellen), not in municipalities."""
        texts = super().default_texts(county)
        if county.kind != "kreis":
            terms = county_unit_terms(county)
            texts["explanations"] = EXPLANATIONS.format(where=terms.dative_plural, units=terms.plural)
        return texts

    def default_params(self, county: County) -> ReportParams:
        return ReportParams(fiscal_year=default_goal_year(county, timezone.localdate()))

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        today = timezone.localdate()
        year = params.fiscal_year or default_goal_year(county, today)
        goals = sorted(goals_in_year(county, year),
                       key=lambda goal: (FIELD_ORDER.get(goal.field_of_action, 99), goal.number, goal.due_on, goal.pk))
        fields = []
        for goal in goals:
            if not fields or fields[-1]["key"] != goal.field_of_action:
                fields.append({"key": goal.field_of_action, "name": goal.get_field_of_action_display(), "goals": []})
            overdue = is_overdue(goal, today)
            fields[-1]["goals"].append({
                "key": goal.pk,
                "number": goal.number,
                "title": goal.title,
                "text": goal.text,
                "measures": measures_list(goal.measures),
                "status": goal.get_status_display(),
                "status_key": goal.status,
                "starts": german_date(goal.starts_on),
                "due": german_date(goal.due_on),
                "overdue": overdue,
                "overdue_text": f"überfällig seit {german_date(goal.due_on)}" if overdue else "",
            })
        approvals = sorted({(goal.approved_on, goal.approved_by) for goal in goals
                            if goal.approved_on or goal.approved_by},
                           key=lambda item: (item[0] or date.min, item[1]))
        reported = sorted({goal.reported_on for goal in goals if goal.reported_on})
        statuses = Counter(goal.status for goal in goals)
        return {
            "year": str(year),
            "as_of": german_date(today),
            "fields": fields,
            "count": len(goals),
            "overdue": sum(1 for goal in goals if is_overdue(goal, today)),
            "statuses": [{"label": GoalStatus(status).label, "count": count}
                         for status, count in sorted(statuses.items(), key=lambda item: STATUS_ORDER.get(item[0], 99))],
            "approvals": [self._approval_text(day, by) for day, by in approvals],
            "reported": [german_date(day) for day in reported],
        }

    @staticmethod
    def _approval_text(day: date | None, by: str) -> str:
        text = "Zustimmung"
        if by:
            text += f" der Ministerien {by}" if "," in by else f" durch {by}"
        if day:
            text += f" mit Rückmeldung vom {german_date(day)}"
        return text

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        figures = []
        for field in data["fields"]:
            for goal in field["goals"]:
                value = f"{goal['status']}, fällig am {goal['due']}" + (", überfällig" if goal["overdue"] else "")
                figures.append((f"goal:{goal['key']}", f"Ziel {goal['number']}. {goal['title']}", value))
        figures.append(("overdue", "Überfällige Ziele", str(data["overdue"])))
        return figures
