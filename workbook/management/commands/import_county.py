"""Import a county's workbook: ``manage.py import_county FILE.xlsx [--slug NEW --name NAME] [--dry-run]``.

All or nothing: the first problem is printed as one line on stderr (with the number of further problems),
the exit status is 1 and nothing is saved (also for a file that is no XLSX workbook). Only sheets with rows are
listed, the empty ones once in one line; what a copy leaves out (official keys, user names) is one line each.
With --dry-run nothing is saved either; the command prints what an import would create, change and leave
unchanged. For each user the import creates it prints a one-time link to set the password (workbook.passwords),
with the server's address from --base-url.
"""
from pathlib import Path

from django.core.management.base import CommandError

from kimportal.management.base import OneLineErrorCommand
from workbook.importer import MISSING_NOTE, import_workbook
from workbook.passwords import password_links, valid_until_text
from workbook.reader import WorkbookInvalid


class Command(OneLineErrorCommand):
    help = "Liest die Arbeitsmappe eines Kreises ein (alles oder nichts; vorhandene Einträge werden aktualisiert)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="die Arbeitsmappe (.xlsx)")
        parser.add_argument("--slug", help="unter diesem Kürzel einlesen statt unter dem der Mappe")
        parser.add_argument("--name", help="unter diesem Namen einlesen statt unter dem der Mappe")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen und anzeigen, nichts speichern")
        parser.add_argument("--into-existing", action="store_true",
                            help="in einen schon vorhandenen anderen Kreis einlesen (eine frühere Kopie aktualisieren)")
        parser.add_argument("--base-url", help="Adresse des Servers für die Links neuer Benutzer zum Festlegen des "
                                               "Passworts, z. B. https://kimportal.example.de")

    def handle(self, *args, file, slug=None, name=None, dry_run=False, into_existing=False, base_url=None,
               **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Die Datei {file} gibt es nicht.")
        if base_url and not base_url.startswith(("https://", "http://")):
            raise CommandError(f"--base-url: Bitte die Adresse mit https:// angeben, z. B. "
                               f"https://kimportal.example.de (nicht {base_url!r}).")
        try:
            result = import_workbook(path, slug=slug, name=name, dry_run=dry_run, into_existing=into_existing)
        except WorkbookInvalid as exc:
            more = len(exc.problems) - 1
            others = f"{more} weiterer Fehler" if more == 1 else f"{more} weitere Fehler"
            suffix = f" (und {others}; nichts gespeichert)" if more else " (nichts gespeichert)"
            raise CommandError(f"{exc.problems[0]}{suffix}") from None
        verbose = options.get("verbosity", 1)
        for sheet in result.sheets:
            if sheet.absent or sheet.is_empty:
                if verbose > 1:
                    self.stdout.write(f"  {sheet.title}: {'nicht in der Mappe' if sheet.absent else 'leer'}")
                continue
            line = f"  {sheet.title}: {sheet.created} neu, {sheet.changed} geändert, {sheet.unchanged} unverändert"
            if sheet.missing:
                line += f"; {len(sheet.missing)} {MISSING_NOTE}"
            if sheet.skipped:
                line += f"; {sheet.skipped} nicht übernommen"
            self.stdout.write(line)
            if verbose > 1:
                for row in sheet.rows:
                    for column, old, new in row.changes:
                        self.stdout.write(f"    Zeile {row.row} {row.label}: {column} {old} → {new}")
        if result.empty_sheets_text and verbose <= 1:
            self.stdout.write(f"  {result.empty_sheets_text}")
        for note in result.notes:
            self.stdout.write(note)
        head = "Probelauf, nichts gespeichert" if dry_run else "Arbeitsmappe eingelesen"
        self.stdout.write(f"{head}: {result.summary()}.")
        if dry_run and result.users_created:
            self.stdout.write(f"{result.users_created} neue Benutzer: nach dem Import je ein Link zum Festlegen des "
                              "Passworts.")
        self.write_links(password_links(result.new_users), base_url)

    def write_links(self, links, base_url):
        """The new users' one-time links to set a password, one line each."""
        if not links:
            return
        where = "" if base_url else "; vor den Pfad die Adresse des Servers setzen oder --base-url angeben"
        self.stdout.write(f"Neue Benutzer ohne Passwort – Link zum Festlegen, je einmal {valid_until_text()} "
                          f"(nur an die jeweilige Person weitergeben{where}):")
        for link in links:
            self.stdout.write(f"  {link.username}: {(base_url or '').rstrip('/')}{link.path}")
