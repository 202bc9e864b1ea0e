"""A committee paper as a PDF file, for batch runs.

    manage.py render_report kim --county rhein-sieg-kreis --from 2021-12 --to 2022-12 -o kim.pdf

Parameters are checked by the same form as the preview page; a bad argument
gives one line on stderr, a non-zero exit and no file.
"""
import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from reports.forms import ReportParamsForm
from reports.registry import ReportError, get_report
from reports.rendering import page_count, paper_pdf
from reports.selectors import paper_context

OPTIONS = {"start": "--from", "end": "--to", "scenario": "--scenario", "fiscal_year": "--year"}


class Command(OneLineErrorCommand):
    help = "Erstellt einen Bericht (Sitzungsvorlage) als PDF-Datei."

    def add_arguments(self, parser):
        parser.add_argument("report", help="Kürzel des Berichts, z. B. kim oder stellenplan")
        parser.add_argument("--county", help="Kürzel des Kreises, z. B. rhein-sieg-kreis")
        parser.add_argument("--from", dest="start", help="erster Monat, JJJJ-MM")
        parser.add_argument("--to", dest="end", help="letzter Monat, JJJJ-MM")
        parser.add_argument("--scenario", help="nur dieses Szenario neben dem Planstand (Name)")
        parser.add_argument("--year", dest="fiscal_year", help="Haushaltsjahr, z. B. 2022")
        parser.add_argument("-o", "--output", help="Zieldatei, z. B. vorlage.pdf")

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
        params = self.params(paper_report, body, options)
        try:
            pdf = paper_pdf(paper_context(paper_report, body, params))
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        # Written under another name first: a failed or interrupted run leaves no half file behind.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        parts = [paper_report.title, body.name, params.describe(), f"{page_count(pdf)} Seiten"]
        self.stdout.write(f"{target}: " + ", ".join(part for part in parts if part))

    @staticmethod
    def params(report, county, options):
        given = {name: options.get(name) for name in OPTIONS if options.get(name) is not None}
        form = ReportParamsForm(given, county=county, report=report)
        unused = sorted(OPTIONS[name] for name in given if name not in form.fields)
        if unused:
            raise CommandError(f"Der Bericht {report.slug!r} kennt {', '.join(unused)} nicht.")
        if not form.is_valid():
            raise CommandError(form.error_text(OPTIONS))
        return form.params()
