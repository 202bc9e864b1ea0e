"""Writes of positions and of the case-management allocation.

Concurrent editing is caught by optimistic locking (kimportal.concurrency): every
write first raises the row's ``version`` from the version the user read.
"""
from collections.abc import Hashable, Iterable
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kimportal.concurrency import claim_version, restore_version_on_error
from kimportal.models import County, Municipality
from kimportal.money import format_fte, format_number, to_decimal

from .models import DAYS_PER_FTE, MIN_HANDOVER_DAYS, AllocationShare, CaseManagementAllocation, Position

K = TypeVar("K", bound=Hashable)

SHARE_FIELDS = {"days", "no_demand", "special_arrangement", "handed_over_to"}


def _assign(instance: models.Model, values: dict[str, Any], *, allowed: Iterable[str]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"{type(instance).__name__}: cannot set {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(instance, name, value)


def _position_fields() -> set[str]:
    """What a caller may set: the editable fields, but not the county a position belongs to."""
    return {f.name for f in Position._meta.concrete_fields if f.editable and not f.primary_key} - {"county"}


# --- positions -----------------------------------------------------------------------------------


def position_create(*, county: County, **fields: Any) -> Position:
    position = Position(county=county)
    _assign(position, fields, allowed=_position_fields())
    position.full_clean()
    with transaction.atomic():
        position.save()
    return position


def position_update(*, position: Position, expected_version: int, **fields: Any) -> Position:
    """Change a position the user loaded at ``expected_version``; the county of a position never changes."""
    _assign(position, fields, allowed=_position_fields())
    with transaction.atomic(), restore_version_on_error(position):
        position.version = claim_version(
            position, expected_version=expected_version,
            message=_("Die Stelle wurde inzwischen von jemand anderem geändert. "
                      "Bitte laden Sie die Seite neu und tragen Sie Ihre Änderungen erneut ein."),
        )
        position.full_clean()
        position.save()
    return position


# --- case-management allocation ------------------------------------------------------------------


def check_capacity(*, capacity_fte: Decimal, total_days: Decimal) -> None:
    """The days handed out never exceed the capacity: 1 FTE = 5 days per working week."""
    capacity_days = capacity_fte * DAYS_PER_FTE
    if total_days > capacity_days:
        raise ValidationError(
            _("Die verteilten Tage (%(days)s) übersteigen die Kapazität von %(capacity)s Tagen (%(fte)s VZÄ × 5)."),
            code="over_capacity",
            params={"days": format_number(total_days, 2), "capacity": format_number(capacity_days, 2),
                    "fte": format_fte(capacity_fte)},
        )


def allocation_update(
    *, allocation: CaseManagementAllocation, shares: dict[int, dict[str, Any]], expected_version: int | None = None
) -> CaseManagementAllocation:
    """Set the shares of the given municipalities (id -> field values); all of them are saved or none.

    Shares of municipalities not in ``shares`` stay as they are but count toward the capacity.
    Without ``expected_version`` the last writer wins.
    """
    municipalities = Municipality.objects.in_bulk(list(shares))
    unknown = [str(pk) for pk in shares if pk not in municipalities]
    if unknown:
        raise ValidationError(_("Unbekannte Kommune: %(ids)s"), code="unknown_municipality",
                              params={"ids": ", ".join(unknown)})
    with transaction.atomic(), restore_version_on_error(allocation):
        allocation.version = claim_version(
            allocation, expected_version=expected_version,
            message=_("Die CM-Einsatzplanung wurde inzwischen von jemand anderem geändert. "
                      "Bitte laden Sie die Seite neu und tragen Sie Ihre Änderungen erneut ein."),
        )
        current = {share.municipality_id: share for share in allocation.shares.all()}
        changed, errors = [], []
        for municipality_id, values in shares.items():
            share = current.get(municipality_id) or AllocationShare(allocation=allocation)
            share.municipality = municipalities[municipality_id]
            _assign(share, values, allowed=SHARE_FIELDS)
            try:
                share.full_clean()
            except ValidationError as exc:
                errors.extend(f"{share.municipality.name}: {message}" for message in exc.messages)
            current[municipality_id] = share
            changed.append(share)
        if errors:
            raise ValidationError(errors)
        total_days = sum((share.days for share in current.values()), Decimal("0"))
        check_capacity(capacity_fte=allocation.capacity_fte, total_days=total_days)
        for share in changed:
            share.save()
    return allocation


def allocation_propose_by_population(
    *, allocation: CaseManagementAllocation, municipalities: Iterable[Municipality]
) -> dict[int, Decimal]:
    """Propose days per municipality by population, to be adjusted by hand and saved with allocation_update.

    Municipalities whose share says "no demand" or has a special arrangement are left out (Troisdorf
    with its own FTE); days such shares or shares of municipalities not passed in already hold are
    taken off the capacity first, so that the proposal fills the allocation exactly.
    """
    current = {share.municipality_id: share for share in allocation.shares.all()}
    candidates = {
        m.pk: m.population for m in municipalities
        if not (m.pk in current and (current[m.pk].no_demand or current[m.pk].special_arrangement))
    }
    held_elsewhere = sum((s.days for pk, s in current.items() if pk not in candidates), Decimal("0"))
    return propose_split(candidates, max(allocation.capacity_days - held_elsewhere, Decimal("0")))


def propose_split(
    populations: dict[K, int], total_days: Decimal, step: Decimal = Decimal("0.5"), minimum: Decimal = MIN_HANDOVER_DAYS
) -> dict[K, Decimal]:
    """Split ``total_days`` in multiples of ``step`` proportionally to ``populations`` (largest remainder).

    No share lies between 0 and ``minimum`` (the guideline funds a share from 0.5 FTE = 2.5 days):
    while one does, the smallest such municipality is dropped and its days go to the others.
    The shares add up to ``total_days`` whenever at least one municipality can reach the minimum
    (and ``total_days`` is a multiple of ``step``; otherwise to the largest multiple below it).
    """
    step, minimum = to_decimal(step), to_decimal(minimum)
    units = int((to_decimal(total_days) / step).to_integral_value(rounding=ROUND_FLOOR))
    order = {key: index for index, key in enumerate(populations)}
    active = [key for key in populations if populations[key] > 0]
    while True:
        counts = _largest_remainder({key: populations[key] for key in active}, units, order)
        too_small = [key for key in active if 0 < counts[key] * step < minimum]
        if not too_small:
            break
        active.remove(min(too_small, key=lambda key: (populations[key], -order[key])))
    return {key: counts.get(key, 0) * step for key in populations}


def _largest_remainder(weights: dict[K, int], units: int, order: dict[K, int]) -> dict[K, int]:
    """Hare-Niemeyer: whole units by quota, the rest to the largest remainders (ties: larger weight, then order)."""
    total = sum(weights.values())
    if not total or units <= 0:
        return {key: 0 for key in weights}
    quotas = {key: Fraction(units * weight, total) for key, weight in weights.items()}
    counts = {key: int(quota) for key, quota in quotas.items()}
    rest = units - sum(counts.values())
    by_remainder = sorted(weights, key=lambda key: (-(quotas[key] - counts[key]), -weights[key], order[key]))
    for key in by_remainder[:rest]:
        counts[key] += 1
    return counts
