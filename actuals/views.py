"""Pages of actual costs, for KI staff and finance officers of the county (others 403).

Upload → (column mapping, where the file has other headers) → preview → confirm; the list of imports with undo;
one position's month grid for entries and corrections by hand. The uploaded file stays on the server between
the steps under a random name only the session knows (as for the workbook, workbook.views); confirm never takes
a file or a path from the client. Preview and import run the same service (actuals.services.actuals_import).
"""
from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from kimportal.pagination import CappedPaginationMixin
from kimportal.views import CountyScopedMixin, TableExportMixin
from programmes.choices import CostType
from staffing.models import Position

from .forms import MappingForm, MonthGridForm, UploadForm
from .models import ActualCost, ImportBatch
from .parsing import FIRST_YEAR, LAST_YEAR, ActualsFileInvalid, columns, read_table
from .selectors import imports_for_table, month_grid, month_totals, year_rows, year_total
from .services import (ActualsRefused, actual_costs_update, actuals_import, import_batch_undo,
                       import_batch_undo_plan)
from .tables import ImportBatchTable, MonthTotalsTable, PositionYearTable

SESSION_KEY = "actuals_upload"
_TOKEN = re.compile(r"[0-9a-f]{32}")
SHOWN_ERRORS = 50
SHOWN_MONTHS = 24  # the list page shows the latest months; the export has all
NO_RELOAD = ("Diese Seite lässt sich nicht neu laden oder direkt aufrufen. Bitte die Datei hier erneut hochladen; "
             "ob ein Import schon gespeichert wurde, zeigt die Liste der Importe.")


def upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "kimportal-ist"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def stored_upload(session, county) -> tuple[bytes, dict] | None:
    """The file this session uploaded for ``county`` and its options, if it is still there."""
    pending = session.get(SESSION_KEY)
    if not pending or not _TOKEN.fullmatch(pending.get("token", "")) or pending.get("county") != county.pk:
        return None
    path = upload_dir() / pending["token"]
    return (path.read_bytes(), pending) if path.is_file() else None


def discard_upload(session) -> None:
    pending = session.pop(SESSION_KEY, None)
    if pending and _TOKEN.fullmatch(pending.get("token", "")):
        (upload_dir() / pending["token"]).unlink(missing_ok=True)


class ActualsAccess(CountyScopedMixin):
    """KI staff and finance officers of the county: their roles hold the actuals permissions (kimportal.roles)."""


class ImportListView(ActualsAccess, TableExportMixin, CappedPaginationMixin, SingleTableMixin, TemplateView):
    """The county's imports, newest first, and the months with actual costs; both export as CSV and XLSX
    (``?_export=csv``: the imports; ``?_export=csv&tabelle=monate``: every month)."""

    permission_required = "actuals.view_importbatch"
    template_name = "actuals/import_list.html"
    table_class = ImportBatchTable
    table_pagination = {"per_page": 25}
    export_name = "ist-kosten-importe"

    def get_table_data(self):
        return imports_for_table(self.county)

    def create_export(self, export_format):
        if self.request.GET.get("tabelle") == "monate":
            exporter = self.export_class(export_format=export_format, table=MonthTotalsTable(month_totals(self.county)))
            return exporter.response(filename=f"ist-kosten-monate.{export_format}")
        return super().create_export(export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months_table"] = MonthTotalsTable(month_totals(self.county, limit=SHOWN_MONTHS))
        return context


class UploadView(ActualsAccess, View):
    """GET: the upload form. POST: keep the file, then the column mapping or the preview (a dry run)."""

    permission_required = "actuals.add_importbatch"
    template_name = "actuals/upload.html"

    def get(self, request):
        return self.page(request, form=UploadForm())

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form=form, status=400)
        discard_upload(request.session)
        upload = form.cleaned_data["file"]
        content = b"".join(upload.chunks())
        token = secrets.token_hex(16)
        (upload_dir() / token).write_bytes(content)
        request.session[SESSION_KEY] = {"token": token, "file_name": Path(upload.name).name, "county": self.county.pk,
                                        "mapping": None, "fixed_cost_type": None}
        try:
            headers = read_table(content, upload.name).headers
        except ActualsFileInvalid as exc:
            discard_upload(request.session)
            return self.page(request, form=UploadForm(), errors=exc.errors, status=422)
        try:
            columns(headers)
        except ActualsFileInvalid as exc:  # other headers: the user maps them
            return self.page(request, mapping_form=MappingForm(headers=headers), headers=headers,
                             errors=exc.errors, pending=request.session[SESSION_KEY])
        return self.preview(request, content, request.session[SESSION_KEY])

    def preview(self, request, content: bytes, pending: dict):
        try:
            plan = actuals_import(county=self.county, content=content, file_name=pending["file_name"],
                                  mapping=pending.get("mapping"), fixed_cost_type=pending.get("fixed_cost_type"),
                                  dry_run=True)
        except ActualsFileInvalid as exc:
            discard_upload(request.session)
            return self.page(request, form=UploadForm(), errors=exc.errors, status=422)
        return self.page(request, plan=plan, pending=pending)

    def page(self, request, *, status=200, errors=(), **context):
        return upload_page(request, self.county, status=status, errors=errors, **context)


