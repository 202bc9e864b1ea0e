"""Programmes, grant decisions, applications and focus goals: thin views, scoped to the user's county."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from budgeting.periods import version_end
from kimportal import roles
from kimportal.pagination import CappedPaginationMixin
from kimportal.views import (CountyFormMixin, CountyScopedMixin, HistoryMixin, OptimisticLockMixin, ProtectedDeleteMixin,
                             SavedMessageMixin, TableExportMixin, has_role)

from . import filters, forms, tables
from .services import PassThroughLimitError, grant_decision_save
from .models import (Application, ApplicationStep, FocusGoal, FundingRate, GrantDecision, GrantedSlot, PassThrough,
                     Programme)


class CountyListView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin, FilterView):
    table_pagination = {"per_page": 25}


def detail_url(obj) -> str:
    return reverse(f"programmes:{obj._meta.model_name}_detail", args=[obj.pk])


def list_url(model) -> str:
    name = {"application": "grantdecision"}.get(model._meta.model_name, model._meta.model_name)
    return reverse(f"programmes:{name}_list")


class PageMixin:
    """Title and the way back for form and delete pages."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = getattr(self, "object", None)
        meta = self.model._meta
        if obj is not None and obj.pk:
            context["page_title"] = f"{meta.verbose_name} „{obj}“ bearbeiten"
            context["cancel_url"] = detail_url(obj)
        else:
            context["page_title"] = f"{meta.verbose_name} anlegen"
            context["cancel_url"] = list_url(self.model)
        context["object_verbose_name"] = meta.verbose_name
        return context


class SavedMixin(SavedMessageMixin, PageMixin):
    def get_success_url(self):
        return detail_url(self.object)


class DeleteMixin(ProtectedDeleteMixin, PageMixin):
    template_name = "programmes/confirm_delete.html"


# Programmes ---------------------------------------------------------------------------------------------------------

class ProgrammeScopeMixin:
    """The Land's reference programmes and the county's own; KI staff may change only the county's own."""

    def scope(self, queryset):
        return queryset.filter(Q(county__isnull=True) | Q(county=self.county))

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if obj.is_reference and getattr(self, "reference_is_read_only", False):
            user = self.request.user
            if not (user.is_superuser or has_role(user, roles.ADMINISTRATION)):
                raise PermissionDenied("Landesprogramme pflegt die Administration.")
        return obj


class ProgrammeListView(ProgrammeScopeMixin, CountyListView):
    model = Programme
    queryset = Programme.objects.order_by("name")
    permission_required = "programmes.view_programme"
    table_class = tables.ProgrammeTable
    filterset_class = filters.ProgrammeFilterSet
    template_name = "programmes/programme_list.html"
    export_name = "programme"


def with_validity(rates, today) -> list:
    """The rates with ``shown_until`` (an open end closes the day before a newer version starts, DOMAIN.md
    "Rates go on changing") and ``current`` (valid today), computed from the list without further queries."""
    rates = list(rates)
    versions = {}
    for rate in rates:
        versions.setdefault((rate.module_id, rate.funded_slot_id, rate.kind, rate.cost_type), []).append(rate)
    for group in versions.values():
        starts = [r.valid_from for r in group]
        for rate in group:
            rate.shown_until = version_end(rate.valid_from, rate.valid_until, starts)
            rate.current = rate.valid_from <= today and (rate.shown_until is None or today <= rate.shown_until)
    return rates


class ProgrammeDetailView(ProgrammeScopeMixin, HistoryMixin, CountyScopedMixin, DetailView):
    model = Programme
    permission_required = "programmes.view_programme"
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, county = self.object, self.county
        context["modules"] = programme.modules.order_by("position", "name")
        context["rates"] = with_validity(FundingRate.objects.filter(module__programme=programme).select_related(
            "module", "funded_slot").order_by("module__position", "module__name", "funded_slot__name", "cost_type",
                                              "valid_from"), timezone.localdate())
        context["decisions"] = grant_decisions_with_details().filter(county=county, programme=programme)
        context["applications"] = Application.objects.filter(county=county, programme=programme).select_related(
            "module").prefetch_related("steps").order_by("title")
        context["can_change"] = can_change_programme(self.request.user, programme)
        return context


def can_change_programme(user, programme) -> bool:
    if programme.is_reference and not (user.is_superuser or has_role(user, roles.ADMINISTRATION)):
        return False
    return user.has_perm("programmes.change_programme")


class ProgrammeCreateView(SavedMixin, CountyFormMixin, CountyScopedMixin, CreateView):
    model = Programme
    form_class = forms.ProgrammeForm
    permission_required = "programmes.add_programme"
    template_name = "programmes/form.html"


