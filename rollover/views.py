"""The rollover page (/fortschreibung/): choose a fiscal year, preview the three lists, create the scenario
"Fortschreibung Y+1", take it into the plan.

Finance officers and administrators of the county write (rollover.change_rollover); KI staff read; committee
members get 403 (kimportal.roles). Everything is the user's own county.
"""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from budgeting import calculations as calc
from budgeting.models import Appropriation
from budgeting.selectors import own_share_comparison
from kimportal.views import CountyScopedMixin

from .models import Rollover
from .drops import grant_drops
from .presentation import TITLES, sections
from .rules import RolloverRefused, check_year
from .selectors import county_plan
from .services import rollover_apply, rollover_scenario_create

ACTIONS = {"szenario": "Als Szenario anlegen", "uebernehmen": "In den Plan übernehmen"}


def default_year(county) -> int:
    """The latest fiscal year with appropriations, else last calendar year."""
    latest = (Appropriation.objects.filter(budget_line__county=county).order_by("-fiscal_year")
              .values_list("fiscal_year", flat=True).first())
    return latest if latest is not None else timezone.localdate().year - 1


class RolloverView(CountyScopedMixin, TemplateView):
    """GET ?jahr=Y: the preview; POST jahr=Y, aktion=szenario|uebernehmen: first the confirmation (the same page
    with what will be written and the warnings, nothing saved), then with bestaetigt=ja the write."""

    permission_required = "rollover.view_rollover"
    template_name = "rollover/rollover.html"

    def get_context_data(self, *, year_input=None, confirm=None, **kwargs):
        context = super().get_context_data(**kwargs)
        county = self.county
        raw = year_input or self.request.GET.get("jahr", "").strip() or default_year(county)
        context.update(year_input=raw, actions=ACTIONS,
                       may_write=self.request.user.has_perm("rollover.change_rollover"))
        try:
            year = check_year(raw)
        except RolloverRefused as error:
            context["year_error"] = str(error)
            return context
        plan = county_plan(county, year)
        rollover = Rollover.objects.filter(county=county, year=year).select_related("scenario", "applied_by").first()
        context.update(year=year, plan=plan, rollover=rollover, drops=grant_drops(plan), confirm=confirm,
                       sections=[(TITLES[key], rows) for key, rows in sections(plan).items()])
        if rollover is not None and rollover.scenario_id and rollover.applied_at is None:
            context["comparison"] = self.comparison(county, year + 1, rollover.scenario)
        return context

    @staticmethod
    def comparison(county, target_year: int, scenario) -> dict:
        """The Planstand and the rollover's scenario for the whole year Y+1, totals side by side (EUR)."""
        start, end = date(target_year, 1, 1), date(target_year, 12, 1)
        try:
            result = own_share_comparison(county, start, end, [None, scenario])
        except calc.CalculationError as error:
            return {"error": str(error)}
        rows = [(label, [r.total(field) for r in result.results]) for field, label in
                (("total", "Gesamtkosten"), ("grant", "Förderung"), ("third_party", "Kostenanteil Dritter"),
                 ("own_share", "Eigenanteil"))]
        rows.append(("ungedeckt (überplanmäßig)", [r.unplanned_provision for r in result.results]))
        url = (reverse("budgeting:calculation")
               + f"?start={target_year}-01&end={target_year}-12&scenarios={scenario.pk}")
        return {"names": [r.name for r in result.results], "rows": rows, "url": url}

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("rollover.change_rollover"):
            raise PermissionDenied("Nur das Finanzcontrolling schreibt den Plan fort.")
        action = request.POST.get("aktion")
        raw = request.POST.get("jahr", "")
        target = reverse("rollover:rollover") + f"?jahr={raw.strip()}"
        try:
            year = check_year(raw)
            if action not in ACTIONS:
                raise RolloverRefused("Unbekannte Aktion; nichts gespeichert.")
            if request.POST.get("bestaetigt") != "ja":
                # The confirmation step: the lists, what will be written and the warnings once more; no write.
                return self.render_to_response(self.get_context_data(year_input=str(year), confirm=action))
            if action == "szenario":
                rollover, plan = rollover_scenario_create(county=self.county, year=year, user=request.user)
                messages.success(request, f"Szenario „{rollover.scenario.name}“ angelegt: "
                                          f"{len(plan.appropriations)} Haushaltsansätze und {len(plan.expected)} "
                                          f"erwartete Bescheide als Annahmen. Noch ist nichts im Plan.")
            else:
                applied = rollover_apply(county=self.county, year=year, user=request.user)
                if applied.created_anything:
                    messages.success(request, f"In den Plan {year + 1} übernommen: {len(applied.appropriations)} "
                                              f"Haushaltsansätze und {len(applied.decisions)} erwartete Bescheide "
                                              "angelegt. Die Bescheide sind als „erwartet (noch kein Bescheid)“ "
                                              "markiert; Mittel lassen sich erst abrufen, wenn das Bescheiddatum "
                                              "eingetragen ist.")
                else:
                    messages.info(request, f"Nichts Neues: der Plan {year + 1} hat schon alles; nichts angelegt.")
                if applied.scenario_note:
                    messages.info(request, applied.scenario_note)
        except RolloverRefused as error:
            messages.error(request, str(error))
        return redirect(target)
