"""The workbook's keys for records that have no natural key of their own.

Positions, grant decisions, applications, cooperation agreements and focus goals have no name or code that is
unique in a county. The workbook gives each row a "Schlüssel": on export the key stored here or, for a record
without one, a generated key (``S12`` for position 12); a key typed for a new row is stored here when the row
is created, so importing the same workbook again updates that record instead of adding another.
"""
from django.db import models

from kimportal.models import County


class RowKey(models.Model):
    """Key ``key`` of sheet model ``model`` ("staffing.position") in ``county`` names record ``object_id``."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="workbook_keys", verbose_name="Kreis")
    model = models.CharField("Datensatzart", max_length=60)
    key = models.CharField("Schlüssel", max_length=100)
    object_id = models.PositiveBigIntegerField("Datensatz")

    class Meta:
        verbose_name = "Schlüssel der Arbeitsmappe"
        verbose_name_plural = "Schlüssel der Arbeitsmappe"
        constraints = [
            models.UniqueConstraint(fields=["county", "model", "key"], name="workbook_rowkey_unique_key"),
            models.UniqueConstraint(fields=["county", "model", "object_id"], name="workbook_rowkey_unique_object"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"
