"""Importing a county's workbook: all or nothing, updated in place by natural keys, with history.

``import_workbook`` reads every sheet of workbook.spec in order (a sheet refers only to sheets before it),
finds each row's record by its natural key within the county (or by its "Schlüssel"), validates it with the
model's ``full_clean`` and saves it inside one transaction; then it checks the rules that span rows with
the same functions the pages use (staffing.services.check_capacity, staffing.splits.split_errors,
programmes.pass_throughs.limit_errors via GrantDecision.stored_pass_through_errors,
provisions.rules.stage_errors) and that every municipality appears in each allocation. Any problem, or a dry
run, rolls everything back. Every problem is collected (sheet, row, column, German reason); a row that only
refers to a row which failed itself is skipped and named in that row's problem (workbook.follow_ons).

Records of the county that the workbook does not name are never deleted: the result lists them
("nicht in der Mappe: bleibt unverändert"). A record whose values did not change is not saved, so it gets no
history row; saved records carry the importing user as history user.

Under a new slug (a copy, ``--slug``) the county's own codes get the new slug in front, and what names the
original county (official keys, user names) stays with it (workbook.copying); the result's ``notes`` say so.
The template's example row (row 2 of each sheet, marked; workbook.exporter) is skipped.

Users the import creates get no usable password; the result names them (``ImportResult.new_users``) so that the
administrator can hand each a one-time link to set one (workbook.passwords).
"""
from __future__ import annotations

import re
from collections import defaultdict

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from kimportal import roles
from kimportal.models import County

from . import cells
from .checks import cross_row_problems
from .copying import CopyGuard
from .exporter import EXAMPLE_ROW, RowWriter
from .follow_ons import FollowOn, FollowOns
from .messages import example_problem, row_label, unique_message
from .models import RowKey
from .reader import Problem, WorkbookInvalid, read_book
from .results import CHANGED, MISSING_NOTE, NEW, SAME, ImportResult, RowOutcome, SheetOutcome, show_value
from .spec import (BOOL, CHOICE, COUNTY_ROLES, DATE, FTE, INT, KEY, MONEY, QUANTITY, REF, REFS, ROLE,
                   SIGNED_MONEY, TEXT, Sheet, active_sheets)

__all__ = ["import_workbook", "ImportResult", "MISSING_NOTE", "NEW", "CHANGED", "SAME"]
CHANGE_REASON = "Import der Arbeitsmappe"
OWN_CODE_SHEETS = ("Programme", "Bausteine", "Förderstellen")
CODE_REFS = ("programme", "own_programme", "module", "own_module", "funded_slot", "budget_line")
PLACES = {MONEY: 2, SIGNED_MONEY: 2, FTE: 3, QUANTITY: 2}


class _Rollback(Exception):
    pass


def import_workbook(source, *, slug: str | None = None, name: str | None = None, user=None,
                    dry_run: bool = False, into_existing: bool = False) -> ImportResult:
    """Import the workbook at ``source`` (path or binary file) as county ``slug`` (default: the workbook's own)
    named ``name`` (default: the workbook's). Returns what was (with ``dry_run``: would be) created, changed and
    left unchanged per sheet. Raises WorkbookInvalid with every problem found; then nothing is saved.

    One county's workbook goes into another county that exists already (an update of an earlier copy) only with
    ``into_existing``: never by a mistyped slug."""
    book = read_book(source)
    importer = _Importer(book, slug=slug or None, name=name or None, user=user, into_existing=into_existing)
    try:
        with transaction.atomic():
            importer.run()
            if importer.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    saved = not dry_run and not importer.problems
    result = ImportResult(importer.county_name, importer.county_slug, importer.new_county, importer.outcomes,
                          saved=saved, notes=importer.notes(), new_users=importer.new_users if saved else [])
    if importer.problems:
        raise WorkbookInvalid(importer.follow_ons.merged(importer.problems), result)
    return result


def owner_id(obj, path: str):
    """The pk of the county ``path`` leads to from ``obj`` (None: the Land's reference data)."""
    if not path:
        return None
    *head, last = path.split("__")
    for part in head:
        obj = getattr(obj, part)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def role_of(user) -> str:
    names = {g.name for g in user.groups.all()}
    return next((r for r in COUNTY_ROLES(roles) if r in names), "")


