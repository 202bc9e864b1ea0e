"""Own-share calculations, coverage sources, appropriations, scenarios and deadlines.

Every view is county-scoped (kimportal.views.CountyScopedMixin): an object of another
county is not in the queryset and answers 404.
"""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from actuals.forecast import case_forecasts
from budgeting import calculations as calc
from budgeting.cache import ENGINE_SOURCES, cached, cases_key
from budgeting.filters import AppropriationFilter, CoverageSourceFilter
from budgeting.forms import (
    AppropriationForm, CalculationForm, CoverageSourceForm, DeadlineFilterForm, MonthField, ScenarioForm,
    StatedFigureForm, coverage_window_formset, override_formsets,
)
from budgeting.models import Appropriation, CoverageSource, Scenario, StatedFigure
from budgeting.selectors import (calculation_input, case_blocks, default_period, differences,
                                 side_by_side)
from budgeting.tables import AppropriationTable, CoverageSourceTable, DeadlineTable, ScenarioTable
from kimportal.deadlines import upcoming_deadlines
from kimportal.pagination import CappedPaginationMixin
from kimportal.versioning import template_version
from kimportal.views import (CountyFormMixin, CountyScopedMixin, FormsetsSaveMixin, HistoryMixin, OptimisticLockMixin,
                             SavedMessageMixin, TableExportMixin)
from levy.presentation import overview_data as levy_data
from levy.selectors import levy_overview



# --------------------------------------------------------------------------- own-share calculation


def calculation_query(county, start: date, end: date) -> QueryDict:
    """The own-share page's parameters for a period, with all of the county's scenarios."""
    data = QueryDict(mutable=True)
    data.update({"start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}"})
    data.setlist("scenarios", [str(pk) for pk in Scenario.objects.filter(county=county).values_list("pk", flat=True)])
    return data


CASES_TEMPLATE = "budgeting/_calculation_cases.html"


def cases_html(county, start: date, end: date, scenarios, cases: list[dict]) -> str:
    """Every case's arithmetic block by block (``cases``: selectors.case_blocks), the own-share page's longest part
    (about 470 KB of HTML for a county of 600 positions and three scenarios), rendered once per data version and
    template (budgeting.cache; issue 13). It shows figures only: nothing in it depends on the user."""
    def render() -> str:
        return render_to_string(CASES_TEMPLATE, {"cases": cases})

    parts = (start, end, cases_key([None, *scenarios]), template_version(CASES_TEMPLATE))
    return mark_safe(cached(county.pk, "own-share-html", parts, render, sources=(*ENGINE_SOURCES, "kimportal")))


def calculation_context(request, county, data=None, stated_form=None) -> dict:
    if data is None:
        data = request.GET if ("start" in request.GET or "end" in request.GET) else calculation_query(
            county, *default_period(county))
    form = CalculationForm(data, county=county)
    context = {"form": form, "county": county}
    if not form.is_valid():
        return context
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    scenarios = list(form.cleaned_data["scenarios"])  # their assumptions are read only where the engine runs
    try:
        # The plan of every case and the base case's forecast (issue 12 §2) from one build of the engine's input.
        cases = case_forecasts(county, start, end, [None, *scenarios], only_base=True)
        comparison, forecast = cases.comparison, cases.forecasts[0]
    except calc.CalculationError as exc:
        context["calculation_error"] = str(exc)
        return context
    base = comparison.results[0]
    cases = case_blocks(comparison)
    context.update({
        "start": start, "end": end, "period_end": calc.month_end(end),
        "comparison": comparison, "results": comparison.results, "base": base,
        "side_by_side": side_by_side(comparison), "cases": cases,
        "cases_html": cases_html(county, start, end, scenarios, cases),
        "differences": differences(comparison),
        # The own share split over the municipalities (Kreisumlage): one query for the bases.
        "levy": levy_data(levy_overview(county, comparison)),
    })
    # Plan, actual and forecast of the base case, where the period has actuals or vacancies.
    if forecast.months_with_actuals or any(b.lost_grant for b in forecast.blocks):
        context["forecast"] = forecast
        context["forecast_totals"] = {name: forecast.total(name) for name in (
            "plan_total", "actual_total", "forecast_total", "lost_grant", "plan_own_share", "forecast_own_share",
            "deviation")}
    if request.user.has_perm("budgeting.add_statedfigure"):
        context["stated_form"] = stated_form or StatedFigureForm(
            county=county, blocks=base.blocks, initial={"start": start, "end": end})
    return context


class CalculationView(CountyScopedMixin, TemplateView):
    permission_required = "budgeting.view_scenario"
    template_name = "budgeting/calculation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(calculation_context(self.request, self.county))
        return context


