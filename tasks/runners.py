"""The work of each task kind, apart from Celery: given a run and a progress callback, do it and say what was done.

Each runner takes the run (tasks.models.TaskRun, status "läuft") and ``progress(percent, message)``, and returns an
``Outcome`` (German summary, result file relative to TASK_FILES_DIR). A failure the user can act on raises
``TaskFailed`` with one German line; anything else is a bug, logged with its traceback by tasks.tasks and shown as
a generic line. The papers are made exactly as the preview's PDF and manage.py render_report make them
(reports.selectors.paper_context, reports.rendering.paper_pdf).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kimportal.models import County
from reports.forms import ReportParamsForm
from reports.registry import FISCAL_YEAR, PERIOD, Report, ReportError, ReportParams, all_reports, get_report
from reports.rendering import page_count, paper_pdf
from reports.selectors import paper_context

from .models import TaskRun
from .services import write_file

Progress = Callable[[int, str], None]
ERRORS_FILE = "fehler.txt"


class TaskFailed(Exception):
    """The task cannot be done with this input or data; the message is one German line fit for the user."""


@dataclass(frozen=True)
class Outcome:
    message: str
    result_file: str = ""


def count_of(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def render_report(run: TaskRun, progress: Progress) -> Outcome:
    """One report of the run's county as a PDF under TASK_FILES_DIR/<run id>/ (params: see TaskRun)."""
    try:
        report = get_report(run.params.get("report", ""))
    except ReportError as exc:
        raise TaskFailed(str(exc)) from None
    params = ReportParams.from_query(run.params)
    progress(10, "Die Zahlen werden berechnet …")
    try:
        paper = paper_context(report, run.county, params, show_names=bool(run.params.get("show_names")))
    except ReportError as exc:
        raise TaskFailed(str(exc)) from None
    progress(50, "Das PDF wird gesetzt …")
    pdf = paper_pdf(paper)
    relative = f"{run.pk}/{report.filename(run.county, params)}"
    write_file(Path(settings.TASK_FILES_DIR) / relative, pdf)
    return Outcome(f"Fertig: {report.title}, {count_of(page_count(pdf), 'Seite', 'Seiten')}.", relative)


def yearly_reports(slugs: list[str] | None = None) -> list[Report]:
    """The reports made for a fiscal year: those taking a fiscal year or a period (not the list of applications)."""
    found = [report for report in all_reports() if {PERIOD, FISCAL_YEAR} & set(report.parameters)]
    if slugs:
        found = [report for report in found if report.slug in slugs]
    return found


def year_params(report: Report, county: County, year: int) -> ReportParams:
    """The report's parameters for fiscal year ``year``: the year where the report takes one (a report taking both
    refuses a period beside it), else January to December; no scenario (the base case and all scenarios).
    Checked by the preview's form; ReportError (German) if it refuses them."""
    if FISCAL_YEAR in report.parameters:
        given = {"fiscal_year": str(year)}
    else:
        given = {"start": f"{year}-01", "end": f"{year}-12"}
    form = ReportParamsForm(given, county=county, report=report)
    if not form.is_valid():
        raise ReportError(form.error_text())
    return form.params()


def render_all_output_dir(run: TaskRun) -> Path:
    """Where render_all writes: ``params["output_dir"]``, else TASK_FILES_DIR/<run id>-vorlagen-<year>."""
    if run.params.get("output_dir"):
        return Path(run.params["output_dir"])
    return Path(settings.TASK_FILES_DIR) / f"{run.pk}-vorlagen-{run.params['year']}"


def render_all(run: TaskRun, progress: Progress) -> Outcome:
    """Every county's yearly papers for ``params["year"]``, one PDF each under <output>/<county slug>/.

    A paper that cannot be made (a ReportError: no data for the year, say) is listed in <output>/fehler.txt and
    the rest go on; the run fails only if none could be made. Papers are made without names of position holders.
    """
    year = int(run.params["year"])
    counties = County.objects.order_by("name")
    if run.params.get("counties"):
        counties = counties.filter(slug__in=run.params["counties"])
    jobs = [(county, report) for county in counties for report in yearly_reports(run.params.get("reports"))]
    if not jobs:
        raise TaskFailed("Es gibt keine Kreise oder Berichte, für die Vorlagen zu erstellen wären.")
    output = render_all_output_dir(run)
    made, failures = 0, []
    for index, (county, report) in enumerate(jobs):
        progress(index * 100 // len(jobs), f"{county.name}: {report.title} ({index + 1} von {len(jobs)})")
        try:
            params = year_params(report, county, year)
            pdf = paper_pdf(paper_context(report, county, params))
        except ReportError as exc:
            failures.append(f"{county.name}, {report.title}: {exc}")
            continue
        write_file(output / county.slug / report.filename(county, params), pdf)
        made += 1
    if failures:
        write_file(output / ERRORS_FILE, ("\n".join(failures) + "\n").encode())
    if not made:
        raise TaskFailed(f"Keine Vorlage konnte erstellt werden, z. B. {failures[0]}")
    counties_done = len({county.pk for county, _ in jobs})
    message = (f"Fertig: {count_of(made, 'Vorlage', 'Vorlagen')} für {count_of(counties_done, 'Kreis', 'Kreise')}, "
               f"Haushaltsjahr {year}, in {output}")
    if failures:
        message += f"; {count_of(len(failures), 'Vorlage', 'Vorlagen')} nicht möglich (siehe {ERRORS_FILE})"
    return Outcome(message + ".")


def import_actuals(run: TaskRun, progress: Progress) -> Outcome:
    """Actual costs from a file saved under TASK_FILES_DIR (params: see TaskRun), through the same service as
    the import page and manage.py import_actuals: all rows or none."""
    from actuals.parsing import ActualsFileInvalid
    from actuals.services import actuals_import

    path = Path(settings.TASK_FILES_DIR) / run.params.get("file", "")
    if not run.params.get("file") or not path.is_file():
        raise TaskFailed("Die Datei zum Einlesen ist nicht mehr da; bitte erneut hochladen.")
    progress(10, f"{run.params.get('file_name') or path.name} wird gelesen …")
    try:
        plan = actuals_import(county=run.county, content=path.read_bytes(),
                              file_name=run.params.get("file_name") or path.name, user=run.user,
                              origin="" if run.user else "Hintergrundauftrag",
                              mapping=run.params.get("mapping") or None,
                              fixed_cost_type=run.params.get("fixed_cost_type") or None,
                              dry_run=bool(run.params.get("dry_run")))
    except ActualsFileInvalid as exc:
        more = len(exc.errors) - 1
        others = f" (und {count_of(more, 'weiterer Fehler', 'weitere Fehler')})" if more else ""
        raise TaskFailed(f"{exc.errors[0]}{others}; nichts gespeichert.") from None
    head = "Probelauf, nichts gespeichert" if plan.batch is None else f"Import Nr. {plan.batch.pk} gespeichert"
    warnings = f" {count_of(len(plan.warnings), 'Warnung', 'Warnungen')}: {plan.warnings[0]}" if plan.warnings else ""
    return Outcome(f"{head}: {plan.summary()}.{warnings}")
