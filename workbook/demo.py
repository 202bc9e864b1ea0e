"""Demo counties kept as workbooks in fixtures/ (``NN_<slug>.xlsx``), imported through the same importer.

For load_demo, after the YAML fixtures: ``import_fixture_workbooks(FIXTURES)``. Each import updates the county
in place, so load_demo stays safe to run any number of times.
"""
from pathlib import Path

from django.core.management.base import CommandError

from .importer import ImportResult, import_workbook
from .reader import WorkbookInvalid


def import_fixture_workbooks(directory: Path) -> list[ImportResult]:
    """Import every ``*.xlsx`` of ``directory`` in name order; CommandError (one German line) on a problem."""
    results = []
    for path in sorted(Path(directory).glob("*.xlsx")):
        try:
            results.append(import_workbook(path))
        except WorkbookInvalid as exc:
            raise CommandError(f"{path.name}: {exc.problems[0]}") from None
    return results
