"""A paper's PDF served again without building its context (issue 13): keyed by the data versions.

The content key of reports.rendering.paper_pdf needs everything the paper shows, so a second request for an
unchanged paper still computed it all. This key needs no computation: the report, its parameters, whether names are
shown, the county's and the reference data's versions (kimportal.versioning: every write raises them), the texts
around the paper (ReportSetup) and today's date (papers print it and judge deadlines by it), the layout
(templates and stylesheet) and the application's code. Any of them changing makes a new key; the old entry ages out
of the cache ``reports``. A failing cache is passed by, as in paper_pdf.
"""
from __future__ import annotations

import hashlib
import json

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from budgeting.cache import enabled
from kimportal.models import County
from kimportal.versioning import code_version, versions

from .registry import Report, ReportParams
from .rendering import CACHE_ALIAS, _cache_failed, layout_version, paper_pdf
from .selectors import paper_context, setup_data, setup_for

# The apps whose code decides what a paper shows.
CODE_APPS = ("kimportal", "programmes", "staffing", "budgeting", "reports", "provisions", "levy", "population",
             "drawdowns", "actuals", "rollover", "proofs")


def version_key(report: Report, county: County, params: ReportParams, setup, *, show_names: bool) -> str:
    """The cache key of a paper's PDF from what it depends on, without computing the paper (one query)."""
    today = timezone.localdate()
    payload = json.dumps([report.slug, county.pk, params.as_query(), show_names, versions(county.pk),
                          setup_data(setup, report, today), str(today), layout_version(), code_version(CODE_APPS)],
                         cls=DjangoJSONEncoder, sort_keys=True)
    return f"report-pdf-v:{hashlib.sha256(payload.encode()).hexdigest()}"


def report_pdf(report: Report, county: County, params: ReportParams, *, show_names: bool = False) -> bytes:
    """The paper's PDF: from the cache while the county's data, the texts, the layout and the code are unchanged,
    else built (paper_context) and rendered (paper_pdf). Raises ReportError as paper_context does."""
    setup = setup_for(county, report)
    if not enabled():
        return paper_pdf(paper_context(report, county, params, setup=setup, show_names=show_names))
    try:
        key = version_key(report, county, params, setup, show_names=show_names)
        pdf = caches[CACHE_ALIAS].get(key)
    except Exception as exc:  # a broken cache never breaks a paper
        _cache_failed("gelesen", exc)
        key, pdf = None, None
    if pdf is not None:
        return pdf
    pdf = paper_pdf(paper_context(report, county, params, setup=setup, show_names=show_names))
    if key is not None:
        try:
            caches[CACHE_ALIAS].set(key, pdf)
        except Exception as exc:
            _cache_failed("geschrieben", exc)
    return pdf
