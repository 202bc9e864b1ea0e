"""``manage.py import_actuals --county SLUG FILE [--dry-run] [--map SPALTE=FELD ...] [--kostenart NAME]
[--user USERNAME]`` and ``manage.py import_actuals --county SLUG --undo BATCH_ID [--user USERNAME]``.

All or nothing: the first error is one line on stderr (with the number of further errors), the exit status is
1 and nothing is saved; wrong arguments are one line and exit status 2 (kimportal.management.base, like every
command of the project). On success: the rows, what they did, and the totals per month on stdout; warnings
(a position still "geplant") on stderr. The import is recorded for ``--user`` (a user of the application), or
else as "Kommandozeile (<user of the operating system>)".
"""
import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from actuals.models import ImportBatch
from actuals.parsing import FIELD_LABELS, ActualsFileInvalid, normalize
from actuals.selectors import cost_type_names
from actuals.services import ActualsRefused, actuals_import, import_batch_undo
from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from kimportal.money import format_money

FIELDS_BY_NAME = {normalize(label): name for name, label in FIELD_LABELS.items()}


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """["Ist-Betrag=Betrag", …] → {"Ist-Betrag": "amount"}; CommandError for anything else."""
    mapping = {}
    for pair in pairs:
        header, sep, field = pair.rpartition("=")
        name = FIELDS_BY_NAME.get(normalize(field))
        if not sep or not header.strip() or name is None:
            raise CommandError(f"--map „{pair}“: bitte SPALTE=FELD mit FELD aus {', '.join(FIELD_LABELS.values())}, "
                               "z. B. --map Ist-Betrag=Betrag.")
        mapping[header.strip()] = name
    return mapping


class Command(OneLineErrorCommand):
    help = ("Liest Ist-Kosten (CSV mit Semikolon oder XLSX: Stellennummer;Monat;Kostenart;Betrag) für einen Kreis "
            "ein; gleiche Stelle, gleicher Monat und gleiche Kostenart ersetzen den alten Betrag. --undo macht einen "
            "Import rückgängig.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="die Datei (.csv oder .xlsx)")
        parser.add_argument("--county", required=True, help="Kürzel des Kreises, z. B. rhein-sieg-kreis")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen und anzeigen, nichts speichern")
        parser.add_argument("--map", action="append", default=[], dest="mappings", metavar="SPALTE=FELD",
                            help="eine Spalte anderen Namens einem Feld zuordnen, z. B. --map Ist-Betrag=Betrag")
        parser.add_argument("--kostenart", help="Kostenart aller Zeilen, wenn die Datei keine Spalte Kostenart hat")
        parser.add_argument("--undo", type=int, metavar="IMPORT_NR", help="diesen Import rückgängig machen")
        parser.add_argument("--user", metavar="BENUTZERNAME",
                            help="als dieser Benutzer der Anwendung festhalten (sonst: Kommandozeile und der "
                                 "Benutzer des Betriebssystems)")

    def handle(self, *args, file=None, county, dry_run=False, mappings=(), kostenart=None, undo=None, user=None,
               **options):
        found = County.objects.filter(slug=county).first()
        if found is None:
            raise CommandError(f"Einen Kreis mit dem Kürzel „{county}“ gibt es nicht.")
        author = find_user(user, found) if user is not None else None
        origin = "" if author else command_line_origin()
        if undo is not None:
            return self.undo(found, undo, file, author, origin)
        if not file:
            raise CommandError("Bitte die Datei angeben (oder --undo IMPORT_NR).")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Die Datei {file} gibt es nicht.")
        fixed = None
        if kostenart:
            fixed = cost_type_names().get(normalize(kostenart))
            if fixed is None:
                raise CommandError(f"--kostenart „{kostenart}“ ist keine Kostenart.")
        try:
            plan = actuals_import(county=found, content=path.read_bytes(), file_name=path.name,
                                  mapping=parse_mapping(list(mappings)), fixed_cost_type=fixed, dry_run=dry_run,
                                  user=author, origin=origin)
        except ActualsFileInvalid as exc:
            more = len(exc.errors) - 1
            others = f"{more} weiterer Fehler" if more == 1 else f"{more} weitere Fehler"
            raise CommandError(f"{exc.errors[0]} ({f'und {others}; ' if more else ''}nichts gespeichert)") from None
        for warning in plan.warnings:
            self.stderr.write(f"Warnung: {warning}", style_func=self.style.WARNING)
        head = "Probelauf, nichts gespeichert" if dry_run else f"Import Nr. {plan.batch.pk} gespeichert"
        self.stdout.write(f"{head}: {path.name}, {plan.summary()}.")
        for month, amount in plan.totals.items():
            self.stdout.write(f"  {month:%m.%Y}: {format_money(amount, 2)}")
        self.stdout.write(f"  Summe: {format_money(plan.total, 2)}")
        if options.get("verbosity", 1) > 1:
            for planned in plan.replaced:
                self.stdout.write(f"  Zeile {planned.row.line}: {planned.position_title}, {planned.row.month:%m.%Y}, "
                                  f"{planned.cost_type_label}: {format_money(planned.previous_amount, 2)} → "
                                  f"{format_money(planned.row.amount, 2)}")

    def undo(self, county, batch_id, file, author, origin):
        if file:
            raise CommandError("--undo nimmt keine Datei.")
        batch = ImportBatch.objects.filter(county=county, pk=batch_id).first()
        if batch is None:
            raise CommandError(f"Einen Import Nr. {batch_id} gibt es für {county.name} nicht.")
        try:
            done = import_batch_undo(batch=batch, user=author, origin=origin)
        except ActualsRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{batch} rückgängig gemacht: {done.summary()}.")


def find_user(username: str, county):
    """The active user ``username`` of ``county`` (or without a county: an administrator); CommandError else."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Einen Benutzer „{username}“ gibt es nicht.")
    if not user.is_active:
        raise CommandError(f"Der Benutzer „{username}“ ist deaktiviert.")
    if getattr(user, "county_id", None) not in (None, county.pk):
        raise CommandError(f"Der Benutzer „{username}“ gehört nicht zu {county.name}.")
    return user


def command_line_origin() -> str:
    """"Kommandozeile (kim)": who ran the command, as far as the operating system tells."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name and no entry in the user database (some containers)
        name = "unbekannt"
    return f"Kommandozeile ({name})"
