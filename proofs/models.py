"""Proofs of use (Verwendungsnachweis) and the pass-through recipients' proofs.

A ProofOfUse is the county's proof to the granting authority for one grant decision and fiscal year (an interim
proof, Zwischennachweis, while the decision runs on; the final one for its last year), or for a coverage source such
as the Integrationspauschale (due 31.03.2023). It keeps what the numbers cannot: the factual report (Sachbericht),
the due date where the decision names none, and the status: due, submitted (date), checked (date). The numerical
statement itself is computed (proofs.selectors), never stored. A RecipientProof is a pass-through recipient's own
proof to the county (Nr. 12 VV zu § 44 LHO): received and checked, with the amount the recipient used.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from budgeting.models import CoverageSource
from kimportal.concurrency import Versioned
from kimportal.fields import MoneyField
from kimportal.models import County
from kimportal.money import format_money_exact
from programmes.models import GrantDecision, PassThrough


class ProofOfUse(Versioned):
    """The county's proof of use for a grant decision and fiscal year, or for a coverage source (``fiscal_year``
    empty then). Status: checked once ``checked_on`` is set, submitted once ``submitted_on`` is, else due."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="proofs_of_use", verbose_name="Kreis")
    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="proofs_of_use", verbose_name="Zuwendungsbescheid")
    coverage_source = models.ForeignKey(CoverageSource, on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="proofs_of_use", verbose_name="Deckungsmittel")
    fiscal_year = models.PositiveSmallIntegerField("Haushaltsjahr", null=True, blank=True)
    due_on = models.DateField(
        "fällig am", null=True, blank=True,
        help_text="Leer: die Frist aus dem Bescheid („Verwendungsnachweis fällig“). Üblich sind sechs Monate nach dem "
                  "Ende des Bewilligungszeitraums, für einen Zwischennachweis vier Monate nach dem Haushaltsjahr "
                  "(ANBest-P Nr. 6.1); maßgeblich ist der Bescheid.")
    submitted_on = models.DateField("eingereicht am", null=True, blank=True)
    checked_on = models.DateField("geprüft am", null=True, blank=True)
    checked_by = models.CharField("geprüft durch", max_length=200, blank=True,
                                  help_text="z. B. Bezirksregierung Arnsberg, Dezernat 36")
    factual_report = models.TextField(
        "Sachbericht", blank=True,
        help_text="Verwendung der Zuwendung und erzieltes Ergebnis; erscheint im Verwendungsnachweis (PDF).")
    note = models.TextField("Bemerkung", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Verwendungsnachweis"
        verbose_name_plural = "Verwendungsnachweise"
        ordering = ["county__name", "fiscal_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(decision__isnull=False, coverage_source__isnull=True, fiscal_year__isnull=False)
                           | Q(decision__isnull=True, coverage_source__isnull=False)),
                name="proof_of_use_decision_or_source",
                violation_error_message="Ein Verwendungsnachweis gehört zu einem Zuwendungsbescheid und Haushaltsjahr "
                                        "oder zu Deckungsmitteln."),
            models.UniqueConstraint(fields=["decision", "fiscal_year"], condition=Q(decision__isnull=False),
                                    name="proof_of_use_unique_decision_year",
                                    violation_error_message="Für diesen Bescheid und dieses Jahr gibt es den "
                                                            "Verwendungsnachweis schon."),
            models.UniqueConstraint(fields=["coverage_source"], condition=Q(coverage_source__isnull=False),
                                    name="proof_of_use_unique_source",
                                    violation_error_message="Für diese Deckungsmittel gibt es den Verwendungsnachweis "
                                                            "schon."),
            models.CheckConstraint(condition=Q(checked_on__isnull=True) | Q(submitted_on__isnull=False),
                                   name="proof_of_use_checked_after_submitted",
                                   violation_error_message="Geprüft werden kann nur ein eingereichter Nachweis."),
        ]

    def __str__(self):
        if self.coverage_source_id:
            return f"Verwendungsnachweis {self.coverage_source}"
        return f"Verwendungsnachweis {self.decision} ({self.fiscal_year})"

    @property
    def deadline(self) -> date | None:
        """The day the proof is due: its own date, else the decision's or the coverage source's."""
        if self.due_on:
            return self.due_on
        owner = self.decision if self.decision_id else self.coverage_source
        return owner.proof_of_use_due if owner is not None else None

    def status(self, today: date) -> str:
        """German status: "geprüft am …", "eingereicht am …", "überfällig seit …", "fällig am …" or "offen"."""
        return proof_status(self.deadline, self.submitted_on, self.checked_on, today)

    def clean(self):
        errors = {}
        if self.checked_on and not self.submitted_on:
            errors["checked_on"] = "Geprüft werden kann nur ein eingereichter Nachweis; bitte „eingereicht am“ angeben."
        if self.checked_on and self.submitted_on and self.checked_on < self.submitted_on:
            errors["checked_on"] = "Die Prüfung kann nicht vor der Einreichung liegen."
        today = date.today()
        for name in ("submitted_on", "checked_on"):
            value = getattr(self, name)
            if value and value > today:
                errors[name] = f"Der {value:%d.%m.%Y} liegt in der Zukunft."
        if self.decision_id and self.county_id and self.decision.county_id != self.county_id:
            errors["decision"] = "Der Bescheid gehört zu einem anderen Kreis."
        if self.coverage_source_id and self.county_id and self.coverage_source.county_id != self.county_id:
            errors["coverage_source"] = "Die Deckungsmittel gehören zu einem anderen Kreis."
        if self.decision_id and self.fiscal_year and not (
                self.decision.period_start.year <= self.fiscal_year <= self.decision.period_end.year):
            errors["fiscal_year"] = (f"Der Bewilligungszeitraum ({self.decision.period_start:%d.%m.%Y}–"
                                     f"{self.decision.period_end:%d.%m.%Y}) berührt das Jahr {self.fiscal_year} nicht.")
        if errors:
            raise ValidationError(errors)


