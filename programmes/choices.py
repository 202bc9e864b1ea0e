from django.db import models


class RateKind(models.TextChoices):
    PER_WORKPLACE = "per_workplace", "je Arbeitsplatz / VZÄ"
    PER_SLOT = "per_slot", "je Förderstelle"
    LUMP_SUM = "lump_sum", "Jahrespauschale"
    FIXED_CAPPED = "fixed_capped", "Festbetrag bis zu (Deckel)"


class CostType(models.TextChoices):
    PERSONNEL = "personnel", "Personalkosten"
    MATERIAL = "material", "Sachkosten"
    EVENTS = "events", "Veranstaltungen"
    MEASURES = "measures", "Maßnahmen"


class SlotBasis(models.TextChoices):
    PER_FTE = "per_fte", "je VZÄ (× Stellenanteil)"
    PER_SLOT = "per_slot", "je Förderstelle (unabhängig vom Stellenanteil)"


class StepKind(models.TextChoices):
    GUIDELINE = "guideline", "Förderrichtlinie / Grundsatzgenehmigung"
    APPROVAL_IN_PRINCIPLE = "approval_in_principle", "Grundsatzzustimmung Ministerium"
    APPLIED = "applied", "Antrag gestellt"
    CONCEPT_REQUESTED = "concept_requested", "Konzept angefordert"
    CONCEPT_SUBMITTED = "concept_submitted", "Konzept nachgereicht"
    DECISION = "decision", "Zuwendungsbescheid"
    PROOF_OF_USE = "proof_of_use", "Verwendungsnachweis"
    OTHER = "other", "Sonstiges"


class FieldOfAction(models.TextChoices):
    EDUCATION = "bildung", "Bildung"
    CROSS_SECTION = "querschnitt", "Querschnitt"
    KIM = "kim", "KIM"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", "geplant"
    IN_PROGRESS = "in_progress", "in Umsetzung"
    ACHIEVED = "achieved", "erreicht"
    MISSED = "missed", "nicht erreicht"


# A goal in one of these states is settled: it is never overdue (deadlines page, focus-goal paper).
GOAL_CLOSED = frozenset({GoalStatus.ACHIEVED, GoalStatus.MISSED})
