"""Every pair of a record and its rows edited together is known to the history, so no page can forget one."""
import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from kimportal.history_rows import CHILD_ROWS, row_spec

FORM_MODULES = ["programmes.forms", "staffing.forms", "budgeting.forms", "reports.forms", "kimportal.forms"]


def registered_pairs() -> set[tuple[str, str]]:
    return {(parent, spec.model.lower()) for parent, specs in CHILD_ROWS.items() for spec in specs}


def test_every_admin_inline_is_a_row_of_its_parents_history():
    pairs = {(model._meta.label_lower, inline.model._meta.label_lower)
             for model, model_admin in admin.site._registry.items() for inline in model_admin.inlines}
    assert pairs and pairs <= registered_pairs(), pairs - registered_pairs()


def test_every_inline_formset_of_the_pages_is_a_row_of_its_parents_history():
    pairs = set()
    for name in FORM_MODULES:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, type) and issubclass(value, BaseInlineFormSet) and hasattr(value, "fk"):
                pairs.add((value.fk.remote_field.model._meta.label_lower, value.model._meta.label_lower))
    assert len(pairs) >= 4 and pairs <= registered_pairs(), pairs - registered_pairs()


@pytest.mark.parametrize("parent, spec", [(p, s) for p, specs in CHILD_ROWS.items() for s in specs],
                         ids=[s.model for specs in CHILD_ROWS.values() for s in specs])
def test_each_registered_row_points_to_its_parent_and_names_real_fields(parent, spec):
    model = apps.get_model(spec.model)
    assert model._meta.get_field(spec.parent).related_model is apps.get_model(parent)
    for name in (*spec.label, *([spec.main] if spec.main else [])):
        assert model._meta.get_field(name)
    assert hasattr(model, "history") and row_spec(model) == spec
