"""Each county's single value limit (County.council_threshold) becomes stages of its statute.

Until now an unplanned provision of an amount >= the limit needed the council, anything below it the
treasurer alone. Statutes write "bis" and include the amount (DOMAIN.md), so the faithful stages are:
the treasurer up to and including the limit − 0,01 €, the council above (from the limit on). A limit of
0,01 € leaves only the council's stage. Counties without a limit get no statute. kimportal 0004 then
removes the old field; going back, the limit is restored from the stages.
"""
from decimal import Decimal

from django.db import migrations

CENT = Decimal("0.01")
TREASURER = "Kämmerer/in"
COUNCIL = "Kreistag / Kreisausschuss"


def german(amount: Decimal) -> str:
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text.removesuffix(",00") + " €"


def threshold_to_stages(apps, schema_editor):
    County = apps.get_model("kimportal", "County")
    Statute = apps.get_model("provisions", "ProvisionStatute")
    Stage = apps.get_model("provisions", "ProvisionStage")
    for county in County.objects.filter(council_threshold__gt=0).order_by("pk"):
        threshold = county.council_threshold
        statute, _ = Statute.objects.get_or_create(county=county, defaults={"note": (
            f"Übernommen aus der bisherigen Wertgrenze von {german(threshold)} („ab diesem Betrag vorher der "
            f"Kreistag“): Kämmerer/in bis einschließlich {german(threshold - CENT)}, darüber Kreistag / "
            "Kreisausschuss. Bitte mit der Haushaltssatzung abgleichen und die Rechtsgrundlage ergänzen.")})
        if Stage.objects.filter(statute=statute).exists():
            continue
        if threshold - CENT > 0:
            Stage.objects.create(statute=statute, spending_kind="all", upper_limit=threshold - CENT, body=TREASURER)
        Stage.objects.create(statute=statute, spending_kind="all", upper_limit=None, body=COUNCIL)


def stages_to_threshold(apps, schema_editor):
    """The old limit from the stages: the council from one cent above the highest closed stage; where the
    statute distinguishes kinds, the lower of the two (the council more often, never less)."""
    County = apps.get_model("kimportal", "County")
    Stage = apps.get_model("provisions", "ProvisionStage")
    limits: dict = {}
    for stage in Stage.objects.select_related("statute").order_by("pk"):
        county_limits = limits.setdefault(stage.statute.county_id, {})
        kind = county_limits.setdefault(stage.spending_kind, Decimal(0))
        if stage.upper_limit is not None:
            county_limits[stage.spending_kind] = max(kind, stage.upper_limit)
    for county_id, by_kind in limits.items():
        County.objects.filter(pk=county_id).update(council_threshold=min(by_kind.values()) + CENT)


class Migration(migrations.Migration):

    dependencies = [
        ("provisions", "0001_initial"),
        ("kimportal", "0003_council_threshold_optional"),
    ]

    operations = [
        migrations.RunPython(threshold_to_stages, stages_to_threshold),
    ]
