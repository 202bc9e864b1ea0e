"""Change history of a record for its detail page, read from django-simple-history."""
from datetime import date, datetime

from django.db import models
from django.utils import timezone

from kimportal.fields import FTEField, MoneyField
from kimportal.money import format_fte, format_money, format_number

ACTIONS = {"+": "angelegt", "~": "geändert", "-": "gelöscht"}
# The optimistic-locking counter (kimportal.concurrency) is bookkeeping, not a change anyone made.
INTERNAL_FIELDS = ["version"]
EMPTY = "–"


def history_entries(obj, limit: int = 50) -> list[dict]:
    """The newest ``limit`` history records of ``obj``, each with its changes against the record before.

    One query for the records (and their users), one per related model whose key changed.
    """
    # One record more than shown, so the oldest shown one can be compared with its predecessor.
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit + 1])
    model = type(obj)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = [(change.field, change.old, change.new) for change in record.diff_against(previous, excluded_fields=INTERNAL_FIELDS).changes]
        entries.append({
            "date": record.history_date,
            "user": _user_label(record.history_user),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "changes": changes,
            # Records loaded by loaddata have no history row, so their first change has nothing to compare with.
            "earlier_unknown": previous is None and record.history_type == "~",
        })
    _label_changes(model, entries)
    return entries


def _user_label(user) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _label_changes(model, entries) -> None:
    related_ids: dict[type, set] = {}
    for entry in entries:
        for name, old, new in entry["changes"]:
            field = model._meta.get_field(name)
            if field.is_relation:
                related_ids.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
    related = {m: m._default_manager.in_bulk(ids) for m, ids in related_ids.items()}
    for entry in entries:
        entry["changes"] = [
            (str(model._meta.get_field(name).verbose_name),
             display_value(model._meta.get_field(name), old, related),
             display_value(model._meta.get_field(name), new, related))
            for name, old, new in entry["changes"]
        ]


def display_value(field: models.Field, value, related=None) -> str:
    """A field value as a German reader expects it: 31.12.2022, 1.234,56 €, 0,75, ja/nein."""
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        obj = (related or {}).get(field.related_model, {}).get(value)
        return str(obj) if obj is not None else f"#{value} (gelöscht)"
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, MoneyField):
        return format_money(value, 2)
    if isinstance(field, FTEField):
        return format_fte(value)
    if isinstance(field, models.DecimalField):
        return format_number(value, field.decimal_places)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) else value.strftime(
            "%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)
