"""Each municipality's one undated Umlagegrundlagen (Municipality.levy_basis) becomes a LevyBasis.

The old field had no year; the amount is taken as the Umlagegrundlagen of the year the migration runs, with a
source that says where it came from, so the finance officer can correct the year. Empty values (the demo's, and
most counties') are skipped; a year that already has a record is left alone. kimportal 0006 then removes the field.
Going back, each municipality's latest year is written back into the field.
"""
from django.db import migrations
from django.utils import timezone

SOURCE = "aus dem Feld Umlagegrundlagen der Kommune übernommen"


def field_to_bases(apps, schema_editor):
    Municipality = apps.get_model("kimportal", "Municipality")
    LevyBasis = apps.get_model("levy", "LevyBasis")
    year = timezone.localdate().year
    for municipality in Municipality.objects.filter(levy_basis__isnull=False).order_by("pk"):
        LevyBasis.objects.get_or_create(municipality=municipality, fiscal_year=year,
                                        defaults={"amount": municipality.levy_basis, "source": SOURCE})


def bases_to_field(apps, schema_editor):
    Municipality = apps.get_model("kimportal", "Municipality")
    LevyBasis = apps.get_model("levy", "LevyBasis")
    for basis in LevyBasis.objects.order_by("municipality_id", "fiscal_year"):
        # Later years overwrite earlier ones: the field keeps the latest.
        Municipality.objects.filter(pk=basis.municipality_id).update(levy_basis=basis.amount)


class Migration(migrations.Migration):

    dependencies = [
        ("levy", "0001_initial"),
        ("kimportal", "0005_county_keys_and_districts"),
    ]

    operations = [
        migrations.RunPython(field_to_bases, bases_to_field),
    ]
