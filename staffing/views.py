"""Pages of positions and of the case-management allocation (CM-Einsatz), scoped to the user's county;
administrators without a county read all counties' positions on the same list (PositionListView)."""
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, ProtectedError, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from kimportal import roles
from kimportal.concurrency import ConflictError
from kimportal.history import history_entries
from kimportal.models import Municipality
from kimportal.money import format_number
from kimportal.pagination import CappedPaginationMixin
from kimportal.terms import UnitTerms, unit_terms
from kimportal.views import CountyScopedMixin, FormsetsSaveMixin, TableExportMixin, has_role
from population.selectors import population_basis

from .filters import AllCountiesPositionFilterSet, PositionFilterSet
from .forms import AllocationShareFormSet, AllocationVersionForm, PositionForm, own_share_split_formset
from .models import DAYS_PER_FTE, CaseManagementAllocation, Position
from .services import allocation_propose_by_population, allocation_update
from .tables import AllCountiesPositionTable, AllocationTable, PositionTable

# Personal data: only those who may change positions see who holds one (never the committee).
PERSONAL_PERMISSION = "staffing.change_position"


def may_see_names(user) -> bool:
    return user.has_perm(PERSONAL_PERMISSION)


def may_see_all_counties(user) -> bool:
    """Administrators without a county (kimportal.roles.ADMINISTRATION) read every county's positions."""
    return (user.is_authenticated and getattr(user, "county", None) is None
            and (user.is_superuser or has_role(user, roles.ADMINISTRATION)))


def visible_history(obj, *, show_names: bool) -> list[dict]:
    """The object's history, unless allowed without names."""
    hidden = set()
    if not show_names and any(f.name == "holder_name" for f in obj._meta.concrete_fields):
        hidden.add(str(obj._meta.get_field("holder_name").verbose_name))
    entries = history_entries(obj)
    for entry in entries:
        entry["changes"] = [change for change in entry["changes"] if change[0] not in hidden]
    return entries


# --- positions -----------------------------------------------------------------------------------


class PositionQuerysetMixin:
    """Placed after CountyScopedMixin, which limits this queryset to the user's county."""

    model = Position

    def get_queryset(self):
        return Position.objects.for_table()


class PositionListView(CountyScopedMixin, PositionQuerysetMixin, TableExportMixin, CappedPaginationMixin,
                       SingleTableMixin, FilterView):
    """The county's positions; for administrators without a county (issue 13) every county's, read-only.

    Administrators get a county column and filter; each title opens the position in the Django admin, where they
    change records. Everyone else sees only their own county.
    """

    permission_required = "staffing.view_position"
    table_pagination = {"per_page": 25}
    template_name = "staffing/position_list.html"

    @cached_property
    def all_counties(self) -> bool:
        return may_see_all_counties(self.request.user)

    @property
    def county(self):
        return None if self.all_counties else super().county

    @property
    def export_name(self) -> str:
        return "stellen-alle-kreise" if self.all_counties else "stellen"

    def scope(self, queryset):
        return queryset if self.all_counties else super().scope(queryset)

    def get_filterset_class(self):
        return AllCountiesPositionFilterSet if self.all_counties else PositionFilterSet

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not self.all_counties:
            kwargs["county"] = self.county
        return kwargs

    def get_table_class(self):
        return AllCountiesPositionTable if self.all_counties else PositionTable

    def get_table_kwargs(self):
        return {} if may_see_names(self.request.user) else {"exclude": ("holder_name",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["all_counties"] = self.all_counties
        return context


class PositionDetailView(CountyScopedMixin, PositionQuerysetMixin, DetailView):
    permission_required = "staffing.view_position"
    template_name = "staffing/position_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_names = may_see_names(self.request.user)
        context["show_names"] = show_names
        context["history"] = visible_history(self.object, show_names=show_names)
        return context


class PositionFormViewMixin(FormsetsSaveMixin):
    """The position and the municipalities sharing its own share (staffing.splits), saved together or not at all."""

    form_class = PositionForm
    template_name = "staffing/position_form.html"
    claims_version = False  # staffing.services.position_update claims it
    conflict_message = _("Die Stelle wurde inzwischen von jemand anderem geändert. Ihre Änderungen wurden nicht "
                         "gespeichert. Unten stehen die aktuellen Werte; prüfen Sie sie und speichern Sie erneut.")
    formset_names = ("split_formset",)
    detail_url = "staffing:position_detail"

    def build_formsets(self, instance, data=None) -> list:
        return [own_share_split_formset(self.county, instance, data)]

    def saved_text(self) -> str:
        return _("Die Stelle „%(title)s“ wurde gespeichert.") % {"title": self.object.title}


class PositionCreateView(CountyScopedMixin, PositionQuerysetMixin, PositionFormViewMixin, CreateView):
    permission_required = "staffing.add_position"


class PositionUpdateView(CountyScopedMixin, PositionQuerysetMixin, PositionFormViewMixin, UpdateView):
    permission_required = "staffing.change_position"


class PositionDeleteView(CountyScopedMixin, PositionQuerysetMixin, DeleteView):
    permission_required = "staffing.delete_position"
    template_name = "staffing/position_confirm_delete.html"
    success_url = reverse_lazy("staffing:position_list")

    def form_valid(self, form):
        title = self.object.title
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except ProtectedError:  # actual costs (actuals.ActualCost) keep the position: it ends instead
            messages.error(self.request, _(
                "Die Stelle „%(title)s“ kann nicht gelöscht werden, weil noch andere Einträge darauf verweisen: "
                "Ist-Kosten. Tragen Sie stattdessen ein Ende der Stelle ein.") % {"title": title})
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, _("Die Stelle „%(title)s“ wurde gelöscht.") % {"title": title})
        return response


# --- case-management allocation ------------------------------------------------------------------


class AllocationListView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableView):
    permission_required = "staffing.view_casemanagementallocation"
    model = CaseManagementAllocation
    table_class = AllocationTable
    table_pagination = {"per_page": 25}
    template_name = "staffing/allocation_list.html"
    export_name = "cm-einsatz"

    def get_queryset(self):
        days = DecimalField(max_digits=7, decimal_places=2)
        return (self.scope(CaseManagementAllocation.objects.select_related("module"))
                .annotate(allocated_days=Coalesce(Sum("shares__days"), Value(Decimal("0")), output_field=days))
                .order_by("-valid_from", "name"))


