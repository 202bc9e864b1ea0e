"""Reads of the provisions app: a county's value limits as provisions.limits.ProvisionLimits (three queries)."""
from __future__ import annotations

from django.db.models import Q

from kimportal.models import County
from programmes.models import Module, Programme

from .limits import ProvisionLimits
from .models import ProgrammeSpendingKind, ProvisionStage, ProvisionStatute
from .rules import VOLUNTARY


def visible_programmes(county: County):
    """The Land's programmes and the county's own: those whose spending kind the county records."""
    return Programme.objects.filter(Q(county__isnull=True) | Q(county=county)).order_by("name", "pk")


def programme_kinds(county: County) -> dict[int, ProgrammeSpendingKind]:
    """The recorded kind of spending per programme id."""
    return {row.programme_id: row for row in ProgrammeSpendingKind.objects.filter(county=county)}


def provision_limits(county: County) -> ProvisionLimits:
    """The county's stages (none where it recorded no statute) and the kind of spending of every module."""
    statute = ProvisionStatute.objects.filter(county=county).first()
    stages = () if statute is None else tuple(
        stage.as_rule() for stage in ProvisionStage.objects.filter(statute=statute))
    recorded = dict(ProgrammeSpendingKind.objects.filter(county=county).values_list("programme_id", "spending_kind"))
    module_kinds, module_programmes = {}, {}
    modules = Module.objects.filter(Q(programme__county__isnull=True) | Q(programme__county=county)).values_list(
        "code", "programme_id", "programme__name")
    for code, programme_id, name in modules:
        module_kinds[code] = (recorded.get(programme_id, VOLUNTARY), programme_id in recorded)
        module_programmes[code] = name
    return ProvisionLimits(county=county.name, source=statute.source if statute else "", stages=stages,
                           module_kinds=module_kinds, module_programmes=module_programmes)
