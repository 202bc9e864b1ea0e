"""The workbook in the browser, for administrators: upload, preview per sheet, confirm; template and export.
Finance officers (role Finanzcontrolling) download their own county's workbook (read only), nothing else.

The uploaded file stays on the server between preview and confirm: it is written to a private directory under
a random name that only the session knows (``SESSION_KEY``); the confirm step never takes a file or a path from
the client. Preview and import run the same importer (workbook.importer), the preview as a dry run.

Users an import creates have no password: after the import the page shows the administrator, once, a link for
each to set one (workbook.passwords; kept in the session only until that page is shown).
"""
from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from kimportal import roles
from kimportal.models import County
from kimportal.views import has_role

from .exporter import export_county, template
from .forms import UploadForm
from .importer import MISSING_NOTE, import_workbook
from .passwords import password_links, valid_until_text
from .reader import WorkbookInvalid

SESSION_KEY = "workbook_upload"
LINKS_KEY = "workbook_password_links"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "kimportal-arbeitsmappen"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def stored_upload(session) -> tuple[Path, dict] | None:
    """The file the session uploaded and its options, if it is still there."""
    pending = session.get(SESSION_KEY)
    if not pending or not _TOKEN.fullmatch(pending.get("token", "")):
        return None
    path = upload_dir() / f"{pending['token']}.xlsx"
    return (path, pending) if path.is_file() else None


def discard_upload(session) -> None:
    found = stored_upload(session)
    if found:
        found[0].unlink(missing_ok=True)
    session.pop(SESSION_KEY, None)


def xlsx_response(book, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    book.save(response)
    return response


class AdministrationRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Administrators only (role Administration or superuser); everyone else logged in gets 403."""

    def test_func(self):
        return can_import(self.request.user)


def can_import(user) -> bool:
    return user.is_superuser or has_role(user, roles.ADMINISTRATION)


def can_export(user, county) -> bool:
    """Administrators export every county; a finance officer only the county the user belongs to."""
    return can_import(user) or (has_role(user, roles.FINANCE) and user.county_id == county.pk)


class ExportAllowed(LoginRequiredMixin, UserPassesTestMixin):
    """Administrators and finance officers (their own county's workbook, checked in the view); others 403."""

    def test_func(self):
        user = self.request.user
        return can_import(user) or has_role(user, roles.FINANCE)


class WorkbookView(ExportAllowed, View):
    """GET: the upload form, the template and each county's export (finance officers: their county's export
    only). POST (administrators): upload and preview (a dry run)."""

    template_name = "workbook/workbook.html"

    def get(self, request):
        links = request.session.pop(LINKS_KEY, None) if can_import(request.user) else None
        return self.page(request, UploadForm(), password_links=links)

    def post(self, request):
        if not can_import(request.user):
            return HttpResponseForbidden("Nur die Administration liest Arbeitsmappen ein.")
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form, status=400)
        discard_upload(request.session)
        token = secrets.token_hex(16)
        path = upload_dir() / f"{token}.xlsx"
        with path.open("wb") as target:
            for chunk in form.cleaned_data["file"].chunks():
                target.write(chunk)
        options = {"slug": form.cleaned_data["slug"], "name": form.cleaned_data["name"]}
        try:
            result = import_workbook(path, dry_run=True, user=request.user, **options)
        except WorkbookInvalid as exc:
            path.unlink(missing_ok=True)
            if all(problem.sheet is None for problem in exc.problems):
                # Not a workbook at all: one message at the file field, not a list of cells to correct.
                form.add_error("file", f"„{form.cleaned_data['file'].name}“: {exc.problems[0].message}")
                return self.page(request, form, status=422)
            return self.page(request, form, problems=exc.problems, result=exc.result, status=422)
        request.session[SESSION_KEY] = {"token": token, "filename": form.cleaned_data["file"].name, **options}
        return self.page(request, UploadForm(), result=result, pending=request.session[SESSION_KEY])

    def page(self, request, form, *, problems=None, result=None, pending=None, password_links=None, status=200):
        admin = can_import(request.user)
        counties = County.objects.order_by("name")
        if not admin:
            counties = counties.filter(pk=request.user.county_id)
        context = {"form": form, "problems": problems or [], "result": result, "pending": pending,
                   "counties": counties, "missing_note": MISSING_NOTE, "can_import": admin}
        if password_links:
            context["password_links"] = {
                "until": password_links["until"],
                "links": [{"username": link["username"], "url": request.build_absolute_uri(link["path"])}
                          for link in password_links["links"]]}
        return render(request, self.template_name, context, status=status)


class WorkbookConfirmView(AdministrationRequired, View):
    """POST: import the workbook uploaded for the preview (the server's copy), then forget it."""

    def post(self, request):
        found = stored_upload(request.session)
        if found is None:
            messages.error(request, "Keine hochgeladene Arbeitsmappe gefunden; bitte die Mappe erneut hochladen.")
            return redirect("workbook:workbook")
        path, pending = found
        try:
            result = import_workbook(path, slug=pending.get("slug"), name=pending.get("name"), user=request.user)
        except WorkbookInvalid as exc:
            # The data changed since the preview: show every problem; nothing was saved.
            discard_upload(request.session)
            return WorkbookView().page(request, UploadForm(), problems=exc.problems, result=exc.result, status=422)
        discard_upload(request.session)
        messages.success(request, f"Arbeitsmappe „{pending.get('filename', '')}“ eingelesen: {result.summary()}.")
        links = password_links(result.new_users)
        if links:
            request.session[LINKS_KEY] = {"until": valid_until_text(),
                                          "links": [{"username": link.username, "path": link.path} for link in links]}
        return redirect("workbook:workbook")


class WorkbookCancelView(AdministrationRequired, View):
    def post(self, request):
        discard_upload(request.session)
        messages.info(request, "Import verworfen; nichts wurde gespeichert.")
        return redirect("workbook:workbook")


class TemplateDownloadView(AdministrationRequired, View):
    def get(self, request):
        return xlsx_response(template(), "kimportal-arbeitsmappe-vorlage.xlsx")


class CountyExportView(ExportAllowed, View):
    """The county's workbook: administrators any county, finance officers their own (another county: 403)."""

    def get(self, request, slug):
        county = get_object_or_404(County, slug=slug)
        if not can_export(request.user, county):
            raise PermissionDenied("Nur die Arbeitsmappe des eigenen Kreises.")
        return xlsx_response(export_county(county), f"{county.slug}.xlsx")
