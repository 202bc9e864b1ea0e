"""A year-end rollover (Fortschreibung) of a county's plan, and the assumptions its scenario carries.

``Rollover`` records one rollover of fiscal year ``year`` to ``year + 1``: the scenario "Fortschreibung <Y+1>" it
made and when it became the plan. The scenario's assumptions are the appropriations to copy
(``RolloverAppropriation``) and the decisions expected for Y+1 (``ExpectedDecision`` with its ``ExpectedSlot``
rows); rollover.selectors.scenario_additions feeds them to the engine for that scenario only. The rules that
choose them are in rollover.rules.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from budgeting.models import BudgetLine, Scenario
from kimportal.concurrency import Versioned
from kimportal.fields import FTEField, MoneyField
from kimportal.models import County
from programmes.models import FundedSlot, GrantDecision, Module, Programme


class Rollover(Versioned):
    """One rollover of a county's fiscal year ``year`` to ``year + 1``."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="rollovers", verbose_name="Kreis")
    year = models.PositiveSmallIntegerField("Haushaltsjahr", validators=[MinValueValidator(2000),
                                                                         MaxValueValidator(2099)])
    scenario = models.OneToOneField(Scenario, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="rollover", verbose_name="Szenario")
    applied_at = models.DateTimeField("in den Plan übernommen am", null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="übernommen von")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Fortschreibung"
        verbose_name_plural = "Fortschreibungen"
        ordering = ["county__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="rollover_unique_year")]

    def __str__(self):
        return f"Fortschreibung {self.year} → {self.year + 1}"

    @property
    def target_year(self) -> int:
        return self.year + 1


class RolloverAppropriation(models.Model):
    """An appropriation of Y the scenario assumes for Y+1 (same budget line and amount, EUR)."""

    rollover = models.ForeignKey(Rollover, on_delete=models.CASCADE, related_name="appropriations",
                                 verbose_name="Fortschreibung")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="+",
                                    verbose_name="Haushaltsstelle")
    fiscal_year = models.PositiveSmallIntegerField("Haushaltsjahr")
    amount = MoneyField("Ansatz")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fortgeschriebener Haushaltsansatz"
        verbose_name_plural = "fortgeschriebene Haushaltsansätze"
        ordering = ["rollover", "budget_line__code"]
        constraints = [models.UniqueConstraint(fields=["rollover", "budget_line"],
                                               name="rollover_appropriation_unique_line")]

    def __str__(self):
        return f"{self.budget_line.code} {self.fiscal_year}"


class ExpectedDecision(models.Model):
    """A decision the scenario expects for Y+1 like ``source`` of Y: same slots, same annual amount (EUR)."""

    rollover = models.ForeignKey(Rollover, on_delete=models.CASCADE, related_name="decisions",
                                 verbose_name="Fortschreibung")
    source = models.ForeignKey(GrantDecision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="Bescheid des Vorjahres")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+", verbose_name="Programm")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name="Baustein")
    period_start = models.DateField("Bewilligungszeitraum von")
    period_end = models.DateField("Bewilligungszeitraum bis")
    amount = MoneyField("erwarteter Betrag", null=True, blank=True)
    note = models.TextField("Bemerkung", blank=True)
    flag = models.CharField("Hinweis", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "erwarteter Bescheid"
        verbose_name_plural = "erwartete Bescheide"
        ordering = ["rollover", "programme__name", "module__name", "pk"]

    def __str__(self):
        label = self.module.name if self.module_id else self.programme.name
        return f"{label} {self.period_start:%Y} (erwartet)"


class ExpectedSlot(models.Model):
    decision = models.ForeignKey(ExpectedDecision, on_delete=models.CASCADE, related_name="slots",
                                 verbose_name="erwarteter Bescheid")
    funded_slot = models.ForeignKey(FundedSlot, on_delete=models.CASCADE, related_name="+",
                                    verbose_name="Förderstelle")
    count = FTEField("Anzahl")
    nominal_fte = FTEField("VZÄ je Stelle")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "erwartete Förderstelle"
        verbose_name_plural = "erwartete Förderstellen"
        ordering = ["decision", "funded_slot__code"]

    def __str__(self):
        return f"{self.count} × {self.nominal_fte} VZÄ {self.funded_slot.name}"
