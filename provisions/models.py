"""A county's value limits for unplanned provisions (§ 83 GO NRW) and the kind of each programme's spending.

The budget statute (Haushaltssatzung) of each county sets in stages who decides an unplanned provision
(überplanmäßige Bereitstellung): up to an amount, inclusive, one body; above the last amount the council.
Statutes differ, and many set other limits for voluntary than for mandatory spending (DOMAIN.md, "Rules
real counties need"). The rules themselves live in provisions.rules; these models keep what a county
recorded. Until 2025 a county had one amount (County.council_threshold); migration 0002 turned it into
stages.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from kimportal.concurrency import Versioned
from kimportal.fields import MoneyField
from kimportal.models import County
from programmes.models import Programme

from . import rules
from .choices import ProgrammeKind, SpendingKind


class ProvisionStatuteManager(models.Manager):
    def get_by_natural_key(self, county_slug):
        return self.get(county__slug=county_slug)


class ProvisionStatute(Versioned):
    """A county's value limits as its budget statute sets them: the stages, their source, a note."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, related_name="provision_statute",
                                  verbose_name="Kreis")
    source = models.CharField(
        "Rechtsgrundlage", max_length=200, blank=True,
        help_text="Wo die Wertgrenzen stehen, z. B. „§ 7 Haushaltssatzung 2022“.")
    note = models.TextField("Anmerkung", blank=True)

    objects = ProvisionStatuteManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Wertgrenzen für überplanmäßige Bereitstellungen"
        verbose_name_plural = "Wertgrenzen für überplanmäßige Bereitstellungen"
        ordering = ["county__name"]

    def __str__(self):
        return f"Wertgrenzen {self.county}"

    def natural_key(self):
        return (self.county.slug,)

    natural_key.dependencies = ["kimportal.county"]

    def rule_stages(self) -> tuple[rules.Stage, ...]:
        return tuple(stage.as_rule() for stage in self.stages.all())


class ProvisionStageManager(models.Manager):
    def get_by_natural_key(self, county_slug, spending_kind, upper_limit):
        return self.get(statute__county__slug=county_slug, spending_kind=spending_kind, upper_limit=upper_limit)


class ProvisionStage(models.Model):
    """Up to ``upper_limit`` euros (inclusive; empty: every amount above) ``body`` decides on spending of a kind."""

    statute = models.ForeignKey(ProvisionStatute, on_delete=models.CASCADE, related_name="stages",
                                verbose_name="Wertgrenzen")
    spending_kind = models.CharField("Art der Aufwendungen", max_length=20, choices=SpendingKind.choices,
                                     default=SpendingKind.ALL)
    upper_limit = MoneyField(
        "bis einschließlich", null=True, blank=True,
        help_text="Obergrenze der Stufe in Euro, einschließlich. Leer: die letzte Stufe, alle Beträge darüber.")
    body = models.CharField("entscheidet", max_length=120,
                            help_text="z. B. Kämmerer/in, Landrat / Landrätin, Kreisausschuss, Kreistag, Rat")
    label = models.CharField("Bezeichnung in der Satzung", max_length=120, blank=True,
                             help_text="z. B. „unerheblich“")

    objects = ProvisionStageManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Stufe"
        verbose_name_plural = "Stufen"
        ordering = ["statute", "spending_kind", F("upper_limit").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["statute", "spending_kind", "upper_limit"],
                                    name="provisionstage_unique_limit",
                                    violation_error_message="Diese Obergrenze ist für diese Art schon erfasst."),
            models.UniqueConstraint(fields=["statute", "spending_kind"], condition=Q(upper_limit__isnull=True),
                                    name="provisionstage_one_open_stage",
                                    violation_error_message="Es gibt für diese Art schon eine Stufe ohne "
                                                            "Obergrenze."),
            models.CheckConstraint(condition=Q(upper_limit__isnull=True) | Q(upper_limit__gt=0),
                                   name="provisionstage_limit_positive",
                                   violation_error_message="Die Obergrenze einer Stufe muss über 0 € liegen."),
        ]

    def __str__(self):
        limit = ("ohne Obergrenze" if self.upper_limit is None
                 else f"bis einschließlich {rules.limit_text(self.upper_limit)}")
        return f"{limit} ({rules.KIND_LABELS.get(self.spending_kind, self.spending_kind)}): {self.body}"

    def natural_key(self):
        return (self.statute.county.slug, self.spending_kind, self.upper_limit)

    natural_key.dependencies = ["provisions.provisionstatute"]

    def as_rule(self) -> rules.Stage:
        return rules.Stage(self.spending_kind, self.upper_limit, self.body, self.label)


class ProgrammeSpendingKindManager(models.Manager):
    def get_by_natural_key(self, county_slug, programme_code):
        return self.get(county__slug=county_slug, programme__code=programme_code)


class ProgrammeSpendingKind(models.Model):
    """Whether a county's spending in a programme is voluntary or mandatory, for the value limits.

    Kept here, per county, and not on the programme: the Land's programmes are shared, and whether
    spending is mandatory depends on the county's tasks (e.g. KIM, anchored in law from 2022). A
    programme without an entry counts as voluntary — the stricter limits where a statute has two.
    """

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="programme_spending_kinds",
                               verbose_name="Kreis")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="spending_kinds",
                                  verbose_name="Förderprogramm")
    spending_kind = models.CharField("Art der Aufwendungen", max_length=20, choices=ProgrammeKind.choices,
                                     default=ProgrammeKind.VOLUNTARY)
    reason = models.CharField("Begründung", max_length=300, blank=True,
                              help_text="z. B. „gesetzliche Aufgabe nach dem TIntG NRW“")

    objects = ProgrammeSpendingKindManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Art der Aufwendungen je Programm"
        verbose_name_plural = "Art der Aufwendungen je Programm"
        ordering = ["county__name", "programme__name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "programme"], name="programmespendingkind_unique",
                                    violation_error_message="Für dieses Programm ist die Art schon erfasst."),
        ]

    def __str__(self):
        return f"{self.programme}: {self.get_spending_kind_display()}"

    def natural_key(self):
        return (self.county.slug, self.programme.code)

    natural_key.dependencies = ["kimportal.county", "programmes.programme"]

    def clean(self):
        super().clean()
        if self.programme_id and self.county_id and self.programme.county_id not in (None, self.county_id):
            raise ValidationError({"programme": "Das Programm gehört zu einem anderen Kreis."})
