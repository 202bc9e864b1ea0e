"""Reads of the audit page: every history record of every audited model, scoped to a county.

The records stay where django-simple-history keeps them, one table per model. The page's list is a UNION
of those tables, filtered in each part and ordered by date, so counting and paging are two queries;
only the rows of the page shown are then described (``describe``): one query per kind of record on the
page, one for their predecessors, one per related model the changes name.

A record's county: its own ``county`` field; for a row of another record (kimportal.history_rows), its
parent's county, read from the parent's history so a deleted parent still counts. Land reference data
(programmes, modules, funded slots, rates, pay grades and workplace costs without a county) concerns every
county and is shown to all; any other record without a county (an administrator's account) only to
administrators looking at all counties.
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.utils import timezone

from kimportal.history import (ACTIONS, change_lines, object_label, raw_changes, resolve_related, user_label,
                               wanted_ids)
from kimportal.history_rows import FIELD_LABELS, OBJECT_LABELS, parent_label, row_spec
from kimportal.roles import REFERENCE_MODELS

SEARCH_FIELDS = ("title", "name", "username", "first_name", "last_name", "email", "code", "reference",
                 "block_key", "purpose")
ROW_FIELDS = ("history_id", "history_date", "history_type", "history_user_id", "county_ref")


def audited_models() -> list[type[models.Model]]:
    """Every model whose changes django-simple-history records, in a fixed order."""
    return sorted((m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")),
                  key=lambda m: m._meta.label_lower)


def record_types() -> list[tuple[str, str]]:
    """(label, German name) of every audited model, for the filter: ("staffing.position", "Stelle")."""
    return sorted(((m._meta.label_lower, str(m._meta.verbose_name)) for m in audited_models()),
                  key=lambda choice: choice[1].lower())


def history_of(model) -> models.QuerySet:
    return getattr(model, model._meta.simple_history_manager_attribute).model._default_manager.all()


def _parent_model(model):
    label = parent_label(model)
    return apps.get_model(label) if label else None


def _has_county(model) -> bool:
    return any(f.name == "county" and f.is_relation for f in model._meta.concrete_fields)


def county_expression(model):
    """The county of each of ``model``'s history rows, as an expression on its history table."""
    if model._meta.label_lower == "kimportal.county":
        return F("id")
    if _has_county(model):
        return F("county_id")
    parent = _parent_model(model)
    if parent is not None:
        return _county_of(parent, OuterRef(f"{row_spec(model).parent}_id"))
    return Value(None, output_field=models.BigIntegerField())


def _county_of(model, ref):
    """The county of the ``model`` record with the key ``ref``, from its newest history record."""
    rows = history_of(model).filter(id=ref).order_by("-history_id")
    if _has_county(model):
        return Subquery(rows.values("county_id")[:1])
    parent = _parent_model(model)
    if parent is None:
        return Value(None, output_field=models.BigIntegerField())
    county = _county_of(parent, OuterRef(f"{row_spec(model).parent}_id"))
    return Subquery(rows.annotate(county_ref=county).values("county_ref")[:1])


def is_shared(model) -> bool:
    """Land reference data: its records without a county concern every county."""
    return (model._meta.app_label, model._meta.model_name) in REFERENCE_MODELS