class ProgrammeUpdateView(OptimisticLockMixin, SavedMixin, ProgrammeScopeMixin, CountyScopedMixin, UpdateView):
    # Not CountyFormMixin: it would turn a Land programme an administrator edits into the county's own.
    model = Programme
    form_class = forms.ProgrammeForm
    permission_required = "programmes.change_programme"
    template_name = "programmes/form.html"
    reference_is_read_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "county": self.county}


class ProgrammeDeleteView(DeleteMixin, ProgrammeScopeMixin, CountyScopedMixin, DeleteView):
    model = Programme
    permission_required = "programmes.delete_programme"
    success_url = reverse_lazy("programmes:programme_list")
    reference_is_read_only = True


# Grant decisions ----------------------------------------------------------------------------------------------------

def grant_decisions_with_details():
    return GrantDecision.objects.select_related("programme", "module", "application").prefetch_related(
        Prefetch("slots", GrantedSlot.objects.select_related("funded_slot").order_by("funded_slot__code")),
        Prefetch("pass_throughs", PassThrough.objects.select_related("recipient").order_by("recipient__name")),
    ).order_by("-period_start", "programme__name", "pk")


class GrantDecisionListView(CountyListView):
    model = GrantDecision
    queryset = GrantDecision.objects.select_related("programme", "module", "application").order_by(
        "-period_start", "programme__name", "pk")
    permission_required = "programmes.view_grantdecision"
    table_class = tables.GrantDecisionTable
    filterset_class = filters.GrantDecisionFilterSet
    template_name = "programmes/grantdecision_list.html"
    export_name = "zuwendungsbescheide"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = list(Application.objects.filter(county=self.county).select_related(
            "programme", "module").prefetch_related("steps").order_by("title"))
        for application in applications:
            steps = list(application.steps.all())
            application.last_step = steps[-1] if steps else None
        context["applications"] = applications
        context["today"] = timezone.localdate()
        return context


class GrantDecisionDetailView(HistoryMixin, CountyScopedMixin, DetailView):
    model = GrantDecision
    queryset = grant_decisions_with_details()
    permission_required = "programmes.view_grantdecision"
    template_name = "programmes/grantdecision_detail.html"


class GrantDecisionFormMixin(OptimisticLockMixin, PageMixin, CountyFormMixin):
    """The decision with its granted slots and pass-throughs: all valid and saved together, or nothing.

    Every part is validated, so that all errors show at once; the form first, so that the pass-throughs are
    checked against the amount and permissions being saved (programmes.pass_through_forms).
    """

    model = GrantDecision
    form_class = forms.GrantDecisionForm
    template_name = "programmes/grantdecision_form.html"

    def get_formsets(self, form):
        kwargs = {"instance": form.instance, "form_kwargs": {"county": self.county}}
        if self.request.method == "POST":
            kwargs.update(data=self.request.POST, files=self.request.FILES)
        return {"slots": forms.GrantedSlotFormSet(prefix="slots", **kwargs),
                "pass_throughs": forms.PassThroughFormSet(prefix="pass_throughs", **kwargs)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formsets", self.get_formsets(context["form"]))
        decision = context["form"].instance
        if decision.pk and self.request.method != "POST":
            # What the stored rows already break (data from before the rules) or cannot be checked, before saving.
            context["pass_through_tree"] = decision.pass_through_tree
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if self.kwargs.get("pk") else None
        form = self.get_form()
        form_valid = form.is_valid()
        formsets = self.get_formsets(form)
        if all([fs.is_valid() for fs in formsets.values()]) and form_valid:
            adding = form.instance._state.adding
            try:
                return self.save_or_conflict(form, lambda: self.save_all(form, formsets), formsets=formsets)
            except PassThroughLimitError as error:
                # Rolled back: the form shows again as it was sent, with what the stored rows broke.
                if adding:
                    form.instance.pk, form.instance._state.adding, self.object = None, True, None
                for message in error.messages:
                    messages.error(request, message)
        else:
            messages.error(request, "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert.")
        show_at_changed_fields(form, formsets["pass_throughs"])
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def save_all(self, form, formsets):
        self.object = grant_decision_save(form=form, formsets=formsets.values())
        messages.success(self.request, f"„{self.object}“ wurde gespeichert.")
        for warning in formsets["pass_throughs"].warnings():
            messages.warning(self.request, warning)
        return HttpResponseRedirect(detail_url(self.object))


# A pass-through rule the decision's own change broke (a lowered amount, a permission taken away) is shown at
# that field too, not only above the pass-throughs.
FIELD_OF_RULE = {"over_amount": "amount", "not_permitted": "pass_through_permitted",
                 "second_level_not_permitted": "second_level_permitted"}


def show_at_changed_fields(form, formset) -> None:
    if not form.instance.pk:
        return
    for error in formset.non_form_errors().as_data():
        name = FIELD_OF_RULE.get(error.code)
        if name in form.fields and name in form.changed_data and not form.has_error(name):
            form.add_error(name, error)


class GrantDecisionCreateView(GrantDecisionFormMixin, CountyScopedMixin, CreateView):
    permission_required = "programmes.add_grantdecision"

    def get_initial(self):
        initial = super().get_initial()
        for name in ("programme", "application"):
            if self.request.GET.get(name, "").isdigit():
                initial[name] = self.request.GET[name]
        return initial


class GrantDecisionUpdateView(GrantDecisionFormMixin, CountyScopedMixin, UpdateView):
    permission_required = "programmes.change_grantdecision"


class GrantDecisionDeleteView(DeleteMixin, CountyScopedMixin, DeleteView):
    model = GrantDecision
    queryset = GrantDecision.objects.select_related("programme", "module")
    permission_required = "programmes.delete_grantdecision"
    success_url = reverse_lazy("programmes:grantdecision_list")


# Applications -------------------------------------------------------------------------------------------------------

class ApplicationDetailView(HistoryMixin, CountyScopedMixin, DetailView):
    model = Application
    queryset = Application.objects.select_related("programme", "module").prefetch_related("steps")
    permission_required = "programmes.view_application"
    template_name = "programmes/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decisions"] = grant_decisions_with_details().filter(application=self.object)
        context["step_form"] = forms.ApplicationStepForm(county=self.county)
        return context


