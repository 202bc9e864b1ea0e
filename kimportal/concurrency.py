"""Optimistic locking: no lost updates, on SQLite as on PostgreSQL.

Every record people edit in the browser carries a ``version``. The edit form
sends back the version the user loaded; the save first raises the row's version
with ``UPDATE … WHERE pk = … AND version = <loaded>``. Zero rows updated means
someone else saved in between: nothing is written and the user sees the current
values. The UPDATE also takes the row's write lock (PostgreSQL) or the
database's (SQLite), so a second writer waits and then finds the version
changed. ``select_for_update`` would do nothing on SQLite.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

CONFLICT_MESSAGE = ("Dieser Eintrag wurde inzwischen von jemand anderem geändert. Ihre Änderungen wurden nicht "
                    "gespeichert. Bitte prüfen Sie den aktuellen Stand und speichern Sie erneut.")
MISSING_VERSION_MESSAGE = "Die geladene Fassung fehlt. Bitte laden Sie die Seite neu."


class Versioned(models.Model):
    """A record edited in the browser; ``version`` counts its saves through the forms and the admin."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class ConflictError(ValidationError):
    """The record was saved by someone else after the user loaded it."""


def claim_version(instance: models.Model, *, expected_version: int | None, message: str = CONFLICT_MESSAGE) -> int:
    """Raise the row's version, or fail if it is no longer ``expected_version``; return the new version.

    Without ``expected_version`` (the admin, scripts) the version is raised unconditionally, so that
    browser editors who loaded the record earlier notice the change.
    """
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if expected_version is None:
        rows.update(version=F("version") + 1)
        return rows.values_list("version", flat=True).get()
    if not rows.filter(version=expected_version).update(version=expected_version + 1):
        raise ConflictError(message, code="conflict")
    return expected_version + 1


@contextmanager
def restore_version_on_error(instance: models.Model) -> Iterator[None]:
    """A failed write is rolled back; the instance must not keep the version it did not get."""
    version = instance.version
    try:
        yield
    except BaseException:
        instance.version = version
        raise


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)


class VersionedFormMixin(forms.BaseForm):
    """Carries the version the user loaded as a hidden field; an edit without it is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField()
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise ValidationError(MISSING_VERSION_MESSAGE, code="missing_version")
        return version
