"""Choices of the provisions app: the kind of spending a value limit applies to (values from provisions.rules)."""
from django.db import models

from provisions import rules


class SpendingKind(models.TextChoices):
    """The kinds a stage applies to; budget statutes set different limits for voluntary and mandatory spending."""

    VOLUNTARY = rules.VOLUNTARY, "freiwillig"
    MANDATORY = rules.MANDATORY, "pflichtig"
    ALL = rules.ALL, "freiwillig und pflichtig"


class ProgrammeKind(models.TextChoices):
    """The kind of a programme's spending: one or the other, never both."""

    VOLUNTARY = rules.VOLUNTARY, "freiwillig"
    MANDATORY = rules.MANDATORY, "pflichtig"


# Suggestions for the deciding body; the field takes any text, as statutes name their own bodies.
BODY_SUGGESTIONS = (
    "Kämmerer/in",
    "Fachbereich Finanzen / Kämmerei",
    "Landrat / Landrätin",
    "Bürgermeister/in",
    "Kreisausschuss",
    "Kreistag",
    "Kreistag / Kreisausschuss",
    "Hauptausschuss",
    "Rat",
    "Städteregionstag",
)