class ApplicationCreateView(SavedMixin, CountyFormMixin, CountyScopedMixin, CreateView):
    model = Application
    form_class = forms.ApplicationForm
    permission_required = "programmes.add_application"
    template_name = "programmes/form.html"

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("programme", "").isdigit():
            initial["programme"] = self.request.GET["programme"]
        return initial


class ApplicationUpdateView(OptimisticLockMixin, SavedMixin, CountyFormMixin, CountyScopedMixin, UpdateView):
    model = Application
    form_class = forms.ApplicationForm
    permission_required = "programmes.change_application"
    template_name = "programmes/form.html"


class ApplicationDeleteView(DeleteMixin, CountyScopedMixin, DeleteView):
    model = Application
    permission_required = "programmes.delete_application"
    success_url = reverse_lazy("programmes:grantdecision_list")


class ApplicationStepCreateView(CountyFormMixin, CountyScopedMixin, CreateView):
    """Records a new dated step of an application, e.g. "Konzept nachgereicht am 30.08.2021"."""

    model = ApplicationStep
    form_class = forms.ApplicationStepForm
    permission_required = "programmes.add_applicationstep"
    template_name = "programmes/applicationstep_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.application = get_object_or_404(Application.objects.filter(county=self.county), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.application
        context["cancel_url"] = detail_url(self.application)
        context["page_title"] = f"Neuer Schritt: {self.application}"
        return context

    def form_valid(self, form):
        form.instance.application = self.application
        response = super().form_valid(form)
        messages.success(self.request, f"Schritt „{self.object}“ wurde erfasst.")
        return response

    def get_success_url(self):
        return reverse("programmes:application_detail", args=[self.application.pk])


# Focus goals --------------------------------------------------------------------------------------------------------

class FocusGoalListView(CountyListView):
    model = FocusGoal
    queryset = FocusGoal.objects.order_by("due_on", "number", "pk")
    permission_required = "programmes.view_focusgoal"
    table_class = tables.FocusGoalTable
    filterset_class = filters.FocusGoalFilterSet
    template_name = "programmes/focusgoal_list.html"
    export_name = "schwerpunktziele"


class FocusGoalDetailView(HistoryMixin, CountyScopedMixin, DetailView):
    model = FocusGoal
    permission_required = "programmes.view_focusgoal"
    template_name = "programmes/focusgoal_detail.html"


class FocusGoalCreateView(SavedMixin, CountyFormMixin, CountyScopedMixin, CreateView):
    model = FocusGoal
    form_class = forms.FocusGoalForm
    permission_required = "programmes.add_focusgoal"
    template_name = "programmes/form.html"


class FocusGoalUpdateView(OptimisticLockMixin, SavedMixin, CountyFormMixin, CountyScopedMixin, UpdateView):
    model = FocusGoal
    form_class = forms.FocusGoalForm
    permission_required = "programmes.change_focusgoal"
    template_name = "programmes/form.html"


class FocusGoalDeleteView(DeleteMixin, CountyScopedMixin, DeleteView):
    model = FocusGoal
    permission_required = "programmes.delete_focusgoal"
    success_url = reverse_lazy("programmes:focusgoal_list")