class _Importer:
    def __init__(self, book, *, slug, name, user, into_existing=False):
        self.book, self.slug, self.name, self.user = book, slug, name, user
        self.into_existing = into_existing
        self.problems: list[Problem] = []
        self.outcomes: list[SheetOutcome] = []
        self.county = None
        self.county_name = name or ""
        self.county_slug = slug or ""
        self.new_county = False
        self.rename: dict[str, str] = {}
        self.keys: dict[str, dict[str, int]] = defaultdict(dict)
        self.rows_of: dict[tuple[str, int], tuple[str, int]] = {}
        self.touched: dict[str, set] = defaultdict(set)
        self.copy_guard: CopyGuard | None = None
        self.example_sheets: list[str] = []
        self.follow_ons = FollowOns()
        self.row_origin = None  # the failed row the current row refers to, if that is its only error
        self.new_users: list[tuple[str, int]] = []  # (user name, pk) of the users created

    def writer(self) -> RowWriter:
        """The export's cell writer for this county, for row labels (one per import: it caches the keys)."""
        if getattr(self, "_writer", None) is None or self._writer.county != self.county:
            self._writer = RowWriter(self.county)
        return self._writer

    def notes(self) -> list[str]:
        notes = self.copy_guard.notes() if self.copy_guard else []
        if self.example_sheets:
            notes.append(f"Beispielzeilen der Vorlage übersprungen ({len(self.example_sheets)} Tabellen, jeweils "
                         f"Zeile {EXAMPLE_ROW}); eigene Angaben dort werden erst ohne die Markierung rechts daneben "
                         "eingelesen.")
        return notes

    def problem(self, sheet, row, column, message):
        self.problems.append(Problem(sheet, row, column, message))

    # ------------------------------------------------------------------ sheets

    def run(self):
        sheets = active_sheets()
        known = [s.title for s in sheets]
        for title in self.book.sheets:
            if title not in known:
                self.problem(title, None, None, "Unbekannte Tabelle; eine Arbeitsmappe der Version 1 hat die "
                                                f"Tabellen {', '.join(known)}.")
        county_sheet = self.book.sheets.get("Kreis")
        if county_sheet is None or not county_sheet.rows:
            self.problem("Kreis", 2, None, "Die Tabelle „Kreis“ braucht eine Zeile mit Kürzel und Name.")
            return
        self._prepare_rename(county_sheet)
        if self.problems:
            return
        for sheet in sheets:
            data = self.book.sheets.get(sheet.title)
            if data is None:
                self.outcomes.append(SheetOutcome(sheet.title, absent=True))
                continue
            self.process(sheet, data)
            if self.county is None:
                return
        self.cross_checks()

    def _prepare_rename(self, county_sheet):
        """Under a new slug, the county's own codes (unique in the installation) get the new slug in front."""
        own_slug = cells.read_text(county_sheet.rows[0][1].get("Kürzel"))
        if not self.slug or self.slug == own_slug:
            return
        other = County.objects.filter(slug=self.slug).first()
        if other is not None and not self.into_existing:
            # A copy goes to a new county; one county's workbook never merges silently into another's records.
            self.problem("Kreis", 2, "Kürzel", f"Die Mappe stammt von „{own_slug}“ und kann nicht in {other.name} "
                                                f"({other.slug}) eingelesen werden. Für eine Kopie bitte ein neues, "
                                                f"noch nicht vergebenes Kürzel wählen; eine frühere Kopie "
                                                f"aktualisiert --into-existing.")
            return
        self.copy_guard = CopyGuard(self.slug)
        for title in OWN_CODE_SHEETS:
            data = self.book.sheets.get(title)
            for _, row in (data.rows if data else []):
                code = cells.read_text(row.get("Kürzel"))
                if code and not code.startswith(f"{self.slug}-"):
                    self.rename[code] = f"{self.slug}-{code}"

    def process(self, sheet: Sheet, data):
        model = sheet.model_class
        outcome = SheetOutcome(sheet.title)
        headers = [h for h in data.headers if h]
        for header in headers:
            if not any(c.header == header for c in sheet.columns):
                self.problem(sheet.title, 1, header, "Unbekannte Spalte.")
        missing = [c.header for c in sheet.columns if c.required and c.header not in headers]
        for header in missing:
            self.problem(sheet.title, 1, header, "Die Pflichtspalte fehlt.")
        present = [c for c in sheet.columns if c.header in headers]
        rows = data.rows
        if sheet.first_rows_without:
            column = sheet.column(sheet.first_rows_without)
            rows = sorted(rows, key=lambda r: not cells.is_empty(r[1].get(column.header)))
        if sheet.one_row and len(rows) > 1:
            self.problem(sheet.title, rows[1][0], None, "Diese Tabelle hat höchstens eine Zeile.")
            rows = rows[:1]
        self.check_examples(sheet, data)
        seen: dict[tuple, int] = {}
        for number, row in ([] if missing else rows):
            values = self.read_row(sheet, model, present, number, row)
            if values is None:
                self.row_failed(sheet, number, row, self.row_origin)
                continue
            if sheet.title == "Benutzer" and self.copy_guard and self.copy_guard.skips_user(values):
                outcome.skipped += 1
                continue
            key = (values.get(KEY),) if sheet.row_key else tuple(self._key_part(values.get(f)) for f in sheet.key)
            key_column = sheet.key_columns[0].header if sheet.key_columns else None
            if sheet.key and key in seen or sheet.row_key and key in seen:
                self.problem(sheet.title, number, key_column,
                             f"Doppelter Schlüssel: dieselbe Angabe steht schon in Zeile {seen[key]}.")
                continue
            seen[key] = number
            try:
                obj = self.find(sheet, model, values)
            except cells.CellError as exc:
                self.problem(sheet.title, number, key_column, exc.message)
                self.row_failed(sheet, number, row)
                continue
            if not self.apply(sheet, model, present, number, values, obj, outcome):
                self.row_failed(sheet, number, row)
            if self.county is None:
                break
        if self.county is not None and sheet.title != "Kreis":
            scope = model._default_manager.filter(**{sheet.county_path: self.county})
            outcome.missing = [row_label(sheet, self.county, obj, writer=self.writer())
                               for obj in scope.exclude(pk__in=self.touched[sheet.label]).order_by("pk")]
        self.outcomes.append(outcome)

    def row_failed(self, sheet, number, row, origin=None):
        """Row ``number`` was not saved: rows of later sheets naming it by its key are skipped, not reported."""
        keys = [cells.read_text(row.get(column.header)) for column in sheet.key_columns]
        self.follow_ons.row_failed(sheet.title, number, keys + [self.rename[k] for k in keys if k in self.rename],
                                   origin)

    def check_examples(self, sheet, data):
        """The template's example row (row 2, marked) is skipped; the marker anywhere else is a problem, so that
        rows copied from the example are never left out unseen."""
        for number, _ in data.examples:
            if number != EXAMPLE_ROW:
                self.problem(sheet.title, number, None, example_problem(EXAMPLE_ROW))
        if any(number == EXAMPLE_ROW for number, _ in data.examples):
            self.example_sheets.append(sheet.title)

    @staticmethod
    def _key_part(value):
        return value.pk if isinstance(value, models.Model) else value

    # ------------------------------------------------------------------ cells

    def read_row(self, sheet, model, present, number, row) -> dict | None:
        """The row's values by field, or None if a cell is wrong (each a problem) or refers to a failed row
        (then ``row_origin`` names that row, unless the row has an error of its own)."""
        values, ok, own_error, self.row_origin = {}, True, False, None
        for column in present:
            try:
                value = self.read_cell(sheet, model, column, row.get(column.header), values)
            except FollowOn as exc:
                self.row_origin = self.row_origin or exc.origin
                ok = False
                continue
            except cells.CellError as exc:
                self.problem(sheet.title, number, column.header, exc.message)
                ok, own_error = False, True
                continue
            if value is None or value == "":
                if column.required:
                    self.problem(sheet.title, number, column.header, "Pflichtangabe fehlt.")
                    ok, own_error = False, True
                    continue
                value = self._default(model, column)
            values[column.field] = value
        if ok and sheet.title == "Kreis":
            self.county_slug = values["slug"] = self.slug or values["slug"]
            self.county_name = values["name"] = self.name or values["name"]
            if self.copy_guard:
                self.copy_guard.county_row(values)
        if ok and sheet.title == "Kommunen" and self.copy_guard:
            self.copy_guard.municipality_row(values)
        if own_error:
            self.row_origin = None
        return values if ok else None

    @staticmethod
    def _default(model, column):
        if column.field in (KEY, ROLE):
            return ""
        model_field = model._meta.get_field(column.field)
        if model_field.has_default():
            return model_field.get_default()
        return None if model_field.null else ("" if isinstance(model_field, (models.CharField, models.TextField))
                                              else None)

    def read_cell(self, sheet, model, column, raw, values):
        kind = column.kind
        if kind == TEXT:
            text = cells.read_text(raw)
            if column.field == "code" and sheet.title in OWN_CODE_SHEETS + ("Haushaltsstellen",):
                # An own programme's budget line bears its code (budgeting.selectors: own funds): renamed alike.
                text = self.rename.get(text, text)
            if column.field == "block_key" and self.rename:
                text = ":".join(self.rename.get(part, part) for part in text.split(":"))
            return text
        if kind == DATE:
            return cells.read_date(raw)
        if kind in PLACES:
            return cells.read_decimal(raw, places=PLACES[kind], currency=kind in (MONEY, SIGNED_MONEY),
                                      example="0,75" if kind == FTE else None)
        if kind == INT:
            return cells.read_int(raw)
        if kind == BOOL:
            return cells.read_bool(raw)
        if kind == CHOICE:
            if column.field == ROLE:
                choices = [(name, name) for name in COUNTY_ROLES(roles)]
            else:
                choices = [(v, str(label)) for v, label in model._meta.get_field(column.field).choices]
            return cells.read_choice(raw, choices)
        if kind == REF:
            text = cells.read_text(raw)
            return self.resolve(column.ref, text, values) if text else None
        raise AssertionError(kind)

    def resolve(self, ref_name: str, text: str, values: dict):
        ref = REFS[ref_name]
        model = apps.get_model(ref.model)
        if ref_name in CODE_REFS:
            text = self.rename.get(text, text)
        if ref.scope == "key":
            pk = self.lookup_key(ref.model.lower(), text)
            obj = model._default_manager.filter(pk=pk).first() if pk else None
            if obj is None:
                self.follow_ons.check(ref.sheet, text)
                raise cells.CellError(f"{ref.noun} „{text}“ nicht gefunden: kein Schlüssel in der Tabelle "
                                      f"„{ref.sheet}“.")
            return obj
        if ref.scope == "parent_pass_through":
            obj = model._default_manager.filter(decision=values.get("decision"), parent__isnull=True,
                                                recipient__name=text).first()
            if obj is None:
                raise cells.CellError(f"„{text}“ erhält aus diesem Bescheid nichts auf erster Stufe; die Weiterleitung "
                                      "an den Erstempfänger fehlt in dieser Tabelle.")
            return obj
        if ref.scope == "county":
            obj = model._default_manager.filter(**{ref.path: self.county, ref.field: text}).first()
            if obj is None:
                self.follow_ons.check(ref.sheet, text)
                raise cells.CellError(f"{ref.noun} „{text}“ nicht gefunden (Tabelle „{ref.sheet}“).")
            return obj
        obj = model._default_manager.filter(**{ref.field: text}).first()
        if obj is None:
            self.follow_ons.check(ref.sheet, text)
            raise cells.CellError(f"Unbekanntes Kürzel „{text}“: {ref.noun} nicht gefunden.")
        owner = owner_id(obj, ref.path)
        if ref.scope == "own" and owner != self.county.pk:
            raise cells.CellError(f"„{text}“ gehört nicht zu den eigenen Programmen des Kreises; hier stehen nur "
                                  "eigene Programme (Landesdaten werden mit ihrem Kürzel genannt).")
        if owner not in (None, self.county.pk):
            raise cells.CellError(f"{ref.noun} „{text}“ gehört zu einem anderen Kreis.")
        return obj

    def lookup_key(self, label: str, text: str) -> int | None:
        """The record a "Schlüssel" names: this import's rows, a stored key, or an exported ``S12``-style key."""
        if text in self.keys[label]:
            return self.keys[label][text]
        stored = RowKey.objects.filter(county=self.county, model=label, key=text).values_list("object_id", flat=True)
        if stored:
            return stored[0]
        sheet = next(s for s in active_sheets() if s.label == label)
        match = re.fullmatch(rf"{sheet.key_prefix}(\d+)", text)
        if match:
            pk = int(match[1])
            exists = sheet.model_class._default_manager.filter(pk=pk, **{sheet.county_path: self.county}).exists()
            if exists and not RowKey.objects.filter(county=self.county, model=label, object_id=pk).exists():
                return pk
        return None

    # ------------------------------------------------------------------ records

    def find(self, sheet, model, values):
        if sheet.title == "Kreis":
            return County.objects.filter(slug=values["slug"]).first()
        if sheet.row_key:
            pk = self.lookup_key(sheet.label, values[KEY])
            return model._default_manager.get(pk=pk) if pk else None
        lookup = {f: values.get(f) for f in sheet.key}
        if sheet.global_key:
            obj = model._default_manager.filter(**lookup).first()
            if obj is not None and owner_id(obj, sheet.county_path) != self.county.pk:
                owner = owner_id(obj, sheet.county_path)
                where = (f"beim Kreis „{County.objects.get(pk=owner).name}“" if owner else
                         ("bei der Administration" if sheet.title == "Benutzer" else "bei den Landesdaten"))
                raise cells.CellError(f"„{next(iter(lookup.values()))}“ gibt es schon {where}; bitte einen anderen "
                                      "Wert wählen.")
            return obj
        return model._default_manager.filter(**{sheet.county_path: self.county}, **lookup).first()

    def apply(self, sheet, model, present, number, values, obj, outcome) -> bool:
        """Create or update the row's record (not saved if nothing changed); False if it is invalid."""
        adding = obj is None
        if adding:
            obj = model()
            if sheet.county_path == "county":
                obj.county = self.county
            if sheet.title == "Wertgrenzen-Stufen":
                from provisions.models import ProvisionStatute

                obj.statute = ProvisionStatute.objects.get_or_create(county=self.county)[0]
            if sheet.title == "Benutzer":
                obj.set_unusable_password()
        changes = []
        for column in present:
            if column.field in (KEY, ROLE):
                continue
            new = values[column.field]
            if adding:
                setattr(obj, column.field, new)
                continue
            old = getattr(obj, column.field)
            if not _same(old, new):
                changes.append((column.header, show(model, column.field, old), show(model, column.field, new)))
                setattr(obj, column.field, new)
        role = values.get(ROLE)
        if role and not adding and role_of(obj) != role:
            changes.append(("Rolle", role_of(obj) or "—", role))
        try:
            obj.full_clean()
        except ValidationError as exc:
            self._clean_problems(sheet, model, number, exc, obj)
            return False
        if adding or changes:
            if not adding and hasattr(obj, "version"):
                obj.version += 1
            if self.user is not None:
                obj._history_user = self.user
            obj._change_reason = CHANGE_REASON
            obj.save()
            if role:
                obj.groups.set([Group.objects.get(name=role)])
            if adding and sheet.title == "Benutzer":
                self.new_users.append((obj.username, obj.pk))
        if sheet.title == "Kreis":
            self.county, self.new_county = obj, adding
        if sheet.row_key:
            self.keys[sheet.label][values[KEY]] = obj.pk
            if adding:
                RowKey.objects.create(county=self.county, model=sheet.label, key=values[KEY], object_id=obj.pk)
        self.rows_of[(sheet.label, obj.pk)] = (sheet.title, number)
        self.touched[sheet.label].add(obj.pk)
        action = NEW if adding else (CHANGED if changes else SAME)
        label = row_label(sheet, self.county, obj, key=values.get(KEY), writer=self.writer())
        outcome.rows.append(RowOutcome(number, label, action, changes))
        return True

    def _clean_problems(self, sheet, model, number, exc: ValidationError, obj):
        # A unique constraint reports itself for the whole record; its column is the constraint's first field.
        by_message = {str(c.violation_error_message): c.fields[0] for c in model._meta.constraints
                      if isinstance(c, models.UniqueConstraint) and c.fields and c.violation_error_message}
        for name, errors in exc.error_dict.items():
            for error in errors:
                message = " ".join(error.messages)
                fields = (error.params or {}).get("unique_check") if error.code in ("unique", "unique_together") \
                    else None
                if fields:
                    name = next((f for f in fields if sheet.column(f)), fields[0])
                    message = unique_message(sheet, obj, fields, county_slug=self.county_slug)
                column = sheet.column(by_message.get(message, name) if name == NON_FIELD_ERRORS else name)
                if column is None and name != NON_FIELD_ERRORS and name != KEY:
                    message = f"{model._meta.get_field(name).verbose_name}: {message}"
                self.problem(sheet.title, number, column.header if column else None, message)

    def cross_checks(self):
        self.problems.extend(cross_row_problems(self.county, self.touched, self.rows_of))


def _same(old, new) -> bool:
    if isinstance(old, models.Model) or isinstance(new, models.Model):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    if old in (None, "") and new in (None, ""):
        return True
    return old == new


def show(model, field_name: str, value) -> str:
    """A value as the preview shows it: German numbers ("0,75", "25.727") and dates, labels of choices, "—"."""
    if value not in (None, "") and not isinstance(value, bool):
        choices = dict(model._meta.get_field(field_name).choices or ())
        if value in choices:
            return str(choices[value])
    return show_value(value, thousands=not field_name.endswith("year"))
