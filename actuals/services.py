"""Writes of actual costs: import a file (or preview it), undo an import, enter and correct figures by hand.

The rule of every write: one figure per position, month and cost type; a new one replaces the old, never adds to
it. An import is all or nothing (a bad row refuses the file, nothing is saved) and is recorded as an ImportBatch
whose rows keep the replaced values, so undoing it restores them. Every change writes history
(django-simple-history, also for the bulk writes of an import).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kimportal.money import format_money
from kimportal.models import County
from programmes.choices import CostType
from staffing.models import Position

from .models import ActualCost, ImportBatch, ImportedRow
from .parsing import ActualRow, read_actuals
from .selectors import cost_type_names, position_numbers, position_terms

NEW, REPLACED, UNCHANGED = "neu", "ersetzt", "unverändert"


def count_of(number: int, singular: str, plural: str) -> str:
    """"1 Zeile", "2 Zeilen", "0 Zeilen": the number with the noun in the right form."""
    return f"{number} {singular if number == 1 else plural}"


class ActualsRefused(Exception):
    """A write that is refused as a whole (an undo after later changes, a stale entry page); German message."""


@dataclass(frozen=True)
class PlannedRow:
    """A file row and what importing it does: ``action`` is NEW, REPLACED or UNCHANGED; ``previous`` the figure
    it replaces (None: none)."""

    row: ActualRow
    position_title: str
    previous: ActualCost | None
    previous_amount: Decimal | None = None  # as it was when planned (the import then changes ``previous``)

    @classmethod
    def of(cls, row: ActualRow, position_title: str, previous: ActualCost | None) -> PlannedRow:
        return cls(row, position_title, previous, previous.amount if previous is not None else None)

    @property
    def action(self) -> str:
        if self.previous_amount is None:
            return NEW
        return UNCHANGED if self.previous_amount == self.row.amount else REPLACED

    @property
    def cost_type_label(self) -> str:
        return CostType(self.row.cost_type).label


@dataclass
class ImportPlan:
    """What an import of a file does (the preview) or did (``batch`` set once saved)."""

    file_name: str
    rows: list[PlannedRow]
    batch: ImportBatch | None = None
    totals: dict[date, Decimal] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # German, one line each; the import goes ahead

    def __post_init__(self):
        totals: dict[date, Decimal] = defaultdict(Decimal)
        for planned in self.rows:
            totals[planned.row.month] += planned.row.amount
        self.totals = dict(sorted(totals.items()))

    def count(self, action: str) -> int:
        return sum(1 for planned in self.rows if planned.action == action)

    @property
    def replaced(self) -> list[PlannedRow]:
        return [planned for planned in self.rows if planned.action == REPLACED]

    @property
    def changes_anything(self) -> bool:
        return any(planned.action != UNCHANGED for planned in self.rows)

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), Decimal("0"))

    def summary(self) -> str:
        """"120 Zeilen: 100 neu, 12 ersetzt, 8 unverändert" ("1 Zeile: 1 neu, …")."""
        return (f"{count_of(len(self.rows), 'Zeile', 'Zeilen')}: {self.count(NEW)} neu, "
                f"{self.count(REPLACED)} ersetzt, {self.count(UNCHANGED)} unverändert")

    def totals_json(self) -> dict[str, str]:
        return {f"{month:%Y-%m}": str(amount) for month, amount in self.totals.items()}


def _existing(county: County, keys) -> dict[tuple[int, date, str], ActualCost]:
    keys = list(keys)
    if not keys:
        return {}
    rows = ActualCost.objects.filter(county=county, position_id__in={k[0] for k in keys},
                                     month__in={k[1] for k in keys})
    wanted = set(keys)
    return {(r.position_id, r.month, r.cost_type): r for r in rows if (r.position_id, r.month, r.cost_type) in wanted}


def actuals_import(*, county: County, content: bytes, file_name: str, user=None, origin: str = "",
                   mapping: Mapping[str, str] | None = None, fixed_cost_type: str | None = None,
                   dry_run: bool = False) -> ImportPlan:
    """Read ``content`` (a CSV or XLSX file, see actuals.parsing) into the county's actual costs.

    ``mapping``: header → field for other layouts; ``fixed_cost_type``: a cost-type code for files without a
    Kostenart column. ``dry_run``: only the plan (the preview), nothing saved. Otherwise, in one transaction: an
    ImportBatch, its rows with the replaced values, and the new figures (with history, ``user`` as author;
    ``origin`` names the author where there is no user, e.g. "Kommandozeile (kim)").
    Refused (actuals.parsing.ActualsFileInvalid, every error, nothing saved): any bad cell, a month after the
    current one, a month outside its position's term (start_on to end_on). A position still "geplant" in the
    staffing plan is imported with a warning in ``plan.warnings``: actual costs say it is filled or vacant.
    """
    rows = read_actuals(content, file_name, positions=position_numbers(county), cost_types=cost_type_names(),
                        mapping=mapping, fixed_cost_type=fixed_cost_type, terms=position_terms(county),
                        last_month=timezone.localdate().replace(day=1))
    found = {pk: (title, number, status) for pk, title, number, status in Position.objects.filter(
        pk__in={r.position_id for r in rows}).values_list("pk", "title", "position_number", "status")}
    warnings = [f"Stelle {number} ist im Stellenplan noch als „{Position.Status.PLANNED.label}“ geführt – "
                "Status prüfen." for _, number, status in sorted(found.values(), key=lambda f: f[1])
                if status == Position.Status.PLANNED]
    with transaction.atomic():
        existing = _existing(county, (r.key for r in rows))
        plan = ImportPlan(file_name=file_name, warnings=warnings,
                          rows=[PlannedRow.of(row, found[row.position_id][0], existing.get(row.key)) for row in rows])
        if dry_run:
            return plan
        now = timezone.now()
        batch = ImportBatch.objects.create(county=county, user=user, origin="" if user else origin[:150],
                                           created_at=now, file_name=file_name[:255], rows=len(rows),
                                           totals=plan.totals_json())
        lines, new, changed = [], [], []
        for planned in plan.rows:
            row, previous = planned.row, planned.previous
            lines.append(ImportedRow(
                batch=batch, line=row.line, position_id=row.position_id, month=row.month, cost_type=row.cost_type,
                amount=row.amount, previous_amount=previous.amount if previous else None,
                previous_batch_id=previous.batch_id if previous else None,
                previous_entered_by_id=previous.entered_by_id if previous else None,
                previous_entered_at=previous.entered_at if previous else None))
            if previous is None:
                new.append(ActualCost(county=county, position_id=row.position_id, month=row.month,
                                      cost_type=row.cost_type, amount=row.amount, batch=batch, entered_by=user,
                                      entered_at=now))
            else:
                previous.amount, previous.batch, previous.entered_by, previous.entered_at = row.amount, batch, user, now
                changed.append(previous)
        ImportedRow.objects.bulk_create(lines)
        reason = f"Import Nr. {batch.pk} ({batch.file_name})"
        if new:
            bulk_create_with_history(new, ActualCost, default_user=user, default_change_reason=reason)
        # One save per replaced figure: a bulk update would write MoneyField values as SQL expressions, which
        # kimportal.fields cannot quantize; replaced figures are the few, new ones the many.
        _save_each(changed, user=user, reason=reason)
        plan.batch = batch
    return plan


def _save_each(figures: list[ActualCost], *, user, reason: str) -> None:
    """Save each figure with a history row naming ``user`` and ``reason``."""
    for figure in figures:
        figure._history_user, figure._change_reason = user, reason
        figure.save(update_fields=["amount", "batch", "entered_by", "entered_at"])


def _label(position_title: str, month: date, cost_type: str) -> str:
    return f"{position_title}, {month:%m.%Y}, {CostType(cost_type).label}"


@dataclass(frozen=True)
class UndoPlan:
    """What undoing ``batch`` does: ``restored`` rows get the value they replaced back, ``removed`` rows had
    none before and go. ``conflicts`` (German, one per figure) name the figures changed since, which refuse it.
    """

    batch: ImportBatch
    restored: list[ImportedRow]
    removed: list[ImportedRow]
    conflicts: list[str]

    @property
    def count(self) -> int:
        return len(self.restored) + len(self.removed)

    @property
    def months(self) -> list[date]:
        return sorted({line.month for line in self.restored + self.removed})

    @property
    def restored_total(self) -> Decimal:
        """The euros the restored figures have again (their values before the import)."""
        return sum((line.previous_amount for line in self.restored), Decimal("0"))

    @property
    def replaced_total(self) -> Decimal:
        """The euros of the import that the restored figures give up."""
        return sum((line.amount for line in self.restored), Decimal("0"))

    @property
    def removed_total(self) -> Decimal:
        return sum((line.amount for line in self.removed), Decimal("0"))

    def summary(self) -> str:
        """"12 Werte wiederhergestellt, 1 entfernt"."""
        return f"{count_of(len(self.restored), 'Wert', 'Werte')} wiederhergestellt, {len(self.removed)} entfernt"

    def refusal(self) -> str:
        """Why the undo is refused (only when there are conflicts)."""
        shown = "; ".join(self.conflicts[:3])
        more = f" und {len(self.conflicts) - 3} weitere" if len(self.conflicts) > 3 else ""
        changed = "wurde" if len(self.conflicts) == 1 else "wurden"
        return (f"{self.batch} wurde nicht rückgängig gemacht: {len(self.conflicts)} seiner Werte {changed} danach "
                f"geändert – {shown}{more}. Bitte zuerst den späteren Import rückgängig machen oder die Werte von "
                "Hand korrigieren.")


def import_batch_undo_plan(batch: ImportBatch) -> UndoPlan:
    """What undoing ``batch`` would do now (the confirmation page; import_batch_undo checks it again)."""
    lines = list(batch.lines.select_related("position").order_by("month", "position__title", "cost_type"))
    current = _existing(batch.county, ((r.position_id, r.month, r.cost_type) for r in lines))
    conflicts = []
    for line in lines:
        now_there = current.get((line.position_id, line.month, line.cost_type))
        if now_there is None or now_there.batch_id != batch.pk or now_there.amount != line.amount:
            later = ("gelöscht" if now_there is None else f"jetzt {format_money(now_there.amount, 2)} aus "
                     + (f"Import Nr. {now_there.batch_id}" if now_there.batch_id else "einer Eingabe von Hand"))
            conflicts.append(f"{_label(line.position.title, line.month, line.cost_type)} ({later})")
    return UndoPlan(batch=batch, conflicts=conflicts,
                    restored=[line for line in lines if line.previous_amount is not None],
                    removed=[line for line in lines if line.previous_amount is None])


def import_batch_undo(*, batch: ImportBatch, user=None, origin: str = "") -> UndoPlan:
    """Undo ``batch`` as a whole: every figure it set goes back to the value it replaced, or is removed where
    there was none. Returns what was done (``.summary()``: "1 Wert wiederhergestellt, 1 entfernt").

    ``user`` (or, without one, ``origin``, e.g. "Kommandozeile (kim)") is recorded as who undid it.
    Refused (ActualsRefused, nothing changed) when the batch is already undone, or when a figure it set was
    changed since (by a later import or by hand): that change would be lost, so it is undone first.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.undone_at is not None:
            raise ActualsRefused(f"{batch} wurde schon am {timezone.localtime(batch.undone_at):%d.%m.%Y %H:%M} "
                                 "rückgängig gemacht.")
        plan = import_batch_undo_plan(batch)
        if plan.conflicts:
            raise ActualsRefused(plan.refusal())
        lines = plan.restored + plan.removed
        current = _existing(batch.county, ((r.position_id, r.month, r.cost_type) for r in lines))
        reason = f"{batch} rückgängig gemacht"
        for line in plan.removed:
            figure = current[(line.position_id, line.month, line.cost_type)]
            figure._change_reason, figure._history_user = reason, user
            figure.delete()
        restored = []
        for line in plan.restored:
            figure = current[(line.position_id, line.month, line.cost_type)]
            figure.amount, figure.batch_id = line.previous_amount, line.previous_batch_id
            figure.entered_by_id, figure.entered_at = line.previous_entered_by_id, line.previous_entered_at
            restored.append(figure)
        _save_each(restored, user=user, reason=reason)
        batch.undone_at, batch.undone_by = timezone.now(), user
        batch.undone_origin = "" if user else origin[:150]
        batch.save(update_fields=["undone_at", "undone_by", "undone_origin"])
    return plan


