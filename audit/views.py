"""The audit page (Änderungsprotokoll): every change in the user's county, filtered, paged and exportable."""
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.data import TableListData

from kimportal.pagination import CappedPaginationMixin
from kimportal.views import TableExportMixin
from staffing.views import may_see_names

from .filters import ChangeFilterForm
from .selectors import ChangeRows, change_rows
from .tables import ChangeLogTable

# Who holds a position is shown only to those who may change positions (as on the position's page).
PERSONAL_FIELDS = frozenset({"holder_name"})


class ChangeLogView(LoginRequiredMixin, PermissionRequiredMixin, TableExportMixin, CappedPaginationMixin,
                    SingleTableMixin, TemplateView):
    """Finance officers see their county; administrators without a county see all counties or choose one."""

    permission_required = "audit.view_changelog"
    template_name = "audit/changelog_list.html"
    table_class = ChangeLogTable
    table_pagination = {"per_page": 50}
    export_name = "aenderungsprotokoll"

    def get_filter_form(self) -> ChangeFilterForm:
        if not hasattr(self, "_filter_form"):
            county = self.request.user.county
            self._filter_form = ChangeFilterForm(self.request.GET or None, county=county)
        return self._filter_form

    def get_table_data(self):
        # Not a list: django-tables2 would read every row; ChangeRows counts once and describes only a page.
        hidden = frozenset() if may_see_names(self.request.user) else PERSONAL_FIELDS
        return TableListData(ChangeRows(change_rows(self.get_filter_form().change_filter()), hidden))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = {"form": self.get_filter_form()}
        context["county"] = self.request.user.county
        return context
