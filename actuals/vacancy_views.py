"""Pages to record, correct and delete a position's vacancies (issue 12 §4), for KI staff and finance officers.

A vacancy belongs to a position of the user's county (another county's answers 404); committee members may not
edit (403, role permissions in kimportal.roles). Every save checks the model's rules again with the position
locked, and an edit from a stale page is refused (kimportal.concurrency). After a save the position's page says
what the forecast (actuals.forecast) now loses in grant for the position's vacancies.
"""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, UpdateView

from budgeting.calculations import CalculationError
from kimportal.views import CountyScopedMixin, HistoryMixin, OptimisticLockMixin, ProtectedDeleteMixin
from staffing.models import Position

from .forecast import case_forecasts
from .models import Vacancy
from .vacancy_forms import VacancyForm

NOT_SAVED = "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert."
MAX_FORECAST_YEARS = 3  # the success message looks at most this many fiscal years from the vacancy's start


def position_url(position_pk: int) -> str:
    return reverse("staffing:position_detail", args=[position_pk])


def vacancy_grant_lines(vacancy: Vacancy) -> list[str]:
    """The forecast's lines on the grant the vacancies of ``vacancy.position`` lose, in the fiscal years from the
    vacancy's start to its end (an open vacancy: its first year; at most MAX_FORECAST_YEARS), e.g.
    "Vakanz Case Management in den Kommunen 7 01/2022–03/2022: 3/12 × 55.000 € = 13.750 € Förderung entfallen".

    Empty where the position's blocks have no flat rate (nothing lost). Raises CalculationError where the county's
    plan cannot be computed for those years."""
    first = vacancy.start_on.year
    last = min((vacancy.end_on or vacancy.start_on).year, first + MAX_FORECAST_YEARS - 1)
    cases = case_forecasts(vacancy.county, date(first, 1, 1), date(last, 12, 1), scenarios=[None])
    # The engine names a vacancy line after the position's title (actuals.forecast.forecast_inputs).
    prefix = f"Vakanz {vacancy.position.title} "
    return [line for block in cases.forecasts[0].blocks for line in block.lines if line.startswith(prefix)]


def saved_message(vacancy: Vacancy) -> str:
    """"Vakanz gespeichert." and what the forecast loses in grant for the position's vacancies (German)."""
    text = f"Vakanz gespeichert: {vacancy}."
    try:
        lines = vacancy_grant_lines(vacancy)
    except CalculationError as exc:
        return f"{text} Die Hochrechnung lässt sich derzeit nicht berechnen: {exc}"
    if not lines:
        return f"{text} Die Hochrechnung weist dafür keinen Ausfall an Förderung aus."
    return f"{text} Hochrechnung: {'; '.join(lines)}."


class VacancySaveMixin(OptimisticLockMixin):
    """Save in one transaction with the position locked, after checking the rules again against what is stored;
    then back to the position's page with what the vacancy costs in grant."""

    model = Vacancy
    form_class = VacancyForm
    template_name = "actuals/vacancy_form.html"

    def form_valid(self, form):
        response = self.save_or_conflict(form, lambda: self._save(form))
        if getattr(self, "saved", False):
            # After the transaction: the forecast runs the county's engine and needs no lock.
            messages.success(self.request, saved_message(self.object))
        return response

    def _save(self, form):
        Position.objects.select_for_update().filter(pk=form.position.pk).exists()
        if not form.check_rules():
            transaction.set_rollback(True)
            messages.error(self.request, NOT_SAVED)
            return self.render_to_response(self.get_context_data(form=form))
        self.object = form.save()
        self.saved = True
        return redirect(position_url(form.position.pk))

    def form_invalid(self, form):
        messages.error(self.request, NOT_SAVED)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["position"] = context["form"].position
        return context


class VacancyCreateView(VacancySaveMixin, CountyScopedMixin, CreateView):
    """A new vacancy of the position ``position_pk`` (of the user's county, else 404)."""

    permission_required = "actuals.add_vacancy"

    def get_form_kwargs(self):
        position = get_object_or_404(Position.objects.filter(county=self.county), pk=self.kwargs["position_pk"])
        return {**super().get_form_kwargs(), "position": position}


class VacancyScopedMixin(CountyScopedMixin):
    model = Vacancy

    def get_queryset(self):
        return self.scope(Vacancy.objects.select_related("position", "county"))


class VacancyEditView(VacancySaveMixin, VacancyScopedMixin, HistoryMixin, UpdateView):
    """Correct a vacancy: its dates and note, with its change history."""

    permission_required = "actuals.change_vacancy"


class VacancyDeleteView(ProtectedDeleteMixin, VacancyScopedMixin, DeleteView):
    """Delete a vacancy after a confirmation; back to the position's page."""

    permission_required = "actuals.delete_vacancy"
    template_name = "actuals/vacancy_confirm_delete.html"

    def get_success_url(self):
        return position_url(self.object.position_id)
