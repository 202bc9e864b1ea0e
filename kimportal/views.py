"""Shared view plumbing: every page is for a logged-in user and scoped to the user's county."""
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.views.generic import TemplateView
from django_tables2.export.views import ExportMixin

from kimportal import roles


def user_county(user):
    county = getattr(user, "county", None)
    if county is None:
        # Administrators without a county work in the Django admin.
        raise PermissionDenied("Ihrem Benutzerkonto ist kein Kreis zugeordnet.")
    return county


def has_role(user, *names) -> bool:
    return user.is_authenticated and user.groups.filter(name__in=names).exists()


class CountyScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Log-in, model permission, and a queryset limited to the user's county.

    An object of another county is not in the queryset, so it answers 404.
    """

    county_field = "county"

    @property
    def county(self):
        return user_county(self.request.user)

    def scope(self, queryset):
        return queryset.filter(**{self.county_field: self.county})

    def get_queryset(self):
        return self.scope(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["county"] = self.county
        return context


class CountyFormMixin:
    """Create and update views: set the county, pass it to the form, save in one transaction."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["county"] = self.county
        return kwargs

    def form_valid(self, form):
        if hasattr(form.instance, "county_id") and not form.instance.county_id:
            form.instance.county = self.county
        with transaction.atomic():
            return super().form_valid(form)


class TableExportMixin(ExportMixin):
    """?_export=csv or ?_export=xlsx exports the filtered rows of the page's table."""

    export_formats = ("csv", "xlsx")
    export_trigger_param = "_export"

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"


class StartView(LoginRequiredMixin, TemplateView):
    template_name = "kimportal/start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_committee"] = has_role(user, roles.COMMITTEE)
        context["county"] = getattr(user, "county", None)
        return context


def get_for_county(queryset, county, **lookup):
    try:
        return queryset.get(county=county, **lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
