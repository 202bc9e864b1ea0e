"""The audit trail's own models: the history of user accounts and the permission to read the trail.

Every domain model keeps its history with django-simple-history (``history = HistoricalRecords()``);
the user model is kimportal's, so its history is registered here. The password hash and the last
log-in are never copied; a password change is recorded by its reason ("Passwort geändert",
audit.signals), role changes through the ``groups`` snapshot of each record.
"""
from django.db import models
from simple_history import register

from kimportal.models import User

register(User, app="audit", m2m_fields=["groups"], excluded_fields=["password", "last_login"])


class ChangeLog(models.Model):
    """No table: carries the permission to read the audit page (roles Finanzcontrolling, Administration)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_changelog", "Änderungsprotokoll einsehen")]
        verbose_name = "Änderungsprotokoll"
        verbose_name_plural = "Änderungsprotokoll"
