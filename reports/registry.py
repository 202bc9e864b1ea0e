"""The report framework: what a report is, its parameters, and the registry of all reports.

A report is a class with a slug, a German title, the parameters it takes and a
``build(county, params)`` that returns its data. Own shares, grants, third-party
shares, coverage and risks come from the same selectors and engine the browser
pages use (budgeting.selectors, budgeting.calculations, and the own-share page's
helpers in budgeting.views); a report never computes them a second way.

``build`` may return Decimals and dates; ``report_data`` turns them into JSON
(Decimals as strings, e.g. "158644"), and only that JSON reaches the templates,
the cache key and the snapshot of an issued paper, so a preview, a PDF and a
stored paper always show the same thing. Dates a template prints are built as
German text (``german_date``); money stays a decimal string the ``money`` filter
formats.

Adding a report: see reports/papers/__init__.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify

from budgeting import calculations as calc
from budgeting.models import Scenario
from budgeting.selectors import default_period
from kimportal.models import County

PERIOD = "period"
SCENARIO = "scenario"
FISCAL_YEAR = "fiscal_year"
PARAMETERS = (PERIOD, SCENARIO, FISCAL_YEAR)


class ReportError(ValueError):
    """A report that cannot be made with these parameters or data; the message is German and fit for a user."""


def german_date(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


@dataclass(frozen=True)
class ReportParams:
    """The parameters of one report; unset ones are None. Scenarios are named as users name them."""

    start: date | None = None
    end: date | None = None
    scenario: str | None = None
    fiscal_year: int | None = None

    def as_query(self) -> dict[str, str]:
        """The parameters as the preview's query string and the stored paper keep them."""
        query = {}
        if self.start:
            query["start"] = f"{self.start:%Y-%m}"
        if self.end:
            query["end"] = f"{self.end:%Y-%m}"
        if self.scenario:
            query["scenario"] = self.scenario
        if self.fiscal_year:
            query["fiscal_year"] = str(self.fiscal_year)
        return query

    @classmethod
    def from_query(cls, query: dict) -> "ReportParams":
        """Parameters as as_query wrote them (stored with an issued paper); already validated then."""
        def month(value):
            return date.fromisoformat(f"{value}-01") if value else None

        return cls(start=month(query.get("start")), end=month(query.get("end")), scenario=query.get("scenario"),
                   fiscal_year=int(query["fiscal_year"]) if query.get("fiscal_year") else None)

    @property
    def period_end(self) -> date | None:
        return calc.month_end(self.end) if self.end else None

    def describe(self) -> str:
        parts = []
        if self.start and self.end:
            parts.append(f"Zeitraum {german_date(self.start)} – {german_date(self.period_end)}")
        if self.fiscal_year:
            parts.append(f"Haushaltsjahr {self.fiscal_year}")
        if self.scenario:
            parts.append(f"Szenario „{self.scenario}“")
        return ", ".join(parts)


class Report:
    """One committee-ready report. Subclasses set the class attributes and implement ``build`` and ``figures``."""

    slug: str = ""
    title: str = ""
    description: str = ""
    parameters: tuple[str, ...] = ()
    landscape: bool = False
    # What the paper says where KI staff have not written anything yet (ReportSetup).
    default_subject: str = ""
    default_preliminary_remarks: str = ""
    default_explanations: str = ""

    def default_texts(self, county: County) -> dict[str, str]:
        """The texts (subject, preliminary_remarks, explanations) a county's paper starts with; a report whose
        texts speak of the county's units or of the county itself words them for a kreisfreie Stadt here."""
        return {"subject": self.default_subject, "preliminary_remarks": self.default_preliminary_remarks,
                "explanations": self.default_explanations}

    @property
    def body_template(self) -> str:
        """The report's own part of the paper, shared by the HTML preview and the PDF."""
        return f"reports/body/{self.slug}.html"

    def default_params(self, county: County) -> ReportParams:
        """The parameters a report opens with: the committee papers' period where the county has positions then."""
        start, end = default_period(county)
        return ReportParams(
            start=start if PERIOD in self.parameters else None,
            end=end if PERIOD in self.parameters else None,
            fiscal_year=end.year if FISCAL_YEAR in self.parameters else None,
        )

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        """The report's data. ``show_names``: whether holders of positions may appear (never for the committee)."""
        raise NotImplementedError

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        """(key, German label, formatted value) of the figures a committee would notice changing."""
        raise NotImplementedError

    def workbook(self, data: dict, county: County, params: ReportParams) -> bytes | None:
        """The report's data as an XLSX workbook (bytes), for reports whose figures are worked on in Excel (the
        proof of use); None where the report has none (the default)."""
        return None

    @property
    def has_workbook(self) -> bool:
        return type(self).workbook is not Report.workbook

    def filename(self, county: County, params: ReportParams) -> str:
        parts = [self.slug, county.slug]
        if params.start and params.end:
            parts.append(f"{params.start:%Y-%m}-bis-{params.end:%Y-%m}")
        if params.fiscal_year:
            parts.append(str(params.fiscal_year))
        if params.scenario:
            parts.append(slugify(params.scenario))
        return "_".join(parts) + ".pdf"


_REGISTRY: dict[str, Report] = {}


def register(cls: type[Report]) -> type[Report]:
    """Class decorator: make a report available to the pages, the command and the benchmark."""
    if not cls.slug or cls.slug in _REGISTRY:
        raise ValueError(f"report slug missing or taken: {cls.slug!r}")
    unknown = set(cls.parameters) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"unknown report parameters: {sorted(unknown)}")
    _REGISTRY[cls.slug] = cls()
    return cls


def all_reports() -> list[Report]:
    import reports.papers  # noqa: F401  (registers the reports)

    return list(_REGISTRY.values())


def get_report(slug: str) -> Report:
    import reports.papers  # noqa: F401

    try:
        return _REGISTRY[slug]
    except KeyError:
        known = ", ".join(_REGISTRY) or "keine"
        raise ReportError(f"Unbekannter Bericht „{slug}“ (bekannt: {known}).") from None


def report_data(report: Report, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
    """The report's data as JSON values: what templates, the cache and issued papers see."""
    try:
        data = report.build(county, params, show_names=show_names)
    except calc.CalculationError as exc:
        raise ReportError(f"Die Berechnung ist mit diesen Daten nicht möglich: {exc}") from None
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# --------------------------------------------------------------------------- helpers for builds


def cases_for(county: County, params: ReportParams) -> list[Scenario | None]:
    """The base case and the chosen scenario, or every scenario of the county, as the own-share page offers them."""
    scenarios = Scenario.objects.filter(county=county).order_by("position", "name")
    if params.scenario:
        scenarios = scenarios.filter(name=params.scenario)
    return [None, *scenarios.prefetch_related("position_overrides", "coverage_overrides")]
