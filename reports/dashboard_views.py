"""The start page: the county's dashboard for a fiscal year, for every role.

Committee members read it like everyone else; what they may not open (edit
pages, lists that name staff) is not linked for them, because every link is
checked against the permission of the view it points to.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from budgeting import calculations as calc
from budgeting.cache import ENGINE_SOURCES, cached
from budgeting.views import calculation_query
from reports.dashboard import dashboard, dashboard_charts, fiscal_year_period, fiscal_years


# The code a cached dashboard comes from: the engine's and the dashboard's (charts, deadlines, staffing figures).
DASHBOARD_SOURCES = (*ENGINE_SOURCES, "reports", "kimportal", "programmes", "staffing", "proofs", "drawdowns")


class FiscalYearForm(forms.Form):
    jahr = forms.TypedChoiceField(label="Haushaltsjahr", coerce=int, error_messages={
        "invalid_choice": "Bitte ein Haushaltsjahr aus der Liste wählen."})

    def __init__(self, *args, years: tuple[int, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [(year, str(year)) for year in years]


def permitted_url(request, url: str | None) -> str | None:
    """The URL if the user may open the page behind it (a GET), else None: no link is shown.

    The permissions are the view's own (``get_permission_required``), so a view
    that asks for more on a POST than on a GET is judged by its GET.
    """
    if not url:
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not hasattr(view_class, "get_permission_required"):
        return url
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    try:
        required = view.get_permission_required()
    except ImproperlyConfigured:
        return url
    return url if request.user.has_perms(required) else None


def without_lines(board):
    """The dashboard as the start page shows it: each case's blocks without the engine's lines (the arithmetic of
    every segment) and with one figure for the whole period instead of one per month. A twentieth of the size, so
    reading it from the cache costs a few milliseconds even for a county of 600 positions; totals, risk range and
    unplanned provision stay exactly the engine's."""
    if board.own_share is None:
        return board

    def summary(block, start):
        whole = calc.MonthFigures(start, block.total, block.grant, block.third_party, block.own_share,
                                  dict(block.covered), block.uncovered)
        return replace(block, lines=[], months=[whole])

    comparison = board.own_share.comparison
    slim = replace(comparison, results=[
        replace(result, blocks=[summary(block, result.start) for block in result.blocks])
        for result in comparison.results])
    return replace(board, own_share=replace(board.own_share, comparison=slim))


def dashboard_of(county, year: int, today):
    """The dashboard and its charts for the county's fiscal year as of ``today``: computed once per data version
    (budgeting.cache; issue 13), so a second request with unchanged data reads them from the shared cache instead of
    running the engine and the dashboard's queries again. Returns (Dashboard, DashboardCharts)."""
    def compute():
        board = dashboard(county, *fiscal_year_period(year), today=today)
        return without_lines(board), dashboard_charts(board)

    return cached(county.pk, "dashboard", (year, today), compute, sources=DASHBOARD_SOURCES)


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        county = getattr(user, "county", None)
        context["county"] = county
        if county is None:
            # Administrators without a county work in the Django admin.
            return context
        today = timezone.localdate()
        choice = fiscal_years(county, today)
        form = FiscalYearForm(self.request.GET if "jahr" in self.request.GET else None, years=choice.years)
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["jahr"]
        else:
            year = choice.default
            if not form.is_bound:
                form = FiscalYearForm(initial={"jahr": year}, years=choice.years)
        board, charts = dashboard_of(county, year, today)
        context.update({
            "form": form,
            "year": year,
            "board": board,
            "charts": charts,
            "carried_forward": [row for row in board.staffing if row.carried_forward],
            "deadlines": [{"deadline": d, "url": permitted_url(self.request, d.url)} for d in board.deadlines],
            "links": self.links(board),
        })
        return context

    def links(self, board) -> dict:
        """The pages the dashboard points to, each only if the user may open it."""
        targets = {
            "positions": reverse("staffing:position_list"),
            "position_create": reverse("staffing:position_create"),
            "calculation": f"{reverse('budgeting:calculation')}?"
                           f"{calculation_query(self.request.user.county, board.start, board.end).urlencode()}",
            "deadlines": reverse("budgeting:deadlines"),
            "coverage": reverse("budgeting:coverage_list"),
        }
        if board.allocation is not None:
            targets["allocation"] = reverse("staffing:allocation_detail", args=[board.allocation.allocation_id])
        if board.next_expiry is not None:
            targets["next_expiry"] = reverse("budgeting:coverage_detail", args=[board.next_expiry.source_id])
        return {name: permitted_url(self.request, url) for name, url in targets.items()}
