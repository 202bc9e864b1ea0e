"""Change history of a record for its detail page, read from django-simple-history.

A record's page shows its own history merged with that of its rows, the child records a user edits on
the same page or in the same admin form (``kimportal.history_rows.CHILD_ROWS``): an allocation's page
shows "Alfter: 2,0 → 1,5 Tage", a grant decision's "Förderstellen Case Management: 11 → 2".
The audit page (``audit``) describes history records with the same functions.
"""
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import models
from django.utils import timezone

from kimportal.fields import FTEField, MoneyField
from kimportal.history_rows import CHILD_ROWS, FIELD_LABELS, OBJECT_LABELS, RowHistory, row_spec
from kimportal.money import format_fte, format_money, format_number

ACTIONS = {"+": "angelegt", "~": "geändert", "-": "gelöscht"}
# The optimistic-locking counter (kimportal.concurrency) is bookkeeping, not a change anyone made.
INTERNAL_FIELDS = ["version"]
EMPTY = "–"
NEW, GONE = "(neu)", "(gelöscht)"
# A page's save writes the record and its rows one after the other; records of one user this close together
# are shown as one entry.
SAME_SAVE = timedelta(seconds=5)
NAME_ATTRIBUTES = ("name", "title", "username")


# --- values -----------------------------------------------------------------------------------------


def display_value(field: models.Field, value, related=None) -> str:
    """A field value as a German reader expects it: 31.12.2022, 1.234,56 €, 0,75, ja/nein.

    An empty value reads "–", or what the model's ``HISTORY_EMPTY`` says it means (Position: an empty employer is
    the county, "Kreis").
    """
    if value is None or value == "":
        model = getattr(field.model, "instance_type", field.model)  # a historical model names its original
        return getattr(model, "HISTORY_EMPTY", {}).get(field.name, EMPTY)
    if field.is_relation:
        obj = (related or {}).get(field.related_model, {}).get(value)
        return obj if isinstance(obj, str) else (str(obj) if obj is not None else f"#{value} (gelöscht)")
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


def name_of(obj) -> str:
    """What a related record is called in a change line: its name or title, else its own label."""
    for attribute in NAME_ATTRIBUTES:
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(obj)


def field_label(model, field: models.Field) -> str:
    return FIELD_LABELS.get((model._meta.label_lower, field.name), str(field.verbose_name))


def tracked_fields(record_class) -> list[models.Field]:
    """The fields a historical model copies, without its key and the optimistic-locking counter."""
    return [f for f in record_class.tracked_fields if f.name not in INTERNAL_FIELDS and not f.primary_key]


def raw_changes(record, previous) -> list[tuple[models.Field, object, object]]:
    """(field, old, new) of one history record: against ``previous`` for a change; every filled field of a
    created record (old None) or of a deleted one, with its last values (new None)."""
    changes = []
    for f in tracked_fields(type(record)):
        value = getattr(record, f.attname)
        if record.history_type == "+":
            if value not in (None, ""):
                changes.append((f, None, value))
        elif record.history_type == "-":
            if value not in (None, ""):
                changes.append((f, value, None))
        elif previous is not None and getattr(previous, f.attname) != value:
            changes.append((f, getattr(previous, f.attname), value))
    return changes


# --- related names, resolved in bulk ------------------------------------------------------------------


def resolve_related(wanted: dict[type, set]) -> dict[type, dict]:
    """Related records by model and id, one query per model; ids no longer there come from their history
    (shown with "(gelöscht)"), so a deleted position still has its title."""
    related = {}
    for model, ids in wanted.items():
        ids = {i for i in ids if i is not None}
        if not ids:
            continue
        fks = [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]
        found = dict(model._default_manager.select_related(*fks).in_bulk(ids))
        missing = ids - set(found)
        history = getattr(model, "history", None) if missing else None
        if history is not None:
            pk = model._meta.pk.attname
            for record in history.filter(**{f"{pk}__in": missing}).order_by("history_id"):
                found[getattr(record, pk)] = f"{_record_name(record)} (gelöscht)"
        related[model] = found
    return related