def upload_page(request, county, *, status=200, errors=(), **context):
    """The upload page with the form, the mapping or the preview; at most SHOWN_ERRORS errors are listed."""
    errors = list(errors)
    context.update(county=county, errors=errors[:SHOWN_ERRORS], more_errors=max(0, len(errors) - SHOWN_ERRORS))
    return render(request, UploadView.template_name, context, status=status)


def no_reload(request):
    """A GET of a step that only takes a POST (a reload, a bookmark): back to the upload, with a German message."""
    messages.info(request, NO_RELOAD)
    return redirect("actuals:upload")


class MappingView(UploadView):
    """POST: the columns chosen for the uploaded file, then its preview. GET (a reload): back to the upload."""

    def get(self, request):
        return no_reload(request)

    def post(self, request):
        found = stored_upload(request.session, self.county)
        if found is None:
            messages.error(request, "Keine hochgeladene Datei gefunden; bitte die Datei erneut hochladen.")
            return redirect("actuals:upload")
        content, pending = found
        try:
            headers = read_table(content, pending["file_name"]).headers
        except ActualsFileInvalid as exc:
            discard_upload(request.session)
            return self.page(request, form=UploadForm(), errors=exc.errors, status=422)
        form = MappingForm(request.POST, headers=headers)
        if not form.is_valid():
            return self.page(request, mapping_form=form, headers=headers, pending=pending, status=400)
        pending.update(mapping=form.mapping(headers), fixed_cost_type=form.fixed_cost_type())
        request.session[SESSION_KEY] = pending
        return self.preview(request, content, pending)


class ConfirmView(ActualsAccess, View):
    """POST: import the file of the preview (the server's copy) with its mapping, then forget it.
    GET (a reload of the page after a refused import): back to the upload."""

    permission_required = "actuals.add_importbatch"

    def get(self, request):
        return no_reload(request)

    def post(self, request):
        found = stored_upload(request.session, self.county)
        if found is None:
            messages.error(request, "Keine hochgeladene Datei gefunden; bitte die Datei erneut hochladen.")
            return redirect("actuals:upload")
        content, pending = found
        try:
            plan = actuals_import(county=self.county, content=content, file_name=pending["file_name"],
                                  mapping=pending.get("mapping"), fixed_cost_type=pending.get("fixed_cost_type"),
                                  user=request.user)
        except ActualsFileInvalid as exc:  # the positions changed since the preview
            discard_upload(request.session)
            return upload_page(request, self.county, form=UploadForm(), errors=exc.errors, status=422)
        discard_upload(request.session)
        messages.success(request, f"{plan.batch} gespeichert: {plan.summary()}.")
        return redirect("actuals:import_detail", pk=plan.batch.pk)


class CancelView(ActualsAccess, View):
    """POST: forget the uploaded file. GET (a reload): back to the upload."""

    permission_required = "actuals.add_importbatch"

    def get(self, request):
        return no_reload(request)

    def post(self, request):
        discard_upload(request.session)
        messages.info(request, "Import verworfen; nichts wurde gespeichert.")
        return redirect("actuals:import_list")


class ImportDetailView(ActualsAccess, DetailView):
    """One import: its totals per month and every row with the value it replaced."""

    model = ImportBatch
    permission_required = "actuals.view_importbatch"
    template_name = "actuals/import_detail.html"
    context_object_name = "batch"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "undone_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("position").order_by("line")
        return context


class ImportUndoView(ActualsAccess, DetailView):
    """GET: the confirmation page (what the undo restores and removes: counts, months, totals; or why it is
    refused); POST: undo it as a whole (actuals.services.import_batch_undo)."""

    model = ImportBatch
    permission_required = "actuals.change_importbatch"
    template_name = "actuals/import_undo_confirm.html"
    context_object_name = "batch"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.undone_at is not None:
            messages.info(request, f"{self.object} ist schon rückgängig gemacht.")
            return redirect("actuals:import_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(undo=import_batch_undo_plan(self.object)))

    def post(self, request, pk):
        batch = self.get_object()
        try:
            done = import_batch_undo(batch=batch, user=request.user)
        except ActualsRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{batch} wurde rückgängig gemacht: {done.summary()}.")
        return redirect("actuals:import_detail", pk=batch.pk)


def parse_year(raw: str) -> int | None:
    """The year ``?jahr=`` names (2000 to 2100), or None."""
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) == 4 and FIRST_YEAR <= int(raw) <= LAST_YEAR else None


