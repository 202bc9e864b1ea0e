"""Task pages: start a report's PDF in the background, follow its progress, download the file, list recent runs.

KI staff and finance officers start and follow their county's runs (tasks.add_taskrun, tasks.view_taskrun);
committee members have neither. Everything is scoped to the user's county: another county's run answers 404.
A file with names of position holders is handed only to users who may see names (staffing.views.may_see_names).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView, View

from kimportal.views import CountyScopedMixin
from reports.forms import ReportParamsForm
from reports.registry import ReportError, get_report
from staffing.views import may_see_names

from .models import TaskRun
from .services import taskrun_start

RECENT = 50  # runs shown on the list
REFRESH_SECONDS = 2
REPORT_QUERY = ("start", "end", "scenario", "fiscal_year")  # reports.registry.ReportParams.as_query


class TaskRunAccessMixin(CountyScopedMixin):
    model = TaskRun
    permission_required = "tasks.view_taskrun"

    def get_queryset(self):
        return super().get_queryset().select_related("user")


class TaskRunListView(TaskRunAccessMixin, ListView):
    """The county's most recent runs, the user's own marked."""

    template_name = "tasks/taskrun_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")[:RECENT]


class TaskRunDetailView(TaskRunAccessMixin, DetailView):
    """A run's progress; reloads itself every two seconds until it is finished, then offers its file."""

    template_name = "tasks/taskrun_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refresh_seconds"] = None if self.object.is_finished else REFRESH_SECONDS
        context["may_download"] = may_download(self.object, self.request.user)
        context["report_url"] = report_url(self.object)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["refresh_seconds"]:
            # The same as the page's <meta http-equiv="refresh">, for browsers that honour only the header.
            response["Refresh"] = str(context["refresh_seconds"])
        return response


def report_url(run: TaskRun) -> str:
    """The preview a report's run was started from, with its parameters; empty for other kinds."""
    if run.kind != TaskRun.Kind.REPORT or not run.params.get("report"):
        return ""
    # In the order of the report's form: PostgreSQL's JSON keeps a dict's keys in an order of its own.
    query = {name: run.params[name] for name in REPORT_QUERY if run.params.get(name)}
    url = reverse("reports:report_preview", kwargs={"slug": run.params["report"]})
    return f"{url}?{urlencode(query)}" if query else url


def may_download(run: TaskRun, user) -> bool:
    """A finished run's file exists, and holds no names unless the user may see them."""
    path = run.result_path
    if run.status != TaskRun.Status.DONE or path is None or not path.is_file():
        return False
    return not run.params.get("show_names") or may_see_names(user)


class TaskRunDownloadView(TaskRunAccessMixin, DetailView):
    """The run's file (a PDF) as a download; 404 where there is none."""

    def render_to_response(self, context, **response_kwargs):
        run = self.object
        if run.params.get("show_names") and not may_see_names(self.request.user):
            raise PermissionDenied("Diese Datei enthält Namen von Stelleninhabern, die Sie nicht sehen dürfen.")
        if not may_download(run, self.request.user):
            raise Http404("Zu diesem Auftrag gibt es (noch) keine Datei.")
        return FileResponse(run.result_path.open("rb"), as_attachment=True, filename=run.result_name)


class ReportPdfStartView(CountyScopedMixin, View):
    """"PDF im Hintergrund erstellen" on a report's preview: the parameters as posted, then the task's page."""

    permission_required = "tasks.add_taskrun"
    http_method_names = ["post"]

    def post(self, request, slug):
        try:
            report = get_report(slug)
        except ReportError:
            raise Http404("Diesen Bericht gibt es nicht.") from None
        county = self.county
        preview = reverse("reports:report_preview", kwargs={"slug": slug})
        form = ReportParamsForm(request.POST, county=county, report=report)
        if not form.is_valid():
            messages.error(request, f"Das PDF wurde nicht gestartet: {form.error_text()}")
            return redirect(preview)
        params = form.params()
        title = ", ".join(part for part in (report.title, params.describe()) if part)
        run = taskrun_start(kind=TaskRun.Kind.REPORT, title=title, county=county, user=request.user,
                            params={"report": report.slug, **params.as_query(),
                                    "show_names": may_see_names(request.user)})
        # Without a broker the PDF is already made (or failed) here; either way its page says so.
        return redirect("tasks:taskrun_detail", pk=run.pk)
