"""Every county's committee papers of one fiscal year, through the task queue.

    manage.py render_all --year 2022 [--output-dir DIR] [--county SLUG …] [--report SLUG …] [--no-wait]

One run of tasks.tasks.render_all_task: with CELERY_BROKER_URL set a worker does the work and this command
follows its progress (or, with --no-wait, only hands it over); without it the task runs here, inline. Each step
is one line ("  8 % Rhein-Kreis Neuss: Stellenplan … (2 von 12)"); at the end the directory with one folder per
county. Papers that cannot be made for the year are listed in fehler.txt there. Bad arguments and a failed run
are one German line on stderr (exit status 1 or 2), never a traceback.
"""
import time
from pathlib import Path

from django.core.management.base import CommandError

from kimportal.celery import app as celery_app
from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from tasks.models import TaskRun
from tasks.runners import render_all_output_dir, yearly_reports
from tasks.services import progress_reported, taskrun_start

POLL_SECONDS = 1.0


class Command(OneLineErrorCommand):
    help = "Erstellt die Vorlagen aller Kreise für ein Haushaltsjahr als PDF-Dateien (über die Auftragswarteschlange)."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Haushaltsjahr, z. B. 2022 (Zeitraum Januar bis Dezember)")
        parser.add_argument("--output-dir", help="Zielverzeichnis (sonst unter var/tasks/); je Kreis ein Ordner")
        parser.add_argument("--county", action="append", default=[], dest="counties", metavar="KREIS",
                            help="nur dieser Kreis (Kürzel; mehrfach möglich)")
        parser.add_argument("--report", action="append", default=[], dest="reports", metavar="BERICHT",
                            help="nur dieser Bericht (Kürzel; mehrfach möglich)")
        parser.add_argument("--no-wait", action="store_true",
                            help="nur an die Warteschlange übergeben, nicht auf das Ende warten")

    def handle(self, *args, year, output_dir=None, counties=(), reports=(), no_wait=False, **options):
        year = parse_year(year)
        output = prepare_output_dir(output_dir) if output_dir else None
        check_counties(counties)
        check_reports(reports)
        check_broker()
        params = {"year": year, "output_dir": str(output) if output else "", "counties": sorted(set(counties)),
                  "reports": sorted(set(reports))}

        def show(sender, run_id, percent, message, **kwargs):
            self.stdout.write(f"{percent:>4} % {message}")

        progress_reported.connect(show, sender=TaskRun)
        try:
            run = taskrun_start(kind=TaskRun.Kind.RENDER_ALL, title=title_of(year, counties, reports), params=params)
        finally:
            progress_reported.disconnect(show, sender=TaskRun)
        run.refresh_from_db()
        if not run.is_finished:
            if no_wait:
                self.stdout.write(f"Auftrag Nr. {run.pk} an die Warteschlange übergeben; Ergebnis in "
                                  f"{render_all_output_dir(run)}.")
                return
            self.stdout.write(f"Auftrag Nr. {run.pk} wartet auf einen Worker (celery -A kimportal worker) …")
            run = self.follow(run)
        if run.status == TaskRun.Status.FAILED:
            raise CommandError(f"Auftrag Nr. {run.pk}: {run.message}")
        self.stdout.write(run.message)

    def follow(self, run: TaskRun) -> TaskRun:
        """Print the run's progress as a worker reports it, until it is finished; Ctrl-C leaves it running."""
        shown = (run.progress, run.message)
        try:
            while not run.is_finished:
                time.sleep(POLL_SECONDS)
                run.refresh_from_db()
                if (run.progress, run.message) != shown and not run.is_finished:
                    shown = (run.progress, run.message)
                    self.stdout.write(f"{run.progress:>4} % {run.message}")
        except KeyboardInterrupt:
            raise CommandError(f"Nicht mehr verfolgt; Auftrag Nr. {run.pk} läuft weiter (Stand in der "
                               "Verwaltung unter „Hintergrundaufträge“).") from None
        return run


def parse_year(raw: str) -> int:
    """"2022" → 2022; CommandError (one German line) for anything but a year between 2000 and 2100."""
    text = str(raw).strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise CommandError("--year: Bitte das Haushaltsjahr als Zahl angeben, z. B. 2022 (2000 bis 2100).")
    return int(text)


def prepare_output_dir(raw: str) -> Path:
    """The output directory as an absolute path (a worker may run elsewhere), made if missing."""
    path = Path(raw).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise CommandError(f"--output-dir: {path} ist eine Datei, kein Verzeichnis.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"--output-dir: Das Verzeichnis {path} lässt sich nicht anlegen ({exc.strerror}).") from None
    return path


def check_broker() -> None:
    """With a broker configured, it must answer before a run is made (CommandError: one German line)."""
    if celery_app.conf.task_always_eager:
        return
    from kombu.exceptions import OperationalError

    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
    except OperationalError as exc:
        raise CommandError(f"Die Warteschlange (CELERY_BROKER_URL) ist nicht erreichbar: {exc}") from None


def check_counties(slugs) -> None:
    known = set(County.objects.values_list("slug", flat=True))
    if not known:
        raise CommandError("Es gibt noch keine Kreise (manage.py load_demo lädt die Demodaten).")
    unknown = sorted(set(slugs) - known)
    if unknown:
        raise CommandError(f"Unbekannter Kreis „{unknown[0]}“ (bekannt: {', '.join(sorted(known))}).")


def check_reports(slugs) -> None:
    known = [report.slug for report in yearly_reports()]
    unknown = sorted(set(slugs) - set(known))
    if unknown:
        raise CommandError(f"Unbekannter Bericht „{unknown[0]}“ (für ein Haushaltsjahr: {', '.join(known)}).")


def title_of(year: int, counties, reports) -> str:
    scope = f"Kreise {', '.join(sorted(set(counties)))}" if counties else "alle Kreise"
    papers = f"Berichte {', '.join(sorted(set(reports)))}" if reports else "alle Berichte"
    return f"Vorlagen {year}: {scope}, {papers}"
