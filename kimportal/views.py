"""Shared view plumbing: every page is for a logged-in user and scoped to the user's county."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django_tables2.export.views import ExportMixin

from kimportal.concurrency import (CONFLICT_MESSAGE, ConflictError, claim_version, loaded_values, merge_stale_form,
                                   restore_version_on_error)
from kimportal.exports import SafeTableExport
from kimportal.history import history_entries


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


class HistoryMixin:
    """The object's change history on its detail page (kimportal.history)."""

    def get_history(self):
        return history_entries(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.get_history()
        context["today"] = timezone.localdate()
        return context


class SavedMessageMixin:
    """"„…“ wurde gespeichert." after a successful save."""

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"„{self.object}“ wurde gespeichert.")
        return response


class OptimisticLockMixin:
    """No lost updates (kimportal.concurrency): a save from a stale page is refused with the current values.

    Put it first among the mixins, so that nothing after it (a "saved" message, say) runs on a conflict.
    Views whose service claims the version itself set ``claims_version = False``.
    """

    claims_version = True
    conflict_message = CONFLICT_MESSAGE

    def form_valid(self, form):
        return self.save_or_conflict(form, lambda: super(OptimisticLockMixin, self).form_valid(form))

    def save_or_conflict(self, form, save, **conflict_context):
        """Run ``save`` in one transaction after claiming the version the form was loaded with."""
        instance = form.instance
        try:
            with transaction.atomic(), restore_version_on_error(instance):
                if instance.pk and self.claims_version:
                    instance.version = claim_version(instance, expected_version=form.cleaned_data.get("version"),
                                                     message=self.conflict_message)
                return save()
        except ConflictError:
            return self.conflict(form, **conflict_context)

    def conflict(self, form, **extra_context):
        """The form again, merged with the current record, and a list of the current values (status 409).

        Fields only the other person changed now show their value; fields both changed keep the user's
        input and are marked. The form now carries the current version, so saving again is deliberate.
        """
        current = self.get_queryset().filter(pk=form.instance.pk).first()
        if current is None:
            raise Http404("Der Eintrag wurde inzwischen gelöscht.")
        kwargs = {key: value for key, value in self.get_form_kwargs().items() if key not in ("data", "files")}
        current_form = type(form)(**{**kwargs, "instance": current})
        rows = merge_stale_form(form, current_form, loaded_values(current, form.cleaned_data.get("version")))
        form.add_error(None, self.conflict_message)
        context = self.get_context_data(form=form, **extra_context)
        context["conflict"] = rows
        return self.render_to_response(context, status=409)


class FormsetsSaveMixin(OptimisticLockMixin, CountyFormMixin):
    """A record and its row formsets are valid and saved together in one transaction, or nothing is saved.

    Subclasses give ``build_formsets(instance, data)`` (a list), ``formset_names`` (their names in the template's
    context), ``detail_url`` and ``saved_message``.
    """

    formset_names: tuple[str, ...] = ()
    detail_url = ""
    saved_message = "„{}“ wurde gespeichert."

    def build_formsets(self, instance, data=None) -> list:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "formsets" not in kwargs:
            context["formsets"] = self.build_formsets(context["form"].instance)
        context.update(zip(self.formset_names, context["formsets"]))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if "pk" in kwargs else None
        form = self.get_form()
        form.instance.county = self.county
        formsets = self.build_formsets(form.instance, request.POST)
        form_ok = form.is_valid()
        formsets_ok = all([formset.is_valid() for formset in formsets])
        if not (form_ok and formsets_ok):
            messages.error(request, "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert.")
            return self.render_to_response(self.get_context_data(form=form, formsets=formsets))
        return self.save_or_conflict(form, lambda: self.save_all(form, formsets), formsets=formsets)

    def save_all(self, form, formsets):
        self.object = form.save()
        for formset in formsets:
            formset.instance = self.object
            formset.save()
        messages.success(self.request, self.saved_text())
        return redirect(self.detail_url, pk=self.object.pk)

    def saved_text(self) -> str:
        return self.saved_message.format(self.object)


class ProtectedDeleteMixin:
    """A delete that other records still need answers with a German message, not a 500."""

    protected_message = "„{obj}“ kann nicht gelöscht werden, weil noch andere Einträge darauf verweisen: {refs}."

    def form_valid(self, form):
        label = str(self.object)
        try:
            with transaction.atomic():
                self.object.delete()
        except (ProtectedError, RestrictedError) as exc:
            protected = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            refs = ", ".join(sorted({f"{o._meta.verbose_name} „{o}“" for o in list(protected)[:5]}))
            messages.error(self.request, self.protected_message.format(obj=label, refs=refs))
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, f"„{label}“ wurde gelöscht.")
        return HttpResponseRedirect(self.get_success_url())


class TableExportMixin(ExportMixin):
    """?_export=csv or ?_export=xlsx exports the filtered rows of the page's table.

    Cells that a spreadsheet would read as a formula are neutralised (kimportal.exports).
    """

    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    export_trigger_param = "_export"

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"


def get_for_county(queryset, county, **lookup):
    try:
        return queryset.get(county=county, **lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
