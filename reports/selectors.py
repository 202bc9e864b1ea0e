"""Reads of the reports: a paper's whole context, the texts around it, and what changed since it was issued."""
from __future__ import annotations

from datetime import date

from django.utils import timezone

from kimportal.models import County

from .models import IssuedReport, PaperKind, ReportSetup
from .registry import Report, ReportParams, german_date, get_report, report_data

DEFAULT_RESOLUTION = "Der Ausschuss nimmt die Ausführungen zur Kenntnis."


def setup_for(county: County, report: Report) -> ReportSetup:
    """The county's texts for the report; an unsaved one with the report's default texts if none is saved yet."""
    setup = ReportSetup.objects.filter(county=county, report=report.slug).first()
    if setup is None:
        setup = ReportSetup(county=county, report=report.slug, **report.default_texts(county))
    return setup


def setup_data(setup: ReportSetup, report: Report, today: date) -> dict:
    return {
        "paper_number": setup.paper_number,
        "paper_date": german_date(setup.paper_date or today),
        "paper_kind": setup.get_paper_kind_display(),
        "for_resolution": setup.paper_kind == PaperKind.RESOLUTION,
        "committee": setup.committee,
        "meeting_date": german_date(setup.meeting_date),
        "subject": setup.subject or report.title,
        "preliminary_remarks": setup.preliminary_remarks,
        "explanations": setup.explanations,
        "coverage_text": setup.coverage_text,
        "resolution": setup.resolution or DEFAULT_RESOLUTION,
        "signatory": setup.signatory,
    }


def paper_context(report: Report, county: County, params: ReportParams, *, setup: ReportSetup | None = None,
                  show_names: bool = False) -> dict:
    """Everything a paper shows, as JSON values: the templates' context, the cache key and an issued snapshot."""
    setup = setup or setup_for(county, report)
    return {
        "report": {"slug": report.slug, "title": report.title, "body_template": report.body_template,
                   "landscape": report.landscape},
        "county": {"name": county.name, "slug": county.slug, "centre_name": county.centre_name,
                   "office": county.office or "Kommunales Integrationszentrum",
                   # Who signs: a Kreis's Landrat, a kreisfreie Stadt's Oberbürgermeister (§§ 42, 62 GO / KrO NRW).
                   "head": "Der Oberbürgermeister" if county.kind == County.Kind.KREISFREIE_STADT else "Der Landrat"},
        "setup": setup_data(setup, report, timezone.localdate()),
        "params": params.as_query(),
        "params_text": params.describe(),
        "data": report_data(report, county, params, show_names=show_names),
    }


def changes_since(issued: IssuedReport) -> list[dict]:
    """The figures of an issued paper that differ now: label, value then and now (None: not there)."""
    report = get_report(issued.report)
    params = ReportParams.from_query(issued.params)
    current = report.figures(report_data(report, issued.county, params))
    then = {key: (label, value) for key, label, value in report.figures(issued.snapshot["data"])}
    now = {key: (label, value) for key, label, value in current}
    changes = []
    for key, label, value in current:
        before = then.get(key, (None, None))[1]
        if before != value:
            changes.append({"label": label, "before": before, "after": value})
    for key, (label, value) in then.items():
        if key not in now:
            changes.append({"label": label, "before": value, "after": None})
    return changes