def _record_name(record) -> str:
    for attribute in NAME_ATTRIBUTES:
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    model = record.instance_type
    return f"{model._meta.verbose_name} #{getattr(record, model._meta.pk.attname)}"


def wanted_ids(record, changes, wanted: dict[type, set], label_fields=None) -> None:
    """Note the related ids ``record``'s change lines and label (``label_fields``, default: all) will need."""
    for f, old, new in changes:
        if f.is_relation:
            wanted.setdefault(f.related_model, set()).update((old, new))
    model = record.instance_type
    for name in _label_field_names(model) if label_fields is None else label_fields:
        f = model._meta.get_field(name)
        if f.is_relation:
            wanted.setdefault(f.related_model, set()).add(getattr(record, f.attname))


def _label_field_names(model) -> list[str]:
    spec = row_spec(model)
    names = list(spec.label) if spec else []
    if spec:
        names.append(spec.parent)
    for part in OBJECT_LABELS.get(model._meta.label_lower, ()):
        names.extend(p.split(":")[0] for p in part.split("|"))
    if not names:
        names = [n for n in NAME_ATTRIBUTES if _has_field(model, n)][:1]
    return [n for n in names if _has_field(model, n)]


def _has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _part(record, name: str, related) -> str:
    """One part of a label: a related record's name, a choice's label, a date, or the value."""
    name, _, fmt = name.partition(":")
    model = record.instance_type
    f = model._meta.get_field(name)
    value = getattr(record, f.attname)
    if value in (None, ""):
        return ""
    if fmt and isinstance(value, date):
        return value.strftime(fmt)
    if f.is_relation:
        obj = related.get(f.related_model, {}).get(value)
        return obj if isinstance(obj, str) else (name_of(obj) if obj is not None else f"#{value} (gelöscht)")
    return display_value(f, value, related)


def object_label(record, related) -> str:
    """What the audit page calls the record: "CM-Einsatz … 2021/2022 · Alfter", "Baustein 2 – Case Management 2021"."""
    model = record.instance_type
    spec = row_spec(model)
    if spec is not None:
        return f"{_part(record, spec.parent, related)} · {row_label(record, spec, related)}"
    parts = OBJECT_LABELS.get(model._meta.label_lower)
    if parts is None:
        names = _label_field_names(model)
        parts = names[:1]
    text = " ".join(filter(None, (next(filter(None, (_part(record, alt, related) for alt in part.split("|"))), "")
                                  for part in parts)))
    return text or f"{model._meta.verbose_name} #{getattr(record, model._meta.pk.attname)}"


def row_label(record, spec: RowHistory, related) -> str:
    return spec.prefix + " ".join(filter(None, (_part(record, name, related) for name in spec.label)))


def change_lines(record, changes, related) -> list[tuple[str, str, str]]:
    """(label, old, new) in German for the audit page: "Tage pro Woche: 2,00 → 1,50"."""
    model = record.instance_type
    return [(field_label(model, f), display_value(f, old, related), display_value(f, new, related))
            for f, old, new in changes]


def row_lines(record, changes, spec: RowHistory, related) -> list[tuple[str, str, str]]:
    """A row's changes as its parent's page shows them: "Alfter: 2,0 → 1,5 Tage", "Weiterleitung an …: (neu) → …"."""
    model = record.instance_type
    label = row_label(record, spec, related)
    shown = [(f, old, new) for f, old, new in changes if f.name not in (spec.parent, *spec.label)]

    def value(f, v):
        if f.name == spec.main and v is not None and spec.places is not None:
            return format_number(v, spec.places)
        if f.name == spec.main and isinstance(f, FTEField) and v is not None and v == int(v):
            return format_number(v, 0)  # a count of slots: "11", but "3,5"
        return display_value(f, v, related)

    def with_unit(text):
        return f"{text} {spec.unit}" if spec.unit and text != EMPTY else text

    def summary(values):
        main = [(f, v) for f, v in values if f.name == spec.main]
        if main:
            return with_unit(value(*main[0]))
        # Long texts (descriptions) would drown the line; they show when they change.
        return "; ".join(f"{field_label(model, f)} {_short(value(f, v))}" for f, v in values
                         if not isinstance(f, models.TextField)) or label

    if record.history_type == "+":
        return [(label, NEW, summary([(f, new) for f, _, new in shown]))]
    if record.history_type == "-":
        return [(label, summary([(f, old) for f, old, _ in shown]), GONE)]
    return [(label if f.name == spec.main else f"{label}, {field_label(model, f)}", value(f, old),
             with_unit(value(f, new)) if f.name == spec.main else value(f, new)) for f, old, new in shown]


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