class StatedFigureCreateView(CountyScopedMixin, View):
    """Record a figure as a paper printed it; one for the same block, field, period and case replaces it."""

    permission_required = "budgeting.add_statedfigure"
    template_name = "budgeting/calculation.html"

    def get(self, request):
        # The form lives on the own-share page; opened on its own, it shows that page for the chosen period.
        return TemplateResponse(request, self.template_name, calculation_context(request, self.county))

    def post(self, request):
        county = self.county
        month = MonthField()
        try:
            start, end = month.clean(request.POST.get("start")), month.clean(request.POST.get("end"))
            blocks = calculation_input(county, start, end).blocks
        except (ValidationError, calc.CalculationError):  # a forged or stale period: say so instead of failing
            messages.error(request, "Der Zeitraum ist ungültig; bitte die Berechnung neu aufrufen.")
            return redirect("budgeting:calculation")
        form = StatedFigureForm(request.POST, county=county, blocks=blocks)
        query = calculation_query(county, start, end)
        if not form.is_valid():
            context = calculation_context(request, county, data=query, stated_form=form)
            return TemplateResponse(request, self.template_name, context, status=400)
        stated_figure_save(county=county, data=form.cleaned_data)
        messages.success(request, "Der Betrag laut Vorlage wurde gespeichert; die Differenz steht unten.")
        return redirect(f"{reverse('budgeting:calculation')}?{query.urlencode()}#abweichungen")


def stated_figure_save(*, county, data: dict) -> StatedFigure:
    lookup = {
        "county": county, "scenario": data.get("scenario"), "block_key": data["block_key"],
        "period_start": data["start"], "period_end": calc.month_end(data["end"]), "field": data["field"],
    }
    with transaction.atomic():
        figure = StatedFigure.objects.filter(**lookup).order_by("pk").first() or StatedFigure(**lookup)
        figure.amount, figure.source = data["amount"], data["source"]
        figure.full_clean()
        figure.save()
    return figure


# --------------------------------------------------------------------------- coverage sources


class CoverageListView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin, FilterView):
    permission_required = "budgeting.view_coveragesource"
    model = CoverageSource
    table_class = CoverageSourceTable
    filterset_class = CoverageSourceFilter
    template_name = "budgeting/coveragesource_list.html"
    table_pagination = {"per_page": 25}
    export_name = "deckungsmittel"

    def get_queryset(self):
        return super().get_queryset().order_by("usable_until", "name", "pk")


def last_usable_day(source: CoverageSource, windows=()) -> date:
    """The source's last usable day: its deadline, a granted extension's date (effective_until), or a later
    deadline by purpose (``windows``: its CoverageWindow rows) – after it nothing can be drawn."""
    return max([source.effective_until, *(window.usable_until for window in windows)])


def balance_over_time(county, source: CoverageSource, windows=()) -> dict:
    """The engine's forecast for the source: month by month what the own shares use, and what is left.

    From the balance's date to the last usable month (last_usable_day: "nutzbar bis 30.11.2021", or the
    extension's date once granted); months after it draw nothing, so the preview does not show them. ``until`` is
    that day; ``lapsed`` True when the source ends before its balance's date (no rows then).
    """
    start, until = source.balance_as_of, last_usable_day(source, windows)
    base = {"rows": [], "until": until, "extended": source.effective_until != source.usable_until,
            "free_on": source.free_on, "lapsed": False}
    if until < start:
        return {**base, "lapsed": True, "used": calc.ZERO, "committed": calc.ZERO, "remaining": source.balance}
    try:
        result = calc.calculate(calculation_input(county, start, until))
    except calc.CalculationError as exc:
        return {**base, "error": str(exc)}
    usage = next((u for u in result.sources if u.name == source.name), None)
    rows, remaining = [], usage.opening_balance if usage else source.balance
    for index, month in enumerate(result.months):
        used = usage.used.get(month, calc.ZERO) if usage else calc.ZERO
        committed = usage.committed.get(month, calc.ZERO) if usage else calc.ZERO
        remaining -= used
        own_share = sum((b.months[index].own_share for b in result.blocks), calc.ZERO)
        rows.append({"month": month, "own_share": own_share, "used": used, "committed": committed,
                     "remaining": remaining})
    return {**base, "rows": rows, "start": result.start, "end": result.end,
            "used": sum((r["used"] for r in rows), calc.ZERO),
            "committed": sum((r["committed"] for r in rows), calc.ZERO), "remaining": remaining}


class CoverageDetailView(CountyScopedMixin, HistoryMixin, DetailView):
    permission_required = "budgeting.view_coveragesource"
    model = CoverageSource
    template_name = "budgeting/coveragesource_detail.html"
    context_object_name = "source"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["windows"] = list(self.object.windows.select_related("programme", "module")
                                  .order_by("usable_until", "pk"))
        context["forecast"] = balance_over_time(self.county, self.object, context["windows"])
        return context


class CoverageFormMixin(FormsetsSaveMixin):
    """The source and its deadlines by purpose."""

    model = CoverageSource
    form_class = CoverageSourceForm
    template_name = "budgeting/coveragesource_form.html"
    formset_names = ("window_formset",)
    detail_url = "budgeting:coverage_detail"

    def build_formsets(self, instance, data=None) -> list:
        return [coverage_window_formset(self.county, instance, data)]


