"""Draw-downs (Mittelabrufe) of a grant decision: requested and received, each with date and amount."""
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kimportal.concurrency import Versioned
from kimportal.fields import MoneyField
from programmes.models import GrantDecision


class Drawdown(Versioned):
    """One call of grant money from the granting authority (Mittelabruf).

    ``due_on`` is the day by which the call is to be made (the decision's or the authority's deadline,
    "abzurufen bis"); a call not requested by then is overdue on the deadlines page. Amounts in EUR.
    The rules (never beyond the decision's amount) are in drawdowns.rules.
    """

    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="drawdowns",
                                 verbose_name="Zuwendungsbescheid")
    due_on = models.DateField("abzurufen bis", null=True, blank=True,
                              help_text="Frist für den Abruf laut Bescheid oder Bewilligungsbehörde.")
    requested_on = models.DateField("angefordert am", null=True, blank=True)
    requested_amount = MoneyField("angeforderter Betrag", null=True, blank=True)
    received_on = models.DateField("eingegangen am", null=True, blank=True)
    received_amount = MoneyField("eingegangener Betrag", null=True, blank=True)
    note = models.CharField("Bemerkung", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Mittelabruf"
        verbose_name_plural = "Mittelabrufe"
        ordering = ["decision", "requested_on", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                                   name="drawdown_requested_positive",
                                   violation_error_message="Der angeforderte Betrag muss größer als 0 € sein."),
            models.CheckConstraint(condition=Q(received_amount__isnull=True) | Q(received_amount__gte=0),
                                   name="drawdown_received_not_negative",
                                   violation_error_message="Der eingegangene Betrag darf nicht negativ sein."),
        ]

    def __str__(self):
        if self.requested_on:
            return f"Mittelabruf vom {self.requested_on:%d.%m.%Y}"
        if self.received_on:
            return f"Auszahlung vom {self.received_on:%d.%m.%Y} (ohne Anforderung)"
        if self.due_on:
            return f"Mittelabruf bis {self.due_on:%d.%m.%Y}"
        return "Mittelabruf"

    @property
    def county(self):
        return self.decision.county
