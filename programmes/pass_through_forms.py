"""The pass-throughs of a grant decision as one formset, both levels, checked together (Nr. 12 VV zu § 44 LHO).

The decision's edit page (programmes.forms.PassThroughFormSet) and the admin's inline
(programmes.admin.PassThroughInline) both use ``BasePassThroughFormSet``; the rules are
programmes.pass_throughs.limit_errors.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Coalesce

from .models import PassThrough
from .pass_throughs import Passing, limit_errors, limit_warnings

FIRST_LEVEL_LABEL = "– keiner: der Kreis leitet weiter"


def in_tree_order(queryset):
    """First recipients by name, each followed by those it passes on to, by name."""
    return queryset.select_related("recipient").order_by(
        Coalesce("parent__recipient__name", "recipient__name"), Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True), "recipient__name", "pk")


class BasePassThroughFormSet(forms.BaseInlineFormSet):
    """All pass-through rows of one decision, first and second level.

    ``instance`` is the decision as it is being edited: the page hands in its form's instance and validates
    the form first, as the admin does, so the rows are checked against the amount and permissions about to
    be saved, and a lowered amount is refused when the rows no longer fit it. A second-level row names its
    first-level row among the decision's stored ones, so a new first recipient is saved before it passes on.
    """

    def __init__(self, *args, queryset=None, **kwargs):
        queryset = PassThrough.objects.all() if queryset is None else queryset
        super().__init__(*args, queryset=in_tree_order(queryset), **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "parent" not in form.fields:
            return
        first_level = PassThrough.objects.none()
        if self.instance.pk:
            first_level = PassThrough.objects.filter(decision=self.instance, parent__isnull=True).select_related(
                "recipient").order_by("recipient__name", "pk")
            if form.instance.pk:
                first_level = first_level.exclude(pk=form.instance.pk)
        field = form.fields["parent"]
        field.queryset = first_level
        field.label_from_instance = lambda passing: passing.recipient.name
        field.empty_label = FIRST_LEVEL_LABEL

    def kept_forms(self):
        """The forms whose rows remain after saving: not marked for removal, not an untouched empty row."""
        return [form for form in self.forms
                if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())]

    def passings(self) -> list[Passing]:
        """The rows as they will be saved, for the rules; call after the forms are valid."""
        rows = []
        for index, form in enumerate(self.kept_forms()):
            data = form.cleaned_data
            recipient, parent = data["recipient"], data.get("parent")
            rows.append(Passing(key=form.instance.pk or ("neu", index), recipient=recipient.name,
                                amount=data.get("amount"), parent=parent.pk if parent else None,
                                recipient_id=recipient.pk))
        return rows

    def clean(self):
        super().clean()
        if any(self.errors):
            return  # each row's own errors first; the sums need valid rows
        errors = limit_errors(self.instance.pass_through_limits, self.passings())
        if errors:
            raise ValidationError(errors)

    def warnings(self) -> list[str]:
        """Sums that cannot be checked (an amount not recorded), for a valid formset."""
        return limit_warnings(self.instance.pass_through_limits, self.passings())
