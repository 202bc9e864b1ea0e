"""Writes of the programmes app that carry rules (HackSoft style: ``<entity>_<action>``, keyword-only)."""
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import GrantDecision


class PassThroughLimitError(ValidationError):
    """The stored pass-throughs of a decision break a rule (Nr. 12 VV zu § 44 LHO); the save is undone."""


def check_stored_pass_throughs(decision: GrantDecision) -> None:
    """Raise PassThroughLimitError if the decision's stored pass-throughs break a rule (programmes.pass_throughs)."""
    errors = decision.stored_pass_through_errors()
    if errors:
        raise PassThroughLimitError(errors)


def grant_decision_save(*, form: forms.ModelForm, formsets: Iterable[forms.BaseInlineFormSet]) -> GrantDecision:
    """Save a valid decision form with its rows (granted slots, pass-throughs): all of it or nothing.

    The formsets have checked the pass-through rules on the rows they show; the stored rows are checked once
    more before the transaction ends, so that a row written meanwhile without the page (a script) cannot
    take the pass-throughs past the decision's amount.
    """
    with transaction.atomic():
        decision = form.save()
        for formset in formsets:
            formset.instance = decision
            formset.save()
        check_stored_pass_throughs(decision)
    return decision
