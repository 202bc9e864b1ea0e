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
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.forms.models import model_to_dict

from kimportal.history import EMPTY, display_value

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


def loaded_values(current: models.Model, version: int | None) -> dict[str, Any] | None:
    """The record's field values as they were at ``version`` (from its history), or None if unknown."""
    if version is None or not hasattr(current, "history"):
        return None
    # A save that changed nothing raised the version without a history record (audit.signals): the values
    # at ``version`` are those of the newest record up to it.
    record = current.history.filter(version__lte=version).order_by("-version", "-history_date", "-history_id").first()
    return model_to_dict(record.instance) if record is not None else None


def _comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def merge_stale_form(form: forms.BaseForm, current_form: forms.BaseForm,
                     loaded: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Merge a refused (stale) edit with the current record; return a row per field for the conflict panel.

    ``form`` is the valid, refused form; ``current_form`` an unbound form of the current record. A field the
    user left as loaded takes the current value; a field the user changed keeps the input, marked as a clash
    where the other person changed it too. Without the loaded values (no history) every input is kept.
    The merged form carries the current version.
    """
    current = model_to_dict(current_form.instance)
    data = form.data.copy()
    rows = []
    for name in form._meta.fields:
        if name not in form.fields:
            continue
        mine, theirs = _comparable(form.cleaned_data.get(name)), current.get(name)
        base = loaded.get(name) if loaded is not None else mine
        if loaded is not None and mine == base and theirs != base:
            value = current_form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
        clash = mine not in (base, theirs)
        rows.append({"label": form.fields[name].label, "current": _display(form, name, theirs),
                     "mine": _display(form, name, mine) if clash else None})
    data[form.add_prefix("version")] = str(current_form.instance.version)
    form.data = data
    return rows


def _display(form: forms.BaseForm, name: str, value) -> str:
    """A value as the form shows it: the choice's label, 0,75, 31.12.2022, the empty label, ja/nein."""
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        if value in (None, ""):
            return field.empty_label or EMPTY
        obj = field.queryset.model._default_manager.filter(pk=value).first()
        return field.label_from_instance(obj) if obj is not None else EMPTY
    return display_value(form._meta.model._meta.get_field(name), value)


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
