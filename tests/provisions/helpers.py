"""Recording a county's value limits in tests, as the edit page does (provisions.services)."""
from decimal import Decimal

from provisions import rules
from provisions.models import ProvisionStatute
from provisions.services import provision_limits_update

CENT = Decimal("0.01")


def record_stages(county, *stages, source: str = "") -> ProvisionStatute:
    """Give ``county`` exactly these stages: (kind, upper limit as a string or None, body[, label])."""
    statute, _ = ProvisionStatute.objects.get_or_create(county=county)
    statute.source = source or statute.source
    return provision_limits_update(statute=statute, stages=[
        rules.Stage(kind, Decimal(limit) if limit is not None else None, body, *label)
        for kind, limit, body, *label in stages])


def record_council_from(county, threshold: str) -> ProvisionStatute:
    """One value limit as County.council_threshold had it — from ``threshold`` on the council — converted as
    provisions migration 0002 converts it: the treasurer up to and including threshold − 0,01 €."""
    return record_stages(county, (rules.ALL, str(Decimal(threshold) - CENT), rules.TREASURER),
                         (rules.ALL, None, rules.COUNCIL))