class PositionActualsView(ActualsAccess, TableExportMixin, DetailView):
    """One position's actual costs for a year (``?jahr=2022``): a month grid to enter and correct by hand,
    exported as CSV and XLSX (``&_export=xlsx``). Without ``jahr``: the latest year with figures, else this year;
    a ``jahr`` that is no year (abc, 0, 99999) goes there with a message, never silently."""

    model = Position
    permission_required = "actuals.view_actualcost"
    template_name = "actuals/position_actuals.html"
    context_object_name = "position"

    def has_permission(self):
        if self.request.method == "POST":
            return self.request.user.has_perm("actuals.change_actualcost")
        return super().has_permission()

    def get_queryset(self):
        return super().get_queryset().select_related("module", "pay_grade")

    def default_year(self) -> int:
        latest = ActualCost.objects.filter(position=self.object).order_by("-month").values_list("month", flat=True)
        return latest[0].year if latest else timezone.localdate().year

    def year(self) -> int:
        raw = self.request.POST.get("jahr") if self.request.method == "POST" else self.request.GET.get("jahr")
        return parse_year(raw or "") or self.default_year()

    def bad_year(self, request):
        """A redirect to the default year with a German message, where ``jahr`` is given but no year; else None."""
        raw = (request.POST if request.method == "POST" else request.GET).get("jahr")
        if raw is None or (request.method == "GET" and not raw.strip()) or parse_year(raw) is not None:
            return None
        fallback = self.default_year()
        saved = " Es wurde nichts gespeichert." if request.method == "POST" else ""
        messages.error(request, f"„{raw[:20]}“ ist kein Jahr (bitte eine Jahreszahl von {FIRST_YEAR} bis "
                                f"{LAST_YEAR}, z. B. {fallback}); angezeigt wird {fallback}.{saved}")
        return redirect(f"{request.path}?jahr={fallback}")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.bad_year(request) or self.render_to_response(self.get_context_data(object=self.object))

    def form(self, data=None):
        year = self.year()
        today = timezone.localdate()
        return MonthGridForm(data, year=year, current=month_grid(self.object, year),
                             term=(self.object.start_on, self.object.end_on) if self.object.start_on else None,
                             last_month=today.replace(day=1))

    def get_table_kwargs(self):
        return {}

    def get_table(self, **kwargs):
        year = self.year()
        return PositionYearTable(year_rows(month_grid(self.object, year), year), **kwargs)

    def get_export_filename(self, export_format):
        name = slugify(self.object.position_number) or f"stelle-{self.object.pk}"
        return f"ist-kosten-{name}-{self.year()}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or self.form()
        current = month_grid(self.object, form.year)
        rows = year_rows(current, form.year)
        codes = [code for code, _ in CostType.choices]
        grid = [(month, fields, row["total"]) for (month, fields), row in zip(form.rows(), rows)]
        context.update(form=form, year=form.year, cost_types=CostType.choices, grid=grid,
                       column_totals=[year_total(rows, code) for code in codes], total=year_total(rows, "total"),
                       previous_year=form.year - 1 if form.year > FIRST_YEAR else None,
                       next_year=form.year + 1 if form.year < LAST_YEAR else None,
                       sources=sorted(current.values(), key=lambda f: (f.month, f.cost_type)),
                       may_edit=self.request.user.has_perm("actuals.change_actualcost"))
        return context

    def post(self, request, pk):
        self.object = self.get_object()
        refused = self.bad_year(request)
        if refused:
            return refused
        form = self.form(request.POST)
        if not form.is_valid():
            messages.error(request, "Bitte die markierten Beträge korrigieren; es wurde nichts gespeichert.")
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            changes = actual_costs_update(position=self.object, values=form.values(), loaded=form.loaded_values(),
                                          user=request.user)
        except ActualsRefused as exc:
            messages.error(request, str(exc))
            return self.render_to_response(self.get_context_data(form=self.form()), status=409)
        messages.success(request, f"Ist-Kosten {form.year} von „{self.object.title}“ gespeichert: {changes}.")
        return redirect(f"{request.path}?jahr={form.year}")
