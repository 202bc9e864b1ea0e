"""Pages of the draw-downs: the county's decisions with what is called, and each decision's draw-downs.

KI staff and finance officers record draw-downs; committee members do not see them (role permissions,
kimportal.roles). Every save checks the rules again with the decision locked (drawdowns.forms.DrawdownForm).
"""
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, TemplateView, UpdateView
from django_tables2 import SingleTableMixin

from budgeting.calculations import CalculationError
from drawdowns.forms import DrawdownForm
from drawdowns.models import Drawdown
from drawdowns.selectors import decision_label, decision_standing, granted, row_notes
from drawdowns.tables import DecisionStandingTable, DrawdownTable
from kimportal.pagination import CappedPaginationMixin
from kimportal.views import (CountyScopedMixin, HistoryMixin, OptimisticLockMixin, ProtectedDeleteMixin,
                             TableExportMixin)
from programmes.models import GrantDecision
from proofs.selectors import year_proofs


def county_decisions(county):
    """The county's grant decisions with programme, module and draw-downs loaded (three queries)."""
    return (GrantDecision.objects.filter(county=county).select_related("programme", "module")
            .prefetch_related(Prefetch("drawdowns", queryset=Drawdown.objects.order_by("requested_on", "due_on", "pk")))
            .order_by("-period_start", "programme__name", "module__name"))


class DrawdownOverviewView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin,
                           TemplateView):
    """All grant decisions of the county: granted, called, received, still to be called (EUR); CSV/XLSX export."""

    permission_required = "drawdowns.view_drawdown"
    template_name = "drawdowns/overview.html"
    table_class = DecisionStandingTable
    table_pagination = {"per_page": 200}
    export_name = "mittelabrufe"

    def get_table_data(self):
        rows = []
        for decision in county_decisions(self.county):
            drawdowns = list(decision.drawdowns.all())
            grant = granted(decision)
            standing = decision_standing(decision, drawdowns, grant)
            due = [d.due_on for d in drawdowns if d.due_on and not d.requested_on and not d.received_on]
            rows.append({"pk": decision.pk, "decision": decision_label(decision), "granted": grant.amount,
                         "basis": grant.basis, "requested": standing.requested, "received": standing.received,
                         "still_to_call": standing.still_to_call, "next_due": min(due, default=None)})
        return rows


def drawdown_rows(decision, drawdowns) -> list[dict]:
    """The draw-downs of a decision as table rows, with their state and notes (drawdowns.rules.call_notes)."""
    rows = []
    for d in drawdowns:
        state = "eingegangen" if d.received_on else "angefordert" if d.requested_on else "geplant"
        notes = [n for n in (d.note, *row_notes(decision, d)) if n]
        rows.append({"pk": d.pk, "due_on": d.due_on, "requested_on": d.requested_on,
                     "requested_amount": d.requested_amount, "received_on": d.received_on,
                     "received_amount": d.received_amount, "state": state, "note": "; ".join(notes)})
    return rows


class DecisionDrawdownsView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin,
                            TemplateView):
    """One decision's draw-downs and where it stands; CSV/XLSX export of the draw-downs."""

    permission_required = "drawdowns.view_drawdown"
    template_name = "drawdowns/decision.html"
    table_class = DrawdownTable
    table_pagination = {"per_page": 200}
    export_name = "mittelabrufe-bescheid"

    def get(self, request, *args, **kwargs):
        self.decision = get_object_or_404(county_decisions(self.county), pk=self.kwargs["decision_pk"])
        self.drawdowns = list(self.decision.drawdowns.all())
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        return drawdown_rows(self.decision, self.drawdowns)

    def get_table_kwargs(self):
        perms = self.request.user
        return {"can_change": perms.has_perm("drawdowns.change_drawdown"),
                "can_delete": perms.has_perm("drawdowns.delete_drawdown")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grant = granted(self.decision)
        repayments, repayment_error = decision_repayments(self.county, self.decision)
        context.update(decision=self.decision, label=decision_label(self.decision), grant=grant,
                       standing=decision_standing(self.decision, self.drawdowns, grant),
                       repayments=repayments, repayment_error=repayment_error,
                       vacancies=any(r["lost_grant"] for r in repayments))
        return context


def decision_repayments(county, decision) -> tuple[list[dict], str]:
    """Per fiscal year of the decision whose proof of use asks money back: the repayment (EUR), the grant lost to
    vacancies, what was received and is due, whether actuals are still missing, and the proof's page; with the
    German error where the statements cannot be computed. One engine run per year (proofs.selectors.year_proofs)."""
    rows = []
    for year in range(decision.period_start.year, decision.period_end.year + 1):
        try:
            proof = next((p for p in year_proofs(county, year) if p.decision.pk == decision.pk), None)
        except CalculationError as exc:
            return rows, str(exc)
        if proof is None or proof.statement.repayment <= 0:
            continue
        made = proof.statement
        rows.append({"year": year, "repayment": made.repayment, "lost_grant": made.lost_grant,
                     "received": made.received, "grant_due": made.grant_due, "provisional": made.provisional,
                     "url": reverse("proofs:decision", kwargs={"decision_pk": decision.pk, "year": year})})
    return rows, ""


class DrawdownSaveMixin(OptimisticLockMixin):
    """Save in one transaction with the decision locked, after checking the rules again against what is stored."""

    model = Drawdown
    form_class = DrawdownForm
    template_name = "drawdowns/form.html"

    def form_valid(self, form):
        return self.save_or_conflict(form, lambda: self._save(form))

    def _save(self, form):
        GrantDecision.objects.select_for_update().filter(pk=form.decision.pk).exists()
        if not form.check_rules():
            transaction.set_rollback(True)
            messages.error(self.request, "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert.")
            return self.render_to_response(self.get_context_data(form=form))
        form.instance.decision = form.decision
        self.object = form.save()
        messages.success(self.request, f"„{self.object}“ wurde gespeichert.")
        return redirect("drawdowns:decision", decision_pk=form.decision.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert.")
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = context["form"].decision
        grant = granted(decision)
        context.update(decision=decision, label=decision_label(decision), grant=grant,
                       standing=decision_standing(decision, grant=grant))
        return context


class DrawdownCreateView(DrawdownSaveMixin, CountyScopedMixin, CreateView):
    permission_required = "drawdowns.add_drawdown"

    def get_form_kwargs(self):
        decision = get_object_or_404(GrantDecision.objects.filter(county=self.county), pk=self.kwargs["decision_pk"])
        return {**super().get_form_kwargs(), "decision": decision, "county": self.county}


class DrawdownScopedMixin(CountyScopedMixin):
    model = Drawdown
    county_field = "decision__county"

    def get_queryset(self):
        return self.scope(Drawdown.objects.select_related("decision__programme", "decision__module"))


class DrawdownEditView(DrawdownSaveMixin, DrawdownScopedMixin, HistoryMixin, UpdateView):
    permission_required = "drawdowns.change_drawdown"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "county": self.county}


class DrawdownDeleteView(ProtectedDeleteMixin, DrawdownScopedMixin, DeleteView):
    permission_required = "drawdowns.delete_drawdown"
    template_name = "programmes/confirm_delete.html"

    def get_success_url(self):
        return f"/mittelabrufe/bescheid/{self.object.decision_id}/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object_verbose_name=f"Mittelabruf zum Zuwendungsbescheid {decision_label(self.object.decision)}",
                       cancel_url=self.get_success_url())
        return context
