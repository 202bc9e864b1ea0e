"""Export a county's whole plan as one workbook: ``manage.py export_county SLUG -o FILE.xlsx``."""
from pathlib import Path

from django.core.management.base import CommandError

from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from workbook.exporter import export_county


class Command(OneLineErrorCommand):
    help = "Schreibt die Daten eines Kreises als Arbeitsmappe (XLSX, Format docs/workbook.md)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Kürzel des Kreises, z. B. rhein-sieg-kreis")
        parser.add_argument("-o", "--output", required=True, help="Zieldatei, z. B. rhein-sieg-kreis.xlsx")

    def handle(self, *args, slug, output, **options):
        try:
            county = County.objects.get(slug=slug)
        except County.DoesNotExist:
            known = ", ".join(County.objects.values_list("slug", flat=True)) or "keine"
            raise CommandError(f"Unbekannter Kreis {slug!r} (bekannt: {known}).") from None
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"Das Verzeichnis {target.parent} gibt es nicht.")
        book = export_county(county)
        try:
            book.save(target)
        except OSError as exc:
            raise CommandError(f"{target} kann nicht geschrieben werden: {exc.strerror or exc}.") from None
        self.stdout.write(f"Arbeitsmappe von {county.name} geschrieben: {target}")