# --- a record's page ------------------------------------------------------------------------------------


@dataclass
class _Event:
    record: object
    spec: RowHistory | None
    changes: list = dc_field(default_factory=list)
    earlier_unknown: bool = False


def history_entries(obj, limit: int = 50) -> list[dict]:
    """The newest ``limit`` entries of ``obj``'s history and its rows' history, newest first.

    Each entry: ``{"date", "user", "action", "changes": [(label, old, new)], "earlier_unknown", "reason"}``.
    The records of one save (the record and its rows, by one user within seconds) form one entry; a save
    that changed nothing shows nothing. Queries: one for the record's history, one per kind of row, one per
    related model named in the changes.
    """
    model = type(obj)
    # One record more than shown, so the oldest shown one can be compared with its predecessor.
    own = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit + 1])
    events = _events(own[:limit], own, None)
    for spec in CHILD_ROWS.get(model._meta.label_lower, ()):
        child = apps.get_model(spec.model)
        rows = list(child.history.filter(**{f"{spec.parent}_id": obj.pk}).select_related("history_user")
                    .order_by("-history_date", "-history_id"))
        events.extend(_events(rows, rows, spec))
    wanted: dict[type, set] = {}
    for event in events:
        if event.spec is not None:
            wanted_ids(event.record, event.changes, wanted, event.spec.label)
        elif event.record.history_type == "~":
            wanted_ids(event.record, event.changes, wanted, ())
    related = resolve_related(wanted)
    entries = []
    for event in sorted(events, key=lambda e: (e.record.history_date, e.record.history_id), reverse=True):
        record = event.record
        lines = (row_lines(record, event.changes, event.spec, related) if event.spec
                 else change_lines(record, event.changes, related) if record.history_type == "~" else [])
        reason = record.history_change_reason or ""
        if record.history_type == "~" and not lines and not event.earlier_unknown and not reason:
            continue  # a save that changed nothing (recorded before such saves were skipped)
        last = entries[-1] if entries else None
        if not (last is not None and last["user_id"] == record.history_user_id
                and last["oldest"] - record.history_date <= SAME_SAVE and not (event.spec is None and last["own"])):
            last = {"date": record.history_date, "user_id": record.history_user_id,
                    "user": user_label(record.history_user), "own": False, "action": ACTIONS["~"],
                    "own_changes": [], "row_changes": [], "earlier_unknown": False, "reason": ""}
            entries.append(last)
        last["oldest"] = record.history_date
        last["earlier_unknown"] |= event.earlier_unknown
        if event.spec is None:
            last.update(own=True, action=ACTIONS.get(record.history_type, record.history_type), own_changes=lines,
                        reason=reason)
        else:
            last["row_changes"].extend(lines)
    for entry in entries:
        # The record's own changes first, then its rows' by their labels (Alfter before Bornheim).
        entry["changes"] = entry["own_changes"] + sorted(entry["row_changes"], key=lambda line: line[0])
    return entries[:limit]


def _events(records, all_records, spec) -> list[_Event]:
    """An event per record with its raw changes; the predecessor is the next older record of the same row."""
    pk = records[0].instance_type._meta.pk.attname if records else "id"
    previous: dict = {}
    for record in reversed(all_records):  # oldest first
        record._previous = previous.get(getattr(record, pk))
        previous[getattr(record, pk)] = record
    events = []
    for record in records:
        before = record._previous
        unknown = before is None and record.history_type == "~"
        # Records loaded by loaddata have no history row, so their first change has nothing to compare with;
        # a parent's oldest shown record may have a predecessor beyond the limit, which was not fetched.
        changes = [c for c in raw_changes(record, before) if spec is None or c[0].name != spec.parent]
        events.append(_Event(record, spec, changes, unknown))
    return events


def user_label(user) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()
