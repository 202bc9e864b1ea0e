"""The county's value limits (§ 83 GO NRW): a page everyone of the county reads, an edit page for finance
officers and administrators. Scoped to the user's county; saved together or not at all, without lost updates."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect
from django.views.generic import TemplateView, UpdateView

from kimportal.history import history_entries
from kimportal.views import CountyScopedMixin, OptimisticLockMixin

from . import forms
from .choices import BODY_SUGGESTIONS
from .models import ProvisionStatute
from .selectors import programme_kinds, provision_limits, visible_programmes
from .services import provision_limits_update

EDIT_PERMISSION = "provisions.change_provisionstatute"


class LimitsView(CountyScopedMixin, TemplateView):
    permission_required = "provisions.view_provisionstatute"
    template_name = "provisions/limits_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statute = ProvisionStatute.objects.filter(county=self.county).first()
        recorded = programme_kinds(self.county)
        context.update({
            "statute": statute,
            "limits": provision_limits(self.county),
            "programmes": [{"name": programme.name, "own": programme.county_id is not None,
                            "kind": recorded[programme.pk].get_spending_kind_display() if programme.pk in recorded
                            else None,
                            "reason": recorded[programme.pk].reason if programme.pk in recorded else ""}
                           for programme in visible_programmes(self.county)],
            "history": history_entries(statute) if statute is not None else [],
            "can_edit": self.request.user.has_perm(EDIT_PERMISSION),
        })
        return context


class LimitsEditView(OptimisticLockMixin, CountyScopedMixin, UpdateView):
    """Statute, stages and programme kinds in one form: all valid and saved together, or nothing is saved."""

    model = ProvisionStatute
    form_class = forms.StatuteForm
    permission_required = EDIT_PERMISSION
    template_name = "provisions/limits_form.html"

    def get_object(self, queryset=None):
        return self.get_queryset().first() or ProvisionStatute(county=self.county)

    def get_formsets(self, data=None) -> dict:
        statute = self.object
        stages = statute.stages.all() if statute.pk else []
        return {
            "stages": forms.StageFormSet(data, prefix="stufen", initial=forms.stage_initial(stages)),
            "programmes": forms.programme_kind_formset(visible_programmes(self.county),
                                                       programme_kinds(self.county), data),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formsets", self.get_formsets())
        context["body_list"] = forms.BODY_LIST
        context["body_suggestions"] = BODY_SUGGESTIONS
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        formsets = self.get_formsets(request.POST)
        valid = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
        if not all(valid):
            return self.invalid(form, formsets)
        try:
            return self.save_or_conflict(form, lambda: self.save_all(form, formsets), formsets=formsets)
        except (ValidationError, IntegrityError) as exc:
            # Someone recorded the county's first limits at the same moment, or a check of the models failed.
            messages_list = exc.messages if isinstance(exc, ValidationError) else [
                "Die Wertgrenzen wurden inzwischen von jemand anderem angelegt. Bitte laden Sie die Seite neu."]
            for message in messages_list:
                form.add_error(None, message)
            return self.invalid(form, formsets)

    def invalid(self, form, formsets):
        messages.error(self.request, "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert.")
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def save_all(self, form, formsets):
        statute = form.save(commit=False)
        statute.county = self.county
        provision_limits_update(statute=statute, stages=formsets["stages"].stages(),
                                programme_kinds=forms.programme_kinds(formsets["programmes"]))
        messages.success(self.request, "Die Wertgrenzen wurden gespeichert.")
        return redirect("provisions:limits")
