"""Writes of the reports: issuing a paper to a committee."""
from __future__ import annotations

from django.db import transaction

from kimportal.models import County

from .models import IssuedReport
from .registry import Report, ReportError, ReportParams
from .rendering import page_count, paper_pdf
from .selectors import paper_context, setup_for


def report_issue(*, county: County, report: Report, params: ReportParams, user) -> IssuedReport:
    """Store the paper as the committee gets it: its data of this moment and its PDF.

    An issued paper reaches the committee, so it never shows the names of position holders.
    """
    setup = setup_for(county, report)
    if not setup.paper_number:
        raise ReportError("Bitte zuerst unter „Texte bearbeiten“ die Vorlagen-Nr. eintragen.")
    paper = paper_context(report, county, params, setup=setup, show_names=False)
    pdf = paper_pdf(paper)
    issued = IssuedReport(
        county=county, report=report.slug, title=paper["setup"]["subject"],
        paper_number=paper["setup"]["paper_number"], committee=paper["setup"]["committee"],
        meeting_date=setup.meeting_date, params=paper["params"], snapshot=paper, pdf=pdf,
        page_count=page_count(pdf), issued_by=user,
    )
    issued.full_clean()
    with transaction.atomic():
        issued.save()
    return issued
