"""Umlagegrundlagen: what each municipality's share of the Kreisumlage rests on, per fiscal year.

A Kreis passes its extra cost on to its municipalities through the levy (Kreisumlage, § 56 KrO NRW): each
municipality pays its Umlagegrundlagen (tax-raising power plus key allocations under the GFG) divided by their
sum over the county's municipalities (Vorlage 001, Anhang 2). The bases change every fiscal year, so they are
kept per year with their source; until 2026 a municipality had one undated amount (Municipality.levy_basis,
moved here by migration levy 0002 and removed by kimportal 0006).
"""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kimportal.fields import MoneyField
from kimportal.models import Municipality


class LevyBasisManager(models.Manager):
    def get_by_natural_key(self, county_slug, municipality_name, fiscal_year):
        return self.get(municipality__county__slug=county_slug, municipality__name=municipality_name,
                        fiscal_year=fiscal_year)


class LevyBasis(models.Model):
    """A municipality's Umlagegrundlagen (EUR) for one fiscal year, with where the figure comes from."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="levy_bases",
                                     verbose_name="Kommune")
    fiscal_year = models.IntegerField("Haushaltsjahr", validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    amount = MoneyField("Umlagegrundlagen", help_text="in Euro, z. B. 61.234.567,00")
    source = models.CharField(
        "Quelle", max_length=300, blank=True,
        help_text="z. B. „Haushaltsplan 2022 des Rhein-Sieg-Kreises, Kreisumlage“")

    objects = LevyBasisManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Umlagegrundlagen"
        verbose_name_plural = "Umlagegrundlagen"
        ordering = ["municipality__county__name", "-fiscal_year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fiscal_year"], name="levy_basis_unique_per_year",
                                    violation_error_message="Für diese Kommune und dieses Haushaltsjahr sind "
                                                            "schon Umlagegrundlagen erfasst."),
            models.CheckConstraint(condition=Q(amount__gte=0), name="levy_basis_not_negative",
                                   violation_error_message="Umlagegrundlagen können nicht negativ sein."),
        ]

    def __str__(self):
        return f"Umlagegrundlagen {self.municipality} {self.fiscal_year}"

    def natural_key(self):
        return (self.municipality.county.slug, self.municipality.name, self.fiscal_year)

    natural_key.dependencies = ["kimportal.county", "kimportal.municipality"]

    def clean(self):
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "Umlagegrundlagen können nicht negativ sein."})
