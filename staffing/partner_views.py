"""Pages of the county's partners (Anstellungsträger, Empfänger von Weiterleitungen): list, detail with history,
create and edit by KI staff (kimportal.roles), scoped to the user's county. Plain CRUD: no service."""
from django.db.models import Count
from django.urls import reverse
from django.views.generic import CreateView, DetailView, UpdateView
from django_tables2 import SingleTableView

from kimportal.models import County, Partner
from kimportal.pagination import CappedPaginationMixin
from kimportal.views import CountyFormMixin, CountyScopedMixin, HistoryMixin, SavedMessageMixin, TableExportMixin

from .forms import PartnerForm
from .tables import PartnerTable


class PartnerQuerysetMixin:
    """Placed after CountyScopedMixin, which limits this queryset to the user's county."""

    model = Partner

    def get_queryset(self):
        return self.scope(Partner.objects.select_related("municipality"))


class PartnerListView(CountyScopedMixin, PartnerQuerysetMixin, TableExportMixin, CappedPaginationMixin,
                      SingleTableView):
    permission_required = "kimportal.view_partner"
    table_class = PartnerTable
    table_pagination = {"per_page": 25}
    template_name = "staffing/partner_list.html"
    export_name = "partner"

    def get_table_kwargs(self):
        # A kreisfreie Stadt has no municipalities a partner could be (its units are districts or offices).
        return {"exclude": ("municipality",)} if self.county.kind == County.Kind.KREISFREIE_STADT else {}

    def get_queryset(self):
        return super().get_queryset().annotate(
            employed=Count("positions", distinct=True), received=Count("pass_throughs", distinct=True),
        ).order_by("name", "pk")


class PartnerDetailView(CountyScopedMixin, PartnerQuerysetMixin, HistoryMixin, DetailView):
    """The partner, the posts it employs, the pass-throughs it receives, and its change history."""

    permission_required = "kimportal.view_partner"
    template_name = "staffing/partner_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["positions"] = self.object.positions.select_related("module").order_by("title", "pk")
        context["pass_throughs"] = (self.object.pass_throughs.select_related("decision__programme", "decision__module",
                                                                             "parent__recipient")
                                    .order_by("-decision__period_start", "pk"))
        return context


class PartnerFormViewMixin(SavedMessageMixin, CountyFormMixin):
    form_class = PartnerForm
    template_name = "staffing/partner_form.html"

    def get_success_url(self):
        return reverse("staffing:partner_detail", args=[self.object.pk])


class PartnerCreateView(CountyScopedMixin, PartnerQuerysetMixin, PartnerFormViewMixin, CreateView):
    permission_required = "kimportal.add_partner"


class PartnerUpdateView(CountyScopedMixin, PartnerQuerysetMixin, PartnerFormViewMixin, UpdateView):
    permission_required = "kimportal.change_partner"
