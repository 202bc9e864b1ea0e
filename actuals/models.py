"""Actual costs (Ist) per position, month and cost type, and the imports that brought them.

An actual cost is what a position really cost in a month, from payroll or the budget system (HKR): one figure
per position, month and cost type, which a later import or an entry by hand replaces, never adds to. Each import
is an ImportBatch; its ImportedRows keep the value each row replaced, so the batch can be undone as a whole.
Actuals never move the plan (budgeting): the forecast (issue 12, part 2) reads them through
actuals.selectors.actuals_by_position_month.
"""
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kimportal.concurrency import Versioned
from kimportal.fields import MoneyField
from kimportal.models import County
from programmes.choices import CostType
from staffing.models import Position


class ImportBatch(models.Model):
    """One import of a file: who, when, which file, how many rows, the totals per month; undone as a whole.

    ``totals``: {"2022-01": "12345.67", …}, the file's amounts per month (all cost types), as strings so the
    JSON keeps them exact.
    """

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="actual_imports", verbose_name="Kreis")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="eingelesen von")
    created_at = models.DateTimeField("eingelesen am", default=timezone.now)
    file_name = models.CharField("Datei", max_length=255)
    rows = models.PositiveIntegerField("Zeilen")
    totals = models.JSONField("Summen je Monat", default=dict, blank=True)
    undone_at = models.DateTimeField("rückgängig gemacht am", null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name="rückgängig gemacht von")
    # Who, where no user of the application did it: "Kommandozeile (kim)" for manage.py without --user,
    # "Demodaten (load_demo)"; empty where ``user`` / ``undone_by`` says it.
    origin = models.CharField("eingelesen über", max_length=150, blank=True)
    undone_origin = models.CharField("rückgängig gemacht über", max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Import von Ist-Kosten"
        verbose_name_plural = "Importe von Ist-Kosten"
        ordering = ["county__name", "-created_at", "-pk"]

    def __str__(self):
        return f"Import Nr. {self.pk} ({self.file_name})"

    @property
    def imported_by(self) -> str:
        """Who imported it, as the pages name them: the user's name, else the origin ("Kommandozeile (kim)")."""
        return _who(self.user, self.origin)

    @property
    def undone_by_name(self) -> str:
        """Who undid it (empty while it is valid)."""
        return _who(self.undone_by, self.undone_origin) if self.undone_at else ""

    def totals_by_month(self) -> list[tuple[date, Decimal]]:
        """The stored totals as (first day of month, euros), oldest month first."""
        return sorted((date.fromisoformat(f"{key}-01"), Decimal(value)) for key, value in self.totals.items())

    @property
    def total(self) -> Decimal:
        return sum((value for _, value in self.totals_by_month()), Decimal("0"))


def _who(user, origin: str) -> str:
    if user is not None:
        return user.get_full_name() or user.username
    return origin or "System"


class ActualCostQuerySet(models.QuerySet):
    def for_table(self):
        return self.select_related("position", "batch", "entered_by")


class ActualCost(models.Model):
    """What ``position`` cost in ``month`` (its first day) for ``cost_type``, in euros.

    ``batch``: the import that set the figure; empty for an entry by hand. ``county`` is the position's county,
    kept on the row so every read and the audit page are scoped without a join.
    """

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="actual_costs", verbose_name="Kreis")
    # A position with actual costs is not deleted (the proof of use needs them): it ends instead.
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="actual_costs",
                                 verbose_name="Stelle")
    month = models.DateField("Monat", help_text="der Erste des Monats")
    cost_type = models.CharField("Kostenart", max_length=20, choices=CostType.choices)
    amount = MoneyField("Betrag")
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="actual_costs", verbose_name="Import")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="erfasst von")
    entered_at = models.DateTimeField("erfasst am", default=timezone.now)

    objects = ActualCostQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Ist-Kosten"
        verbose_name_plural = "Ist-Kosten"
        ordering = ["county__name", "position__title", "month", "cost_type"]
        constraints = [
            models.UniqueConstraint(fields=["position", "month", "cost_type"], name="actual_cost_unique_month",
                                    violation_error_message="Für diese Stelle, diesen Monat und diese Kostenart "
                                                            "gibt es schon einen Betrag."),
            models.CheckConstraint(condition=Q(amount__gte=0), name="actual_cost_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
            models.CheckConstraint(condition=Q(month__day=1), name="actual_cost_first_of_month",
                                   violation_error_message="Der Monat wird mit seinem ersten Tag gespeichert."),
        ]

    def __str__(self):
        return f"{self.position.title}, {self.month:%m.%Y}, {self.get_cost_type_display()}" if self.position_id else ""

    def clean(self):
        if self.position_id and self.county_id and self.position.county_id != self.county_id:
            raise ValidationError({"position": "Diese Stelle gehört zu einem anderen Kreis."})
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Der Monat wird mit seinem ersten Tag gespeichert."})


class ImportedRow(models.Model):
    """A row of an import and what it replaced: ``previous_amount`` empty means there was no figure before.

    Undoing the batch restores ``previous_*`` (or removes the figure); rows are never changed after the import.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="lines", verbose_name="Import")
    line = models.PositiveIntegerField("Zeile der Datei")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="+", verbose_name="Stelle")
    month = models.DateField("Monat")
    cost_type = models.CharField("Kostenart", max_length=20, choices=CostType.choices)
    amount = MoneyField("Betrag")
    previous_amount = MoneyField("vorher", null=True, blank=True)
    previous_batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name="vorher aus Import")
    previous_entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+", verbose_name="vorher erfasst von")
    previous_entered_at = models.DateTimeField("vorher erfasst am", null=True, blank=True)

    class Meta:
        verbose_name = "Zeile eines Imports"
        verbose_name_plural = "Zeilen eines Imports"
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position", "month", "cost_type"],
                                    name="imported_row_unique_month"),
        ]

    def __str__(self):
        return f"Zeile {self.line}"

    @property
    def replaced(self) -> bool:
        return self.previous_amount is not None and self.previous_amount != self.amount


class Vacancy(Versioned):
    """A time a position was (or will be) vacant: from ``start_on`` to ``end_on`` (inclusive, empty: still vacant).

    Flat-rate grants fund filled posts only: the forecast and the proof of use lose the post's flat rates for
    these days, pro rata for part months (budgeting.engine_forecast; DOMAIN.md "Vacancies cost grant"). The plan
    never changes. Recorded per position in the browser (actuals.vacancy_views), optimistic-locked (``version``).
    """

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="vacancies", verbose_name="Kreis")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="vacancies", verbose_name="Stelle")
    start_on = models.DateField("unbesetzt ab")
    end_on = models.DateField("unbesetzt bis", null=True, blank=True, help_text="leer: noch unbesetzt")
    note = models.CharField("Grund / Bemerkung", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Vakanz"
        verbose_name_plural = "Vakanzen"
        ordering = ["county__name", "position__title", "start_on"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                   name="vacancy_end_after_start",
                                   violation_error_message="„unbesetzt bis“ darf nicht vor „unbesetzt ab“ liegen."),
        ]

    def __str__(self):
        until = f"{self.end_on:%d.%m.%Y}" if self.end_on else "offen"
        return f"{self.position.title}: unbesetzt {self.start_on:%d.%m.%Y}–{until}" if self.position_id else "Vakanz"

    def clean(self):
        """Refuse (ValidationError, German) another county's position, an end before the start, a start outside the
        position's term, and an overlap with another vacancy of the same position."""
        if self.position_id and self.county_id and self.position.county_id != self.county_id:
            raise ValidationError({"position": "Die Stelle gehört zu einem anderen Kreis."})
        if self.end_on and self.start_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": "„unbesetzt bis“ darf nicht vor „unbesetzt ab“ liegen."})
        if self.position_id and self.start_on:
            self._check_term()
            others = Vacancy.objects.filter(position_id=self.position_id).exclude(pk=self.pk)
            for other in others:
                if other.start_on <= (self.end_on or date.max) and self.start_on <= (other.end_on or date.max):
                    raise ValidationError("Für diese Stelle ist in diesem Zeitraum schon eine Vakanz erfasst "
                                          f"({other.start_on:%d.%m.%Y}–"
                                          f"{other.end_on.strftime('%d.%m.%Y') if other.end_on else 'offen'}).")

    def _check_term(self):
        """A vacancy lies in the position's term: it starts neither before the position nor after its end.

        A vacancy may run past the position's end; the forecast counts only the days the position exists
        (budgeting.engine_forecast._vacant_share)."""
        position = self.position
        ends = position.end_on
        if self.start_on >= position.start_on and (ends is None or self.start_on <= ends):
            return
        term = (f"vom {position.start_on:%d.%m.%Y} bis {ends:%d.%m.%Y}" if ends
                else f"ab dem {position.start_on:%d.%m.%Y} (ohne Ende)")
        raise ValidationError({"start_on": f"Die Vakanz muss in der Laufzeit der Stelle liegen: Die Stelle läuft "
                                           f"{term}."})
