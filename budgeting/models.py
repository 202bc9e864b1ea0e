"""Budget lines, appropriations, coverage sources, scenarios and stated figures."""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from django.db.models import Q

from kimportal.models import County
from kimportal.concurrency import Versioned
from kimportal.fields import FTEField, MoneyField


class CountyCodeManager(models.Manager):
    def get_by_natural_key(self, county_slug, code):
        return self.get(county__slug=county_slug, code=code)


class BudgetLine(models.Model):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="Kreis")
    code = models.CharField("Produkt / Sachkonto", max_length=60)
    name = models.CharField("Bezeichnung", max_length=200)

    objects = CountyCodeManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Haushaltsstelle"
        verbose_name_plural = "Haushaltsstellen"
        ordering = ["county__name", "code"]
        constraints = [models.UniqueConstraint(fields=["county", "code"], name="budget_line_unique_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.county.slug, self.code)


class Appropriation(Versioned):
    """Haushaltsansatz: the amount planned in the budget for one fiscal year."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="appropriations",
                                    verbose_name="Haushaltsstelle")
    fiscal_year = models.PositiveSmallIntegerField("Haushaltsjahr",
                                                   validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    amount = MoneyField("Ansatz")
    note = models.CharField("Bemerkung", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Haushaltsansatz"
        verbose_name_plural = "Haushaltsansätze"
        ordering = ["budget_line__code", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["budget_line", "fiscal_year"], name="appropriation_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="appropriation_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
        ]

    def __str__(self):
        return f"{self.budget_line.code} {self.fiscal_year}"


class CoverageSource(Versioned):
    """Deckungsmittel: money that pays an own share (e.g. the Integrationspauschale)."""

    class Kind(models.TextChoices):
        LUMP_SUM = "lump_sum", "Pauschale des Landes"
        RESERVE = "reserve", "Rücklage / Haushaltsmittel"
        OTHER = "other", "Sonstige"

    class Extension(models.TextChoices):
        NONE = "none", "keine Verlängerung beantragt"
        PENDING = "pending", "Verlängerung offen"
        GRANTED = "granted", "verlängert"
        REFUSED = "refused", "abgelehnt"

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="coverage_sources", verbose_name="Kreis")
    name = models.CharField("Bezeichnung", max_length=200)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices, default=Kind.LUMP_SUM)
    legal_basis = models.CharField("Rechtsgrundlage", max_length=200, blank=True)
    amount = MoneyField("Gesamtbetrag", null=True, blank=True)
    balance = MoneyField("Restbetrag")
    balance_as_of = models.DateField("Restbetrag zum")
    balance_free_from = models.DateField(
        "Restbetrag frei ab", null=True, blank=True,
        help_text="Ab wann der Restbetrag für neue Zwecke frei ist (z. B. nach abgeschlossener Planung des Jahres). "
                  "Bis dahin gelten die geplanten Verwendungen als gebunden. Leer: ab dem Tag nach dem Stand.")
    usable_until = models.DateField("verwendbar bis")
    extension_status = models.CharField("Verlängerung", max_length=10, choices=Extension.choices,
                                        default=Extension.NONE)
    extended_until = models.DateField("verlängert bis", null=True, blank=True)
    proof_of_use_due = models.DateField("Verwendungsnachweis fällig", null=True, blank=True)
    note = models.TextField("Bemerkung", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Deckungsmittel"
        verbose_name_plural = "Deckungsmittel"
        ordering = ["county__name", "usable_until", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="coverage_source_unique_name"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="coverage_source_balance_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="coverage_source_amount_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
            models.CheckConstraint(condition=Q(extended_until__isnull=True) | Q(extended_until__gte=models.F("usable_until")),
                                   name="coverage_source_extension_after_usable_until",
                                   violation_error_message="Die Verlängerung muss nach dem bisherigen Ende liegen."),
        ]

    def __str__(self):
        return self.name

    @property
    def effective_until(self):
        """The date the source can actually be used until, counting a granted extension."""
        if self.extension_status == self.Extension.GRANTED and self.extended_until:
            return self.extended_until
        return self.usable_until

    @property
    def free_on(self):
        """The first day the balance may be drawn for new uses (DOMAIN.md: "A balance has a date")."""
        if self.balance_free_from:
            return self.balance_free_from
        return self.balance_as_of + timedelta(days=1) if self.balance_as_of else None

    def clean(self):
        errors = {}
        if self.balance_free_from and self.balance_as_of and self.balance_free_from < self.balance_as_of:
            errors["balance_free_from"] = "Der Restbetrag kann nicht vor seinem Stand frei sein."
        if self.amount is not None and self.balance is not None and self.balance > self.amount:
            errors["balance"] = "Der Restbetrag darf den Gesamtbetrag nicht übersteigen."
        if self.extended_until and self.usable_until and self.extended_until < self.usable_until:
            errors["extended_until"] = "Die Verlängerung muss nach dem bisherigen Ende liegen."
        if self.extension_status == self.Extension.GRANTED and not self.extended_until:
            errors["extended_until"] = "Bitte das Datum angeben, bis zu dem verlängert wurde."
        if errors:
            raise ValidationError(errors)


class CoverageWindow(models.Model):
    """A coverage source's deadline for one purpose (DOMAIN.md: "Deadlines by purpose").

    Rhein-Kreis Neuss: the Integrationspauschale for KIM until 30.06.2020, for the county's own measures
    until 30.11.2020. A window names a programme, or one module of it; uses without a window of their own
    keep the source's general deadline ("verwendbar bis").
    """

    source = models.ForeignKey(CoverageSource, on_delete=models.CASCADE, related_name="windows",
                               verbose_name="Deckungsmittel")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="coverage_windows",
                                  verbose_name="Programm")
    module = models.ForeignKey("programmes.Module", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="coverage_windows", verbose_name="Baustein",
                               help_text="Leer: für das ganze Programm.")
    usable_until = models.DateField("verwendbar bis")
    note = models.CharField("Bemerkung", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Verwendungsfrist nach Zweck"
        verbose_name_plural = "Verwendungsfristen nach Zweck"
        ordering = ["source", "programme__name", "module__code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "programme", "module"], name="coverage_window_unique_purpose",
                                    violation_error_message="Für diesen Zweck gibt es schon eine Frist."),
        ]

    def __str__(self):
        purpose = self.module.name if self.module_id else self.programme.name
        return f"{purpose} bis {self.usable_until:%d.%m.%Y}"

    def clean(self):
        if self.module_id and self.programme_id and self.module.programme_id != self.programme_id:
            raise ValidationError({"module": "Der Baustein gehört zu einem anderen Programm."})
        if self.programme_id and self.source_id and self.programme.county_id not in (None, self.source.county_id):
            raise ValidationError({"programme": "Das Programm gehört zu einem anderen Kreis."})


class ScenarioManager(models.Manager):
    def get_by_natural_key(self, county_slug, name):
        return self.get(county__slug=county_slug, name=name)


class Scenario(Versioned):
    """A named set of overrides to compare with the base case (e.g. Baustein 3 Variante 1 / 2)."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="scenarios", verbose_name="Kreis")
    name = models.CharField("Name", max_length=120)
    description = models.TextField("Beschreibung", blank=True)
    position = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    objects = ScenarioManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Szenario"
        verbose_name_plural = "Szenarien"
        ordering = ["county__name", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="scenario_unique_name")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.county.slug, self.name)


class ScenarioPositionOverride(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="position_overrides",
                                 verbose_name="Szenario")
    position = models.ForeignKey("staffing.Position", on_delete=models.CASCADE, related_name="scenario_overrides",
                                 verbose_name="Stelle")
    fte = FTEField("Stellenanteil (VZÄ)", null=True, blank=True)
    excluded = models.BooleanField("im Szenario nicht enthalten", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Stellen-Annahme"
        verbose_name_plural = "Stellen-Annahmen"
        ordering = ["scenario", "position__title"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "position"], name="scenario_position_unique"),
            models.CheckConstraint(condition=Q(fte__isnull=True) | (Q(fte__gt=0) & Q(fte__lte=1)),
                                   name="scenario_position_fte_between_0_and_1",
                                   violation_error_message="Der Stellenanteil muss größer als 0 und höchstens 1 VZÄ sein."),
        ]

    def __str__(self):
        return f"{self.scenario}: {self.position}"

    def clean(self):
        if self.scenario_id and self.position_id and self.scenario.county_id != self.position.county_id:
            raise ValidationError({"position": "Die Stelle gehört zu einem anderen Kreis."})