@dataclass(frozen=True)
class GridChanges:
    created: int = 0
    changed: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return f"{self.created} neu, {self.changed} geändert, {self.removed} entfernt"


def actual_costs_update(*, position: Position, values: Mapping[tuple[date, str], Decimal | None],
                        loaded: Mapping[tuple[date, str], Decimal | None], user=None) -> GridChanges:
    """Enter or correct ``position``'s figures by hand: ``values`` (month, cost type) → euros, None to remove.

    ``loaded``: the figures the page showed. A cell the user changed whose figure changed meanwhile (another
    user, an import) refuses the whole save (ActualsRefused), so nobody's change is lost; cells the user left
    alone are not touched. Each change writes history with ``user``.
    """
    with transaction.atomic():
        current = {(r.month, r.cost_type): r for r in ActualCost.objects.filter(position=position,
                                                                                month__in={k[0] for k in values})}
        edited = {key: value for key, value in values.items() if value != loaded.get(key)}
        stale = [key for key in edited if (current[key].amount if key in current else None) != loaded.get(key)]
        if stale:
            cells = "; ".join(f"{month:%m.%Y} {CostType(cost_type).label}" for month, cost_type in sorted(stale)[:3])
            raise ActualsRefused(f"Die Ist-Kosten wurden inzwischen geändert ({cells}); es wurde nichts gespeichert. "
                                 "Unten stehen die aktuellen Werte; bitte die Eingabe wiederholen.")
        created = changed = removed = 0
        now = timezone.now()
        for (month, cost_type), value in sorted(edited.items()):
            figure = current.get((month, cost_type))
            if value is None:
                if figure is not None:
                    figure._history_user = user
                    figure.delete()
                    removed += 1
                continue
            if figure is None:
                figure = ActualCost(county_id=position.county_id, position=position, month=month, cost_type=cost_type)
                created += 1
            else:
                changed += 1
            figure.amount, figure.batch, figure.entered_by, figure.entered_at = value, None, user, now
            figure._history_user = user
            figure.full_clean()
            figure.save()
    return GridChanges(created, changed, removed)
