"""Counties, municipalities, partners and users.

A county (Kreis or kreisfreie Stadt; OParl's *Body*) owns every record except
the Land's reference data. Users belong to one county.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class CountyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class County(models.Model):
    class Kind(models.TextChoices):
        KREIS = "kreis", "Kreis"
        KREISFREIE_STADT = "stadt", "Kreisfreie Stadt"

    name = models.CharField("Name", max_length=120, unique=True)
    slug = models.SlugField("Kürzel", max_length=60, unique=True)
    kind = models.CharField("Art", max_length=10, choices=Kind.choices, default=Kind.KREIS)
    centre_name = models.CharField("Bezeichnung des KI", max_length=200, blank=True)
    office = models.CharField("Amt", max_length=200, blank=True)
    key = models.CharField("Kreisschlüssel / Gemeindeschlüssel", max_length=8, blank=True,
                           help_text="amtlicher Schlüssel (IT.NRW): 5 Stellen für einen Kreis (05382), "
                                     "8 für eine kreisfreie Stadt (05315000)")
    budget_recovery_plan = models.BooleanField(
        "Haushaltssicherungskonzept", default=False,
        help_text="Auch eine kreisfreie Stadt kann im HSK sein und dann keine neuen freiwilligen Kosten übernehmen.")
    # Who decides an unplanned provision (§ 83 GO NRW) is the provisions app's ProvisionStatute: a budget
    # statute sets stages, often apart for voluntary and mandatory spending, not the one amount kept here
    # until 2025 (council_threshold, turned into stages by provisions 0002 and removed by kimportal 0004).

    objects = CountyManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kreis / kreisfreie Stadt"
        verbose_name_plural = "Kreise / kreisfreie Städte"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class MunicipalityManager(models.Manager):
    def get_by_natural_key(self, county_slug, name):
        return self.get(county__slug=county_slug, name=name)


class Municipality(models.Model):
    """A municipality of a Kreis – or, in a kreisfreie Stadt, a district or office the KI allocates to."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeinde", "Stadt / Gemeinde"
        DISTRICT = "bezirk", "Stadtbezirk"
        OFFICE = "dienststelle", "Dienststelle / Amt"

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="municipalities", verbose_name="Kreis")
    name = models.CharField("Name", max_length=120)
    kind = models.CharField("Art", max_length=15, choices=Kind.choices, default=Kind.MUNICIPALITY)
    ags = models.CharField("Gemeindeschlüssel (AGS)", max_length=8, blank=True,
                           help_text="amtlicher Gemeindeschlüssel, 8 Stellen (Troisdorf: 05382068)")
    population = models.PositiveIntegerField("Einwohnerzahl", default=0)
    population_as_of = models.DateField("Einwohnerzahl Stand", null=True, blank=True)
    population_source = models.CharField("Einwohnerzahl Quelle", max_length=200, blank=True,
                                         help_text="z. B. IT.NRW, Fortschreibung des Bevölkerungsstandes 12411-01ir")
    budget_recovery_plan = models.BooleanField(
        "Haushaltssicherungskonzept", default=False,
        help_text="Eine Kommune im HSK kann keine neuen freiwilligen Kosten übernehmen.",
    )
    # The Umlagegrundlagen are kept per fiscal year with their source in the levy app (levy.LevyBasis);
    # the one undated amount kept here until 2026 was moved there by levy 0002 and removed by kimportal 0006.

    objects = MunicipalityManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kommune"
        verbose_name_plural = "Kommunen"
        ordering = ["county__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="municipality_unique_name_per_county"),
            models.UniqueConstraint(fields=["ags"], condition=~models.Q(ags=""), name="municipality_unique_ags",
                                    violation_error_message="Dieser Gemeindeschlüssel gehört schon zu einer "
                                                            "anderen Kommune."),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.county.slug, self.name)

    natural_key.dependencies = ["kimportal.county"]


class PartnerManager(models.Manager):
    def get_by_natural_key(self, county_slug, name):
        return self.get(county__slug=county_slug, name=name)


class Partner(models.Model):
    """A third party: a municipality as employer or recipient, a welfare organisation."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommune"
        WELFARE = "welfare", "Wohlfahrtsverband"
        OTHER = "other", "Sonstige"

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="partners", verbose_name="Kreis")
    name = models.CharField("Name", max_length=200)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="partners", verbose_name="Kommune"
    )

    objects = PartnerManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Partner"
        verbose_name_plural = "Partner"
        ordering = ["county__name", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="partner_unique_name_per_county")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.county.slug, self.name)

    natural_key.dependencies = ["kimportal.county", "kimportal.municipality"]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.municipality_id and self.county_id and self.municipality.county_id != self.county_id:
            raise ValidationError({"municipality": "Die Kommune gehört zu einem anderen Kreis."})


class User(AbstractUser):
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name="Kreis",
        help_text="Leer nur für Administratorinnen und Administratoren.",
    )

    class Meta:
        verbose_name = "Benutzer"
        verbose_name_plural = "Benutzer"

from kimportal.versioning import DataVersion  # noqa: E402,F401  (the data versions: kimportal/versioning.py)