class AllocationDetailView(CountyScopedMixin, DetailView):
    """All municipalities of the county with their days per week; saved all together or not at all."""

    model = CaseManagementAllocation
    template_name = "staffing/allocation_detail.html"
    prefix = "shares"

    def get_permission_required(self):
        if self.request.method == "POST":
            return ("staffing.change_casemanagementallocation", "staffing.change_allocationshare",
                    "staffing.add_allocationshare")
        return ("staffing.view_casemanagementallocation",)

    def get_queryset(self):
        return self.scope(CaseManagementAllocation.objects.select_related("module__programme"))

    def municipalities(self):
        if not hasattr(self, "_municipalities"):
            self._municipalities = list(Municipality.objects.filter(county=self.object.county_id).order_by("name"))
        return self._municipalities

    def unit_terms(self) -> UnitTerms:
        """The words for the units listed (Kommunen; a city's Stadtbezirke or Dienststellen), without a query."""
        return unit_terms(self.county.kind, {municipality.kind for municipality in self.municipalities()})

    def saved_shares(self):
        if not hasattr(self, "_shares"):
            self._shares = {share.municipality_id: share
                            for share in self.object.shares.select_related("handed_over_to")}
        return self._shares

    def initial_rows(self, days: dict[int, Decimal] | None = None) -> list[dict]:
        shares = self.saved_shares()
        rows = []
        for municipality in self.municipalities():
            share = shares.get(municipality.pk)
            saved_days = share.days if share else Decimal("0")
            rows.append({
                "municipality": municipality.pk,
                "days": (days or {}).get(municipality.pk, saved_days),
                "no_demand": share.no_demand if share else False,
                "special_arrangement": share.special_arrangement if share else "",
            })
        return rows

    def formset(self, data=None, initial=None):
        return AllocationShareFormSet(data, initial=initial if data is None else None, prefix=self.prefix,
                                      municipalities=self.municipalities(), terms=self.unit_terms())

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_page(self.formset(initial=self.initial_rows()),
                                AllocationVersionForm(initial={"version": self.object.version}))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        version_form = AllocationVersionForm(request.POST)
        version = version_form.cleaned_data["version"] if version_form.is_valid() else None
        if request.POST.get("action") == "propose":
            return self.propose(version)
        formset = self.formset(data=request.POST)
        if version is None:
            return self.render_page(formset, version_form, errors=[
                _("Die geladene Fassung der Einsatzplanung fehlt. Bitte laden Sie die Seite neu.")])
        if not formset.is_valid():
            return self.render_page(formset, version_form, errors=self.formset_errors(formset))
        try:
            allocation_update(allocation=self.object, shares=formset.shares(), expected_version=version)
        except ConflictError:
            # Like every other record (kimportal.views.OptimisticLockMixin): a stale save answers 409.
            return self.render_page(formset, version_form, errors=[self.conflict_message()], status=409)
        except ValidationError as exc:
            return self.render_page(formset, version_form, errors=exc.messages)
        messages.success(request, _("Der CM-Einsatz wurde gespeichert."))
        return redirect("staffing:allocation_detail", pk=self.object.pk)

    def propose(self, version):
        """Fill the form with the split by population; nothing is saved until the user saves."""
        proposal = allocation_propose_by_population(allocation=self.object, municipalities=self.municipalities())
        formset = self.formset(initial=self.initial_rows(proposal))
        version_form = AllocationVersionForm(initial={"version": version or self.object.version})
        terms = self.unit_terms()
        notice = _("Vorschlag nach Einwohnerzahl in halben Tagen, mindestens 2,5 Tage (0,5 VZÄ) je %(unit)s; "
                   "%(units)s ohne Bedarf und mit Sonderregelung bleiben außen vor. Noch nicht gespeichert – "
                   "bitte prüfen und „Speichern“ wählen.") % {"unit": terms.singular, "units": terms.plural}
        # Which figures the split rests on (issue 11 §3): "Einwohner laut IT.NRW, …, Stand 31.12.2021."
        notice = f"{notice} {population_basis(self.municipalities())}"
        return self.render_page(formset, version_form, notice=notice)

    def formset_errors(self, formset) -> list[str]:
        """The summary above the table: each refused row named by its municipality (the fields show them too)."""
        errors = list(formset.non_form_errors())
        for municipality, form in zip(self.municipalities(), formset.forms):
            for field_errors in form.errors.values():
                errors.extend(f"{municipality.name}: {message}" for message in field_errors)
        return errors or [_("Bitte prüfen Sie die markierten Eingaben.")]

    def conflict_message(self) -> str:
        fresh = CaseManagementAllocation.objects.get(pk=self.object.pk)
        shares = fresh.shares.select_related("municipality").order_by("municipality__name")
        values = ", ".join(f"{share.municipality.name} {format_number(share.days, 1)}" for share in shares if share.days)
        total = sum((share.days for share in shares), Decimal("0"))
        return _("Die CM-Einsatzplanung wurde inzwischen von jemand anderem geändert. Aktuelle Werte: "
                 "%(values)s (Summe %(total)s von %(capacity)s Tagen). Ihre Änderungen wurden nicht gespeichert; "
                 "bitte laden Sie die Seite neu.") % {
            "values": values or "–", "total": format_number(total, 1),
            "capacity": format_number(fresh.capacity_fte * DAYS_PER_FTE, 1)}

    def render_page(self, formset, version_form, *, errors=(), notice=None, status=200):
        context = self.get_context_data(object=self.object, formset=formset, version_form=version_form,
                                        errors=errors, notice=notice)
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = context["formset"]
        shares = self.saved_shares()
        capacity_days = self.object.capacity_fte * DAYS_PER_FTE
        rows = [{"municipality": municipality, "form": form, "share": shares.get(municipality.pk),
                 "days": _row_days(form), "fte": _row_days(form) / DAYS_PER_FTE}
                for municipality, form in zip(self.municipalities(), formset.forms)]
        total = sum((row["days"] for row in rows), Decimal("0"))
        context.update({
            "rows": rows,
            "capacity_days": capacity_days,
            "total_days": total,
            "left_days": capacity_days - total,
            "can_change": self.request.user.has_perm("staffing.change_casemanagementallocation"),
            "positions": self.object.positions.select_related("pay_grade").order_by("title", "pk"),
            "history": visible_history(self.object, show_names=False),
            "unit_terms": self.unit_terms(),
        })
        return context


def _row_days(form) -> Decimal:
    """The days a row counts in the page's total: the typed value read by the form's own (German) parser,
    0 where it is empty or unreadable (that row is refused with a message anyway)."""
    if form.is_bound:
        try:
            days = form.fields["days"].to_python(form.data.get(form.add_prefix("days"), ""))
        except ValidationError:
            return Decimal("0")
        return days if days is not None else Decimal("0")
    return form.initial.get("days") or Decimal("0")
