"""Writes of the provisions app: a county's value limits and programme kinds, saved together or not at all."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from programmes.models import Programme

from . import rules
from .models import ProgrammeSpendingKind, ProvisionStage, ProvisionStatute


class StageChanges(NamedTuple):
    added: list[ProvisionStage]
    changed: list[ProvisionStage]
    deleted: list[ProvisionStage]


def stages_replace(*, statute: ProvisionStatute, stages: Sequence[rules.Stage]) -> StageChanges:
    """Give a saved statute exactly ``stages``; rows are matched by kind and limit.

    A stage whose kind and limit stay keeps its row (and history), changing only body or label; the
    others are deleted before new ones are added, so that swapping two limits never meets the unique
    constraints half-way. Nothing unchanged is written. Returns the rows added, changed and deleted.
    """
    errors = rules.stage_errors(stages, entered_order=False)  # a set: the order of entry is the form's concern
    if errors:
        raise ValidationError(errors)
    wanted = {(stage.kind, stage.upper_limit): stage for stage in stages}
    existing = {(row.spending_kind, row.upper_limit): row for row in statute.stages.all()}
    changes = StageChanges([], [], [])
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
            changes.deleted.append(row)
    for key, stage in wanted.items():
        row = existing.get(key)
        if row is None:
            row = ProvisionStage(statute=statute, spending_kind=stage.kind, upper_limit=stage.upper_limit)
            changes.added.append(row)
        elif (row.body, row.label) == (stage.body, stage.label):
            continue
        else:
            changes.changed.append(row)
        row.body, row.label = stage.body, stage.label
        row.full_clean()
        row.save()
    return changes


def programme_kinds_update(*, county, kinds: Mapping[int, tuple[str, str]]) -> None:
    """Record per programme id its kind of spending and the reason; kind "" removes the entry (the
    programme then counts as voluntary). Programmes of other counties are refused."""
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in=kinds)}
    rows = {row.programme_id: row for row in ProgrammeSpendingKind.objects.filter(county=county,
                                                                                   programme_id__in=kinds)}
    for programme_id, (kind, reason) in kinds.items():
        row = rows.get(programme_id)
        if not kind:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = ProgrammeSpendingKind(county=county, programme=programmes[programme_id])
        elif (row.spending_kind, row.reason) == (kind, reason):
            continue
        row.spending_kind, row.reason = kind, reason
        row.full_clean()
        row.save()


def provision_limits_update(*, statute: ProvisionStatute, stages: Sequence[rules.Stage],
                            programme_kinds: Mapping[int, tuple[str, str]] | None = None) -> ProvisionStatute:
    """Save a county's statute (source, note), its stages and its programmes' kinds in one transaction.

    The caller claims the statute's version first where it was edited in the browser
    (kimportal.concurrency); any invalid part raises ValidationError and nothing is saved.
    """
    with transaction.atomic():
        statute.full_clean()
        statute.save()
        stages_replace(statute=statute, stages=stages)
        if programme_kinds is not None:
            programme_kinds_update(county=statute.county, kinds=programme_kinds)
    return statute
