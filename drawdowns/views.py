"""Pages of the draw-downs: the county's decisions with what is called, and each decision's draw-downs.

KI staff and finance officers record draw-downs; committee members do not see them (role permissions,
kimportal.roles). Every save checks the rules again with the decision locked (drawdowns.forms.DrawdownForm).
"""
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DeleteView, TemplateView, UpdateView

from drawdowns.forms import DrawdownForm
from drawdowns.models import Drawdown
from drawdowns.selectors import decision_standing
from kimportal.views import CountyScopedMixin, HistoryMixin, OptimisticLockMixin, ProtectedDeleteMixin
from programmes.models import GrantDecision


def county_decisions(county):
    """The county's grant decisions with programme, module and draw-downs loaded (three queries)."""
    return (GrantDecision.objects.filter(county=county).select_related("programme", "module")
            .prefetch_related(Prefetch("drawdowns", queryset=Drawdown.objects.order_by("requested_on", "due_on", "pk")))
            .order_by("-period_start", "programme__name", "module__name"))


class DrawdownOverviewView(CountyScopedMixin, TemplateView):
    """All grant decisions of the county: granted, called, received, still to be called (EUR)."""

    permission_required = "drawdowns.view_drawdown"
    template_name = "drawdowns/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for decision in county_decisions(self.county):
            drawdowns = list(decision.drawdowns.all())
            due = [d.due_on for d in drawdowns if d.due_on and not d.requested_on and not d.received_on]
            rows.append((decision, decision_standing(decision, drawdowns), min(due, default=None)))
        context["rows"] = rows
        return context


class DecisionDrawdownsView(CountyScopedMixin, TemplateView):
    """One decision's draw-downs and where it stands."""

    permission_required = "drawdowns.view_drawdown"
    template_name = "drawdowns/decision.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = get_object_or_404(county_decisions(self.county), pk=self.kwargs["decision_pk"])
        drawdowns = list(decision.drawdowns.all())
        context.update(decision=decision, drawdowns=drawdowns, standing=decision_standing(decision, drawdowns))
        return context


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
        context.update(decision=decision, standing=decision_standing(decision))
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
        context.update(object_verbose_name="den Mittelabruf", cancel_url=self.get_success_url())
        return context