class ScenarioCoverageOverride(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="coverage_overrides",
                                 verbose_name="Szenario")
    source = models.ForeignKey(CoverageSource, on_delete=models.CASCADE, related_name="scenario_overrides",
                               verbose_name="Deckungsmittel")
    usable_until = models.DateField("verwendbar bis", null=True, blank=True)
    balance = MoneyField("Restbetrag", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Deckungs-Annahme"
        verbose_name_plural = "Deckungs-Annahmen"
        ordering = ["scenario", "source__name"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "source"], name="scenario_coverage_unique"),
            models.CheckConstraint(condition=Q(balance__isnull=True) | Q(balance__gte=0),
                                   name="scenario_coverage_balance_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
        ]

    def __str__(self):
        return f"{self.scenario}: {self.source}"

    def clean(self):
        if self.scenario_id and self.source_id and self.scenario.county_id != self.source.county_id:
            raise ValidationError({"source": "Die Deckungsmittel gehören zu einem anderen Kreis."})


class StatedFigure(models.Model):
    """A figure as a paper printed it, kept to show its difference to the computed one."""

    class Field(models.TextChoices):
        TOTAL = "total", "Gesamtkosten"
        GRANT = "grant", "Förderung"
        THIRD_PARTY = "third_party", "Kostenanteil Dritter"
        OWN_SHARE = "own_share", "Eigenanteil"
        # Vorlage 000 states the Land's grants by cost type for all programmes together.
        GRANT_PERSONNEL = "grant_personnel", "Förderung Personalkosten"
        GRANT_MATERIAL = "grant_material", "Förderung Sach- und Fortbildungskosten"

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="stated_figures", verbose_name="Kreis")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="stated_figures", verbose_name="Szenario")
    block_key = models.CharField(
        "Block", max_length=200,
        help_text="Schlüssel eines Blocks; „*“ für die Summe aller Programme, „programm:<Kürzel>“ für ein Programm.")
    period_start = models.DateField("Zeitraum von")
    period_end = models.DateField("Zeitraum bis")
    field = models.CharField("Größe", max_length=20, choices=Field.choices)
    amount = MoneyField("Betrag laut Vorlage", allow_negative=True)
    source = models.CharField("Quelle", max_length=200, help_text="z. B. Vorlage 002, Seite 5")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Betrag laut Vorlage"
        verbose_name_plural = "Beträge laut Vorlage"
        ordering = ["county__name", "period_start", "block_key", "field"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="stated_figure_period_end_after_start",
                                   violation_error_message="Das Ende des Zeitraums darf nicht vor dem Beginn liegen."),
            models.UniqueConstraint(fields=["county", "scenario", "block_key", "period_start", "period_end", "field"],
                                    name="stated_figure_unique"),
        ]

    def __str__(self):
        return f"{self.block_key} {self.get_field_display()}: {self.amount} € ({self.source})"