def usual_deadline(period_end: date, final: bool) -> date:
    """The usual deadline where the decision names none (ANBest-P Nr. 6.1, which decisions to municipalities follow):
    a final proof by the end of the sixth month after the period, an interim one four months after the fiscal year
    (30.04.). ``period_end``: the last day of the grant period, or of the fiscal year for an interim proof."""
    if not final:
        return date(period_end.year + 1, 4, 30)
    month = period_end.month + 6
    year, month = period_end.year + (month - 1) // 12, (month - 1) % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def proof_status(deadline: date | None, submitted_on: date | None, checked_on: date | None, today: date) -> str:
    """The status of a proof of use as the pages say it (German)."""
    if checked_on:
        return f"geprüft am {checked_on:%d.%m.%Y}"
    if submitted_on:
        return f"eingereicht am {submitted_on:%d.%m.%Y}"
    if deadline and deadline < today:
        return f"überfällig seit {deadline:%d.%m.%Y}"
    if deadline:
        return f"fällig am {deadline:%d.%m.%Y}"
    return "offen (keine Frist erfasst)"


class RecipientProof(Versioned):
    """A pass-through recipient's own proof of use to the county (or, on the second level, to the first recipient):
    the day it came in, the day it was checked and the amount (EUR) the recipient used of what was passed on."""

    pass_through = models.OneToOneField(PassThrough, on_delete=models.CASCADE, related_name="recipient_proof",
                                        verbose_name="Weiterleitung")
    received_on = models.DateField("eingegangen am", null=True, blank=True)
    checked_on = models.DateField("geprüft am", null=True, blank=True)
    used = MoneyField("verwendeter Betrag", null=True, blank=True,
                      help_text="Laut Nachweis des Empfängers verwendet; der Rest ist an den Kreis zurückzuzahlen.")
    note = models.CharField("Bemerkung", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Verwendungsnachweis des Empfängers"
        verbose_name_plural = "Verwendungsnachweise der Empfänger"
        constraints = [
            models.CheckConstraint(condition=Q(used__isnull=True) | Q(used__gte=0), name="recipient_proof_used_not_negative",
                                   violation_error_message="Der verwendete Betrag darf nicht negativ sein."),
            models.CheckConstraint(condition=Q(checked_on__isnull=True) | Q(received_on__isnull=False),
                                   name="recipient_proof_checked_after_received",
                                   violation_error_message="Geprüft werden kann nur ein eingegangener Nachweis."),
        ]

    def __str__(self):
        return f"Verwendungsnachweis {self.pass_through.recipient}"

    def clean(self):
        errors = {}
        if self.checked_on and not self.received_on:
            errors["checked_on"] = "Geprüft werden kann nur ein eingegangener Nachweis; bitte „eingegangen am“ angeben."
        if self.checked_on and self.received_on and self.checked_on < self.received_on:
            errors["checked_on"] = "Die Prüfung kann nicht vor dem Eingang liegen."
        amount = self.pass_through.amount if self.pass_through_id else None
        if self.used is not None and amount is not None and self.used > amount:
            errors["used"] = f"Verwendet werden können höchstens die weitergeleiteten {format_money_exact(amount)}."
        today = date.today()
        for name in ("received_on", "checked_on"):
            value = getattr(self, name)
            if value and value > today:
                errors[name] = f"Der {value:%d.%m.%Y} liegt in der Zukunft."
        if errors:
            raise ValidationError(errors)
