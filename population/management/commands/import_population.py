"""Import IT.NRW's population table (Landesdatenbank NRW, 12411-01ir / 12411-02i) into the municipalities.

    manage.py import_population FILE [--county SLUG] [--as-of 31.12.2021] [--source TEXT] [--dry-run]

Prints one line per municipality (old → new), then what was missing or ignored. Bad input – an unreadable
file, no key column, a non-numeric population, a date that does not exist – is one German line on stderr
and a non-zero exit; nothing is saved.
"""
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from kimportal.money import format_number
from population.itnrw import PopulationFileError, parse_date, read_population_file
from population.services import population_import


def unknown_line(count: int, county) -> str:
    """The line for the file's Gemeinden that match no municipality in scope: they are skipped, and why."""
    subject = "1 Gemeinde der Datei gehört" if count == 1 else f"{count} Gemeinden der Datei gehören"
    if county is not None:
        return f"{subject} nicht zum Kreis „{county}“ und {'bleibt' if count == 1 else 'bleiben'} unberücksichtigt."
    return f"{subject} zu keiner hier erfassten Kommune und {'bleibt' if count == 1 else 'bleiben'} unberücksichtigt."


class Command(OneLineErrorCommand):
    help = ("Liest die Einwohnerzahlen der Gemeinden aus der Tabelle von IT.NRW (Landesdatenbank NRW, "
            "Bevölkerungsstand 12411-01ir, CSV oder XLSX) und ordnet sie über den Gemeindeschlüssel (AGS) zu.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV- oder XLSX-Export der Landesdatenbank NRW")
        parser.add_argument("--county", help="nur die Kommunen dieses Kreises (Kürzel, z. B. rhein-sieg-kreis)")
        parser.add_argument("--as-of", dest="as_of", help="Stichtag TT.MM.JJJJ, falls die Datei keinen nennt")
        parser.add_argument("--source", default="", help="Quellenangabe statt der aus der Datei gelesenen")
        parser.add_argument("--dry-run", action="store_true", help="nur anzeigen, nichts speichern")

    def handle(self, *args, file=None, county=None, as_of=None, source="", dry_run=False, **options):
        if not file:
            raise CommandError("Bitte die Datei angeben: manage.py import_population DATEI.csv "
                               "[--county KÜRZEL] [--dry-run].")
        body = None
        if county:
            try:
                body = County.objects.get(slug=county)
            except County.DoesNotExist:
                known = ", ".join(County.objects.values_list("slug", flat=True)) or "keine"
                raise CommandError(f"Unbekannter Kreis {county!r} (bekannt: {known}).") from None
        try:
            stichtag = None
            if as_of:
                stichtag = parse_date(as_of)
                if stichtag is None:
                    raise PopulationFileError(f"--as-of erwartet ein Datum TT.MM.JJJJ, nicht {as_of!r}.")
            table = read_population_file(file)
            result = population_import(table=table, county=body, as_of=stichtag, source=source, dry_run=dry_run)
        except PopulationFileError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

        out = self.stdout.write
        out(f"Einwohnerzahlen {result.source}, Stand {result.as_of:%d.%m.%Y}:")
        for change in result.changes:
            old = format_number(change.old_population)
            old_date = f" ({change.old_as_of:%d.%m.%Y})" if change.old_as_of else ""
            if (change.old_population, change.old_as_of) != (change.new_population, change.new_as_of):
                line = f"{old}{old_date} → {format_number(change.new_population)}"
            elif change.changed:
                line = f"{format_number(change.new_population)} unverändert, Quelle ersetzt"
            else:
                line = f"{format_number(change.new_population)} unverändert"
            out(f"  {change.municipality.name} ({change.municipality.ags}): {line}")
        if result.missing:
            out("Nicht in der Datei: " + ", ".join(f"{m.name} ({m.ags})" for m in result.missing))
        if result.without_ags:
            out("Ohne Gemeindeschlüssel, nicht zugeordnet: " + ", ".join(m.name for m in result.without_ags))
        if result.unknown:
            out(unknown_line(len(result.unknown), body))
        updated = len(result.updated)
        if dry_run:
            out(f"Probelauf: {updated} Kommunen würden geändert; nichts gespeichert.")
        else:
            out(f"{updated} {'Kommune' if updated == 1 else 'Kommunen'} geändert, "
                f"{len(result.changes) - updated} unverändert.")