def search_q(model, text: str, depth: int = 0) -> Q:
    """History rows of ``model`` whose record is named like ``text``: by its name or title, by the records
    its label names (the municipality of an allocation row), or by its parent's name."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    q = Q(pk__in=[])
    for name in SEARCH_FIELDS:
        if name in fields and isinstance(fields[name], (models.CharField, models.TextField)):
            q |= Q(**{f"{name}__icontains": text})
    spec = row_spec(model)
    label_fks = list(spec.label) if spec else []
    for part in OBJECT_LABELS.get(model._meta.label_lower, ()):
        label_fks.extend(p.split(":")[0] for p in part.split("|"))
    for name in label_fks:
        field = fields.get(name)
        if field is not None and field.is_relation and depth < 2:
            q |= Q(**{f"{field.attname}__in": _named(field.related_model, text, depth + 1)})
    parent = _parent_model(model)
    if parent is not None and depth < 2:
        q |= Q(**{f"{spec.parent}_id__in": history_of(parent).filter(search_q(parent, text, depth + 1)).values("id")})
    return q


def _named(model, text, depth):
    if hasattr(model._meta, "simple_history_manager_attribute"):
        return history_of(model).filter(search_q(model, text, depth)).values("id")
    return model._default_manager.filter(search_q(model, text, depth)).values("pk")


@dataclass(frozen=True)
class ChangeFilter:
    """What the audit page lists. ``county`` None: every county (administrators only)."""

    county: int | None
    user: int | None = None
    since: date | None = None
    until: date | None = None
    kinds: tuple[str, ...] = ()
    text: str = ""


def change_rows(where: ChangeFilter) -> models.QuerySet | None:
    """The history rows ``where`` selects, newest first: a UNION of ``values()`` rows with ROW_FIELDS,
    ``record_model`` (the model's label) and ``record_id``. None if no model is selected."""
    parts = []
    for model in audited_models():
        if where.kinds and model._meta.label_lower not in where.kinds:
            continue
        rows = history_of(model).annotate(county_ref=county_expression(model))
        if where.county is not None:
            scope = Q(county_ref=where.county)
            if is_shared(model):
                scope |= Q(county_ref__isnull=True)
            rows = rows.filter(scope)
        if where.user:
            rows = rows.filter(history_user_id=where.user)
        if where.since:
            rows = rows.filter(history_date__gte=_start_of(where.since))
        if where.until:
            rows = rows.filter(history_date__lt=_start_of(where.until + timedelta(days=1)))
        if where.text:
            rows = rows.filter(search_q(model, where.text))
        parts.append(rows.values(*ROW_FIELDS, record_model=Value(model._meta.label_lower), record_id=F("id")).order_by())
    if not parts:
        return None
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id", "record_model")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ChangeRows:
    """The audit page's rows as a lazy sequence: its length is one COUNT, a slice describes only its rows."""

    verbose_name, verbose_name_plural = "Änderung", "Änderungen"

    def __init__(self, rows: models.QuerySet | None, hidden: frozenset[str] = frozenset()):
        self.rows, self.hidden = rows, hidden
        self._length = None

    def __len__(self):
        if self._length is None:
            self._length = self.rows.count() if self.rows is not None else 0
        return self._length

    def __getitem__(self, key):
        if isinstance(key, slice):
            return describe(list(self.rows[key]), self.hidden) if self.rows is not None else []
        return self[key:key + 1][0]

    def __iter__(self):
        for start in range(0, len(self), 500):
            yield from self[start:start + 500]


def describe(rows: list[dict], hidden: frozenset[str] = frozenset()) -> list[dict]:
    """The page's rows in German: ``{"date", "user", "action", "kind", "object", "county", "changes"}``,
    ``changes`` a list of (field, old, new); a created record shows its values, a deleted one its last.
    Fields named in ``hidden`` (personal data the reader may not see) are left out."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_kind[row["record_model"]].append(row["history_id"])
    records, previous, m2m = {}, {}, {}
    for kind, ids in by_kind.items():
        model = apps.get_model(kind)
        found = history_of(model).filter(history_id__in=ids).select_related("history_user")
        records.update({(kind, r.history_id): r for r in found})
        previous.update(_predecessors(model, [r for r in found if r.history_type == "~"], kind))
        m2m.update(_m2m_values(model, [r.history_id for r in found] + [p.history_id for k, p in previous.items()
                                                                          if k[0] == kind], kind))
    changes, wanted = {}, {}
    for key, record in records.items():
        before = previous.get(key)
        changes[key] = [c for c in raw_changes(record, before) if c[0].name not in hidden]
        wanted_ids(record, changes[key], wanted)
    counties = {row["county_ref"] for row in rows}
    wanted.setdefault(apps.get_model("kimportal", "County"), set()).update(counties)
    related = resolve_related(wanted)
    county_names = related.get(apps.get_model("kimportal", "County"), {})
    described = []
    for row in rows:
        key = (row["record_model"], row["history_id"])
        record = records.get(key)
        if record is None:  # deleted between counting and reading
            continue
        lines = change_lines(record, changes[key], related)
        if record.history_type != "~":  # the values it was created with, or its last ones
            lines = [(label, "", new if record.history_type == "+" else old) for label, old, new in lines]
        lines += _m2m_lines(record, previous.get(key), m2m)
        if record.history_type == "~" and previous.get(key) is None:
            # Records from before their history was kept (loaddata, accounts older than the audit app).
            lines.append(("Hinweis", "", "frühere Werte nicht aufgezeichnet"))
        if record.history_change_reason and record.history_change_reason != "Demodaten geladen":
            lines.append(("Anlass", "", record.history_change_reason))
        county = county_names.get(row["county_ref"])
        described.append({
            "date": record.history_date, "user": user_label(record.history_user),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "kind": str(record.instance_type._meta.verbose_name), "object": object_label(record, related),
            "county": _county_name(county, record.instance_type),
            "changes": lines,
        })
    return described


def _county_name(county, model) -> str:
    if county is not None:
        return county if isinstance(county, str) else county.name
    return "Land (alle Kreise)" if is_shared(model) else "–"


def _predecessors(model, records: Iterable, kind: str) -> dict:
    """The record before each of ``records`` (same object, next lower history id): two queries."""
    records = list(records)
    if not records:
        return {}
    history = history_of(model)
    newest_before = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
    pairs = dict(history.filter(history_id__in=[r.history_id for r in records]).annotate(
        before=Subquery(newest_before.values("history_id")[:1])).values_list("history_id", "before"))
    found = history.in_bulk([b for b in pairs.values() if b is not None], field_name="history_id")
    return {(kind, current): found[before] for current, before in pairs.items() if before in found}


def _m2m_values(model, history_ids: list[int], kind: str) -> dict:
    """Group names of each user record's role snapshot: {(kind, history id): {"groups": {"Finanzcontrolling"}}}."""
    record_model = history_of(model).model
    fields = getattr(record_model, "_history_m2m_fields", None) or []
    values = defaultdict(dict)
    for field in fields:
        through = f"Historical{field.remote_field.through._meta.object_name}"
        snapshot = apps.get_model(record_model._meta.app_label, through)
        target = field.m2m_reverse_field_name()
        names = dict(Group.objects.values_list("pk", "name")) if field.related_model is Group else {}
        for history_id, target_id in snapshot.objects.filter(history_id__in=history_ids).values_list(
                "history_id", f"{target}_id"):
            values[(kind, history_id)].setdefault(field.name, set()).add(names.get(target_id, f"#{target_id}"))
    return values


def _m2m_lines(record, before, m2m) -> list[tuple[str, str, str]]:
    fields = getattr(type(record), "_history_m2m_fields", None) or []
    kind = record.instance_type._meta.label_lower
    lines = []
    for field in fields:
        label = FIELD_LABELS.get((kind, field.name), str(field.verbose_name))
        new = m2m.get((kind, record.history_id), {}).get(field.name, set())
        old = m2m.get((kind, before.history_id), {}).get(field.name, set()) if before is not None else None
        if record.history_type == "~" and old is not None and old != new:
            lines.append((label, ", ".join(sorted(old)) or "–", ", ".join(sorted(new)) or "–"))
        elif record.history_type == "+" and new:
            lines.append((label, "", ", ".join(sorted(new))))
    return lines
