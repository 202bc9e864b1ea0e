"""Report pages: the list, the HTML preview with its PDF, the texts, issuing a paper and the issued papers.

Every role with a county reads reports; committee members see no names of
position holders and edit nothing. Everything is scoped to the user's county:
another county's issued paper answers 404.
"""
from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.views.generic import DetailView, ListView, TemplateView, UpdateView, View

from kimportal.views import CountyScopedMixin, OptimisticLockMixin
from staffing.views import may_see_names

from .forms import ReportParamsForm, ReportSetupForm
from .models import IssuedReport, ReportSetup
from .registry import ReportError, all_reports, get_report
from .pdf_cache import report_pdf
from .selectors import changes_since, paper_context, setup_for
from .services import report_issue

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
ISSUE_PERMISSION = "reports.add_issuedreport"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file the browser saves (Content-Disposition: attachment) under ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    return download(pdf, filename, "application/pdf")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class ReportAccessMixin(CountyScopedMixin):
    """Readers read; anything else they send is refused (403), whatever the method."""

    permission_required = "reports.view_report"
    write_permission = ISSUE_PERMISSION

    def get_permission_required(self):
        if self.request.method not in READ_METHODS:
            return (self.write_permission,)
        return super().get_permission_required()


class ReportMixin(ReportAccessMixin):
    """A view of one report, named by the URL's slug."""

    @cached_property
    def report(self):
        try:
            return get_report(self.kwargs["slug"])
        except ReportError:
            raise Http404("Diesen Bericht gibt es nicht.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context


class ReportListView(ReportAccessMixin, TemplateView):
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = all_reports()
        context["issued_count"] = IssuedReport.objects.filter(county=self.county).count()
        return context


class ReportPaperView(ReportMixin, View):
    """The preview (HTML) and the PDF of one report for the parameters of the query string."""

    template_name = "reports/preview.html"
    as_pdf = False
    as_xlsx = False

    def get(self, request, slug):
        county = self.county
        form = ReportParamsForm(request.GET, county=county, report=self.report)
        context = {"report": self.report, "form": form, "county": county}
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, context, status=400)
        params = form.params()
        try:
            if self.as_pdf:  # served by its data version where unchanged, without computing the paper
                pdf = report_pdf(self.report, county, params, show_names=may_see_names(request.user))
                return pdf_response(pdf, self.report.filename(county, params))
            paper = paper_context(self.report, county, params, show_names=may_see_names(request.user))
        except ReportError as exc:
            context["report_error"] = str(exc)
            return TemplateResponse(request, self.template_name, context, status=400)
        if self.as_xlsx:
            if not self.report.has_workbook:
                raise Http404("Diesen Bericht gibt es nicht als Excel-Datei.")
            return xlsx_response(self.report.workbook(paper["data"], county, params),
                                 self.report.filename(county, params).removesuffix(".pdf") + ".xlsx")
        context.update({
            # The form shows the parameters the paper was made with, defaults included.
            "form": ReportParamsForm(params.as_query(), county=county, report=self.report),
            "paper": paper, "params": params, "query": urlencode(params.as_query()),
            "setup_saved": ReportSetup.objects.filter(county=county, report=self.report.slug).exists(),
        })
        return TemplateResponse(request, self.template_name, context)


class ReportSetupUpdateView(OptimisticLockMixin, ReportMixin, UpdateView):
    """The texts KI staff write around a report: header, Vorbemerkungen, Erläuterungen, coverage, signature."""

    model = ReportSetup
    form_class = ReportSetupForm
    template_name = "programmes/form.html"
    permission_required = write_permission = "reports.change_reportsetup"

    def get_object(self, queryset=None):
        return setup_for(self.county, self.report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = f"Texte der Vorlage: {self.report.title}"
        context["cancel_url"] = self.get_success_url()
        return context

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "county": self.county}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Die Texte zu „{self.report.title}“ wurden gespeichert.")
        return response

    def get_success_url(self):
        return reverse("reports:report_preview", kwargs={"slug": self.report.slug})


class IssuedReportCreateView(ReportMixin, View):
    """Issue the report to the committee: its data and PDF of this moment are stored."""

    permission_required = ISSUE_PERMISSION
    http_method_names = ["post"]

    def post(self, request, slug):
        form = ReportParamsForm(request.POST, county=self.county, report=self.report)
        preview = reverse("reports:report_preview", kwargs={"slug": slug})
        if not form.is_valid():
            messages.error(request, f"Die Vorlage wurde nicht ausgegeben: {form.error_text()}")
            return redirect(preview)
        try:
            issued = report_issue(county=self.county, report=self.report, params=form.params(), user=request.user)
        except ReportError as exc:
            messages.error(request, f"Die Vorlage wurde nicht ausgegeben: {exc}")
            return redirect(f"{preview}?{urlencode(form.params().as_query())}")
        messages.success(request, f"Vorlage {issued.paper_number} wurde an „{issued.committee}“ ausgegeben und "
                                  "mit ihren Daten gespeichert.")
        return redirect("reports:issuedreport_detail", pk=issued.pk)


class IssuedReportQuerysetMixin(ReportAccessMixin):
    permission_required = "reports.view_issuedreport"
    model = IssuedReport

    def get_queryset(self):
        return super().get_queryset().defer("pdf").select_related("issued_by")


class IssuedReportListView(IssuedReportQuerysetMixin, ListView):
    template_name = "reports/issuedreport_list.html"
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().defer("snapshot").order_by("-issued_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_issuer"] = self.request.user.has_perm(ISSUE_PERMISSION)
        return context


class IssuedReportDetailView(IssuedReportQuerysetMixin, DetailView):
    template_name = "reports/issuedreport_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["changes"] = changes_since(self.object)
        except ReportError as exc:
            context["changes_error"] = str(exc)
        context["paper"] = self.object.snapshot
        context["show_issuer"] = self.request.user.has_perm(ISSUE_PERMISSION)
        return context


class IssuedReportPdfView(IssuedReportQuerysetMixin, DetailView):
    """The PDF exactly as the committee got it."""

    def get_queryset(self):
        return super().get_queryset().defer(None)

    def render_to_response(self, context, **response_kwargs):
        issued = self.object
        return pdf_response(bytes(issued.pdf), f"vorlage-{slugify(issued.paper_number)}_{issued.report}.pdf")
