"""A committee paper as a PDF file, for batch runs.

    manage.py render_report kim --county rhein-sieg-kreis --from 2021-12 --to 2022-12 -o kim.pdf
    manage.py render_report haushalt --county rhein-sieg-kreis --year 2022 -o haushalt.pdf
    manage.py render_report verwendungsnachweis --county rhein-sieg-kreis --year 2022 -o vn.xlsx

A report with a workbook (the proof of use) is written as XLSX where the file name ends in ``.xlsx``.

Parameters are checked by the same form as the preview page; a bad argument
gives one line on stderr, a non-zero exit and no file. A report organised by
fiscal years over a period (the Haushalt overview: ``--from``/``--to``) also
takes ``--year``, meaning January to December of that year. An option a report
does not take is named with the options it does take.
"""
from pathlib import Path

from django.core.management.base import CommandError

from kimportal.files import write_atomically
from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from reports.forms import FIELDS_OF, ReportParamsForm
from reports.registry import FISCAL_YEAR, PERIOD, ReportError, get_report
from reports.rendering import page_count, paper_pdf
from reports.selectors import paper_context

OPTIONS = {"start": "--from", "end": "--to", "scenario": "--scenario", "fiscal_year": "--year"}
# Reports over a period whose tables are whole fiscal years: --year Y is --from Y-01 --to Y-12 for them.
YEAR_AS_PERIOD = {"haushalt"}


class Command(OneLineErrorCommand):
    help = "Erstellt einen Bericht (Sitzungsvorlage) als PDF-Datei."

    def add_arguments(self, parser):
        parser.add_argument("report", help="Kürzel des Berichts, z. B. kim oder stellenplan")
        parser.add_argument("--county", help="Kürzel des Kreises, z. B. rhein-sieg-kreis")
        parser.add_argument("--from", dest="start", help="erster Monat, JJJJ-MM")
        parser.add_argument("--to", dest="end", help="letzter Monat, JJJJ-MM")
        parser.add_argument("--scenario", help="nur dieses Szenario neben dem Planstand (Name)")
        parser.add_argument("--year", dest="fiscal_year",
                            help="Haushaltsjahr, z. B. 2022 (beim Bericht haushalt: Januar bis Dezember)")
        parser.add_argument("-o", "--output", help="Zieldatei, z. B. vorlage.pdf (vn.xlsx: als Excel-Datei, "
                                                           "beim Verwendungsnachweis)")

    def handle(self, *args, report, county=None, output=None, **options):
        try:
            paper_report = get_report(report)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        if not county:
            raise CommandError("Bitte den Kreis mit --county angeben, z. B. --county rhein-sieg-kreis.")
        if not output:
            raise CommandError("Bitte die Zieldatei mit -o angeben, z. B. -o vorlage.pdf.")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"Das Verzeichnis {str(target.parent)!r} gibt es nicht.")
        try:
            body = County.objects.get(slug=county)
        except County.DoesNotExist:
            known = ", ".join(County.objects.order_by("slug").values_list("slug", flat=True)) or "keine"
            raise CommandError(f"Unbekannter Kreis {county!r} (bekannt: {known}).") from None
        as_xlsx = target.suffix.lower() == ".xlsx"
        if target.suffix.lower() not in (".pdf", ".xlsx"):
            raise CommandError(f"Bitte eine Zieldatei mit der Endung .pdf (oder .xlsx beim Verwendungsnachweis) "
                               f"angeben, nicht {target.name!r}.")
        if as_xlsx and not paper_report.has_workbook:
            raise CommandError(f"Den Bericht {paper_report.slug!r} gibt es nur als PDF; bitte -o mit der Endung .pdf.")
        params = self.params(paper_report, body, options)
        try:
            paper = paper_context(paper_report, body, params)
            pdf = paper_report.workbook(paper["data"], body, params) if as_xlsx else paper_pdf(paper)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        write_atomically(target, pdf)  # a failed or interrupted run leaves no half file behind
        size = "Excel-Datei" if as_xlsx else f"{page_count(pdf)} Seiten"
        parts = [paper_report.title, body.name, params.describe(), size]
        self.stdout.write(f"{target}: " + ", ".join(part for part in parts if part))

    @staticmethod
    def params(report, county, options):
        """The report's validated parameters from the options; CommandError (one German line) for bad ones."""
        given = {name: options.get(name) for name in OPTIONS if options.get(name) is not None}
        if report.slug in YEAR_AS_PERIOD and "fiscal_year" in given:
            given = year_as_period(given)
        form = ReportParamsForm(given, county=county, report=report)
        unused = sorted(OPTIONS[name] for name in given if name not in form.fields)
        if unused:
            raise CommandError(f"Der Bericht {report.slug!r} kennt {', '.join(unused)} nicht; "
                               f"möglich {accepted_options(report)}.")
        if not form.is_valid():
            raise CommandError(form.error_text(OPTIONS))
        return form.params()


def year_as_period(given: dict[str, str]) -> dict[str, str]:
    """``--year 2022`` as the months ``2022-01`` to ``2022-12``; refused beside ``--from``/``--to`` or if not a
    year between 2000 and 2100 (CommandError, one German line)."""
    if "start" in given or "end" in given:
        raise CommandError("Bitte entweder --year oder --from/--to angeben, nicht beides.")
    year = str(given["fiscal_year"]).strip()
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise CommandError("--year: Bitte das Haushaltsjahr als Zahl angeben, z. B. 2022 (2000 bis 2100).")
    rest = {name: value for name, value in given.items() if name != "fiscal_year"}
    return {**rest, "start": f"{year}-01", "end": f"{year}-12"}


def accepted_options(report) -> str:
    """The options a report takes, as a user types them: "sind --from, --to, --scenario (und --county, -o)"."""
    names = [OPTIONS[name] for parameter in report.parameters for name in FIELDS_OF[parameter]]
    if report.slug in YEAR_AS_PERIOD and PERIOD in report.parameters and FISCAL_YEAR not in report.parameters:
        names.append("--year")
    return f"sind {', '.join(names)} (und --county, -o)" if names else "sind nur --county und -o"
