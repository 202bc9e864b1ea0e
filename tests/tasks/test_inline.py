"""Tasks without a broker: they run inline, write their files, and end as "fertig" or "fehlgeschlagen"."""
import logging
from io import StringIO

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.core.management.base import CommandError

from actuals.models import ImportBatch
from kimportal.models import County
from reports.registry import ReportError
from tasks import runners
from tasks.models import TaskRun
from tasks.services import progress_reported, taskrun_start
from tasks.tasks import UNEXPECTED, render_report_task

from .conftest import pdf_text

pytestmark = pytest.mark.usefixtures("demo", "inline_tasks")

RSK = "rhein-sieg-kreis"
KIM_PERIOD = {"start": "2021-12", "end": "2022-12"}
YEARLY = ["haushalt", "kim", "risiko", "stellenplan", "verwendungsnachweis", "ziele"]


def start_report(slug: str, county: str = RSK, **query) -> TaskRun:
    run = taskrun_start(kind=TaskRun.Kind.REPORT, title=f"Bericht {slug}", county=County.objects.get(slug=county),
                        params={"report": slug, **query})
    run.refresh_from_db()
    return run


def test_the_kim_paper_is_made_inline_and_its_run_is_done_with_progress_100():
    run = start_report("kim", **KIM_PERIOD)
    assert (run.status, run.progress, run.get_status_display()) == ("done", 100, "fertig")
    assert run.result_file == f"{run.pk}/kim_rhein-sieg-kreis_2021-12-bis-2022-12.pdf"
    assert run.message.startswith("Fertig: Kommunales Integrationsmanagement (KIM)") and "Seiten." in run.message
    text = pdf_text(run.result_path.read_bytes())
    assert "258.818 €" in text and "Risikospanne: 60.330 € – 578.466 €" in text
    assert run.started_at <= run.finished_at


def test_the_task_reports_its_progress_step_by_step():
    steps = []

    def record(sender, run_id, percent, message, **kwargs):
        steps.append((percent, message))

    progress_reported.connect(record)
    try:
        start_report("stellenplan", fiscal_year="2022")
    finally:
        progress_reported.disconnect(record)
    assert steps == [(10, "Die Zahlen werden berechnet …"), (50, "Das PDF wird gesetzt …")]


def test_an_unknown_report_fails_with_one_german_line_and_no_file():
    run = start_report("haushaltsrede")
    assert (run.status, run.get_status_display(), run.result_file) == ("failed", "fehlgeschlagen", "")
    assert run.message.startswith("Unbekannter Bericht „haushaltsrede“ (bekannt: ")