class CoverageCreateView(CountyScopedMixin, CoverageFormMixin, CreateView):
    permission_required = "budgeting.add_coveragesource"


class CoverageEditView(CountyScopedMixin, CoverageFormMixin, UpdateView):
    permission_required = "budgeting.change_coveragesource"


# --------------------------------------------------------------------------- appropriations


class AppropriationScopedMixin(CountyScopedMixin):
    county_field = "budget_line__county"
    model = Appropriation

    def get_queryset(self):
        return super().get_queryset().select_related("budget_line")


class AppropriationListView(AppropriationScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin,
                            FilterView):
    permission_required = "budgeting.view_appropriation"
    table_class = AppropriationTable
    filterset_class = AppropriationFilter
    template_name = "budgeting/appropriation_list.html"
    table_pagination = {"per_page": 25}
    export_name = "haushaltsansaetze"

    def get_queryset(self):
        return super().get_queryset().order_by("budget_line__code", "fiscal_year", "pk")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "county": self.county}

    def get_table_kwargs(self):
        return {"can_edit": self.request.user.has_perm("budgeting.change_appropriation")}


class AppropriationFormMixin(SavedMessageMixin, CountyFormMixin):
    form_class = AppropriationForm
    template_name = "budgeting/appropriation_form.html"
    success_url = reverse_lazy("budgeting:appropriation_list")


class AppropriationCreateView(AppropriationScopedMixin, AppropriationFormMixin, CreateView):
    permission_required = "budgeting.add_appropriation"


class AppropriationEditView(OptimisticLockMixin, AppropriationScopedMixin, HistoryMixin, AppropriationFormMixin,
                            UpdateView):
    permission_required = "budgeting.change_appropriation"


# --------------------------------------------------------------------------- scenarios


class ScenarioListView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin, TemplateView):
    permission_required = "budgeting.view_scenario"
    table_class = ScenarioTable
    template_name = "budgeting/scenario_list.html"
    table_pagination = {"per_page": 25}
    export_name = "szenarien"

    def get_table_data(self):
        return (
            Scenario.objects.filter(county=self.county)
            .annotate(position_override_count=Count("position_overrides", distinct=True),
                      coverage_override_count=Count("coverage_overrides", distinct=True))
            .order_by("position", "name", "pk")
        )


class ScenarioDetailView(CountyScopedMixin, HistoryMixin, DetailView):
    permission_required = "budgeting.view_scenario"
    model = Scenario
    template_name = "budgeting/scenario_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["position_overrides"] = self.object.position_overrides.select_related(
            "position__pay_grade", "position__module").order_by("position__module__code", "position__title", "pk")
        context["coverage_overrides"] = self.object.coverage_overrides.select_related("source").order_by(
            "source__name", "pk")
        start, end = default_period(self.county)
        context["calculation_query"] = f"?start={start:%Y-%m}&end={end:%Y-%m}&scenarios={self.object.pk}"
        return context


class ScenarioSaveMixin(FormsetsSaveMixin):
    """The scenario and both override formsets."""

    model = Scenario
    form_class = ScenarioForm
    template_name = "budgeting/scenario_form.html"
    formset_names = ("position_formset", "coverage_formset")
    detail_url = "budgeting:scenario_detail"
    saved_message = "Das Szenario „{}“ wurde gespeichert."

    def build_formsets(self, instance, data=None) -> list:
        return list(override_formsets(self.county, instance, data))


class ScenarioCreateView(CountyScopedMixin, ScenarioSaveMixin, CreateView):
    permission_required = "budgeting.add_scenario"


class ScenarioEditView(CountyScopedMixin, ScenarioSaveMixin, UpdateView):
    permission_required = "budgeting.change_scenario"


class ScenarioDeleteView(CountyScopedMixin, DeleteView):
    permission_required = "budgeting.delete_scenario"
    model = Scenario
    template_name = "budgeting/scenario_confirm_delete.html"
    success_url = reverse_lazy("budgeting:scenario_list")

    def form_valid(self, form):
        name = str(self.object)
        response = super().form_valid(form)
        messages.success(self.request, f"Das Szenario „{name}“ wurde gelöscht.")
        return response


# --------------------------------------------------------------------------- deadlines


class DeadlineListView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin, TemplateView):
    permission_required = "programmes.view_application"
    table_class = DeadlineTable
    template_name = "budgeting/deadline_list.html"
    table_pagination = {"per_page": 50}
    export_name = "fristen"

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            self._filter_form = DeadlineFilterForm(self.request.GET or {"zeitraum": DeadlineFilterForm.UPCOMING})
        return self._filter_form

    def get_table_data(self):
        return upcoming_deadlines(self.county, include_past=self.get_filter_form().include_past())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["today"] = timezone.localdate()
        return context
