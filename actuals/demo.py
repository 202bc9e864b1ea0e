"""The demo's actual costs: fixtures/70_actuals.csv, read by load_demo through the same importer as any file.

January to June 2022 for the Rhein-Sieg-Kreis's KIM positions (payroll export, Personalkosten only): each
position's monthly share of its KGSt workplace cost (FTE × annual cost / 12), from April 2022 1.8 % more (the
TVöD pay rise of 01.04.2022). Case Management in den Kommunen 7 (KI-B2-11) was vacant January to March: 0,00 €.
Troisdorf's own case manager (KI-B2-04) is not in the county's payroll. Loading again changes nothing and records
no second import.
"""
from pathlib import Path

from django.core.management.base import CommandError

from kimportal.models import County

from .parsing import ActualsFileInvalid
from .services import ImportPlan, actuals_import

DEMO_FILES = {"70_actuals.csv": "rhein-sieg-kreis"}
DEMO_ORIGIN = "Demodaten (load_demo)"  # who the import list names for the demo's import


def import_fixture_actuals(directory: Path) -> list[ImportPlan]:
    """Import the demo's actual-cost files found in ``directory``; CommandError (one German line) on a problem.

    A file whose figures are all in the database already is skipped (no new ImportBatch).
    """
    plans = []
    for name, slug in DEMO_FILES.items():
        path = Path(directory) / name
        county = County.objects.filter(slug=slug).first()
        if not path.is_file() or county is None:
            continue
        content = path.read_bytes()
        try:
            preview = actuals_import(county=county, content=content, file_name=name, dry_run=True)
            if preview.changes_anything:
                plans.append(actuals_import(county=county, content=content, file_name=name, origin=DEMO_ORIGIN))
        except ActualsFileInvalid as exc:
            raise CommandError(f"{name}: {exc.errors[0]}") from None
    return plans