def test_an_unexpected_error_fails_with_a_generic_line_and_the_traceback_goes_to_the_log(monkeypatch, caplog):
    def broken(paper):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(runners, "paper_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="tasks.tasks"):
        run = start_report("stellenplan", fiscal_year="2022")
    assert (run.status, run.message) == ("failed", UNEXPECTED)
    assert "WeasyPrint exploded" not in run.message and "Traceback" not in run.message
    assert "WeasyPrint exploded" in caplog.text


def test_a_task_over_its_time_limit_fails_with_a_german_line(monkeypatch, settings):
    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    settings.CELERY_TASK_SOFT_TIME_LIMIT = 1800
    monkeypatch.setattr(runners, "paper_context", too_slow)
    run = start_report("stellenplan", fiscal_year="2022")
    assert (run.status, run.message) == ("failed", "Der Auftrag hat die Zeitgrenze von 30 Minuten überschritten und "
                                                   "wurde abgebrochen; bitte mit weniger auf einmal erneut starten.")


def test_a_run_that_is_not_waiting_is_not_run_again():
    run = start_report("stellenplan", fiscal_year="2022")
    finished_at = run.finished_at
    result = render_report_task.apply(args=[run.pk]).get()
    assert result["status"] is None
    run.refresh_from_db()
    assert (run.status, run.finished_at) == ("done", finished_at)


def test_render_all_writes_every_countys_papers_of_the_year(tmp_path):
    out = StringIO()
    call_command("render_all", "--year", "2022", "--output-dir", str(tmp_path / "vorlagen"), stdout=out)
    run = TaskRun.objects.get(kind=TaskRun.Kind.RENDER_ALL)
    assert (run.status, run.progress, run.county) == ("done", 100, None)
    written = sorted(str(path.relative_to(tmp_path / "vorlagen")) for path in (tmp_path / "vorlagen").rglob("*.pdf"))
    assert written == sorted(
        f"{county}/{slug}_{county}_{'2022-01-bis-2022-12' if slug in ('haushalt', 'kim') else '2022'}.pdf"
        for county in ("rhein-kreis-neuss", RSK) for slug in YEARLY)
    assert not (tmp_path / "vorlagen" / "fehler.txt").exists()
    kim = (tmp_path / "vorlagen" / RSK / "kim_rhein-sieg-kreis_2022-01-bis-2022-12.pdf").read_bytes()
    assert "Zeitraum 01.01.2022 – 31.12.2022" in pdf_text(kim)
    lines = out.getvalue().splitlines()
    assert lines[0] == ("   0 % Rhein-Kreis Neuss: Kommunales Integrationsmanagement (KIM): Stellen, CM-Einsatz und "
                        "Eigenanteile (1 von 12)")
    assert len(lines) == 13
    assert lines[-1] == f"Fertig: 12 Vorlagen für 2 Kreise, Haushaltsjahr 2022, in {tmp_path / 'vorlagen'}."


def test_render_all_lists_papers_it_cannot_make_and_makes_the_rest(monkeypatch, tmp_path):
    made = runners.paper_context

    def neuss_fails(report, county, params, **kwargs):
        if county.slug == "rhein-kreis-neuss":
            raise ReportError("Für S12 fehlen die Arbeitsplatzkosten (KGSt) für 2022.")
        return made(report, county, params, **kwargs)

    monkeypatch.setattr(runners, "paper_context", neuss_fails)
    out = StringIO()
    call_command("render_all", "--year", "2022", "--report", "ziele", "--output-dir", str(tmp_path), stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        f"Fertig: 1 Vorlage für 2 Kreise, Haushaltsjahr 2022, in {tmp_path}; 1 Vorlage nicht möglich "
        "(siehe fehler.txt).")
    assert (tmp_path / "fehler.txt").read_text() == (
        "Rhein-Kreis Neuss, Schwerpunktziele des Kommunalen Integrationszentrums: Für S12 fehlen die "
        "Arbeitsplatzkosten (KGSt) für 2022.\n")
    assert [path.name for path in tmp_path.rglob("*.pdf")] == ["ziele_rhein-sieg-kreis_2022.pdf"]


def test_render_all_fails_with_one_line_when_no_paper_can_be_made(monkeypatch, tmp_path):
    def fails(*args, **kwargs):
        raise ReportError("Keine Daten.")

    monkeypatch.setattr(runners, "paper_context", fails)
    with pytest.raises(CommandError, match=r"^Auftrag Nr\. \d+: Keine Vorlage konnte erstellt werden, z\. B\. "
                                           r"Rhein-Kreis Neuss, Schwerpunktziele .*: Keine Daten\.$"):
        call_command("render_all", "--year", "2022", "--report", "ziele", "--output-dir", str(tmp_path),
                     stdout=StringIO())
    assert TaskRun.objects.get().status == "failed"


@pytest.mark.parametrize("args, message", [
    (["--year", "22"], "--year: Bitte das Haushaltsjahr als Zahl angeben, z. B. 2022 (2000 bis 2100)."),
    (["--year", "2022", "--county", "bonn"], "Unbekannter Kreis „bonn“ (bekannt: rhein-kreis-neuss, "
                                             "rhein-sieg-kreis)."),
    (["--year", "2022", "--report", "antraege"], "Unbekannter Bericht „antraege“ (für ein Haushaltsjahr: "),
])
def test_render_all_refuses_bad_arguments_with_one_line_and_starts_nothing(args, message):
    with pytest.raises(CommandError) as refused:
        call_command("render_all", *args, stdout=StringIO())
    assert str(refused.value).startswith(message)
    assert not TaskRun.objects.exists()


def test_render_all_refuses_a_file_as_output_directory(tmp_path):
    target = tmp_path / "datei.pdf"
    target.write_bytes(b"")
    with pytest.raises(CommandError, match="ist eine Datei, kein Verzeichnis"):
        call_command("render_all", "--year", "2022", "--output-dir", str(target), stdout=StringIO())


def test_actual_costs_are_imported_by_a_task(task_files):
    (task_files / "upload").mkdir(parents=True)
    (task_files / "upload" / "ist.csv").write_bytes(
        "\ufeffStellennummer;Monat;Kostenart;Betrag\r\nKI-B1-01;01.2022;Personalkosten;9.000,00\r\n".encode())
    run = taskrun_start(kind=TaskRun.Kind.IMPORT_ACTUALS, title="Ist-Kosten ist.csv",
                        county=County.objects.get(slug=RSK),
                        params={"file": "upload/ist.csv", "file_name": "ist.csv"})
    run.refresh_from_db()
    batch = ImportBatch.objects.get(file_name="ist.csv")
    assert (run.status, run.progress) == ("done", 100)
    assert run.message == (f"Import Nr. {batch.pk} gespeichert: 1 Zeile: 0 neu, 1 ersetzt, 0 unverändert. "
                           "1 Warnung: Stelle KI-B1-01 ist im Stellenplan noch als „geplant“ geführt – Status prüfen.")
    assert batch.origin == "Hintergrundauftrag"


def test_a_refused_import_file_fails_the_task_and_saves_nothing(task_files):
    (task_files / "ist.csv").parent.mkdir(parents=True)
    (task_files / "ist.csv").write_bytes(b"Stellennummer;Monat;Kostenart;Betrag\r\nNE-01;01.2022;PK;1\r\n")
    run = taskrun_start(kind=TaskRun.Kind.IMPORT_ACTUALS, title="Ist-Kosten", county=County.objects.get(slug=RSK),
                        params={"file": "ist.csv", "file_name": "ist.csv"})
    run.refresh_from_db()
    assert run.status == "failed" and run.message.endswith("; nichts gespeichert.")
    assert "NE-01" in run.message
    assert not ImportBatch.objects.filter(file_name="ist.csv").exists()
