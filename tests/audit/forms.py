"""POST data of a page's form and formsets as the browser would send them back unchanged."""
from datetime import date
from decimal import Decimal

from django import forms


def typed(bound_field):
    """A field's current value as typed in a German browser: 31.12.2022, 2,5; None for an unticked box."""
    value = bound_field.value()
    if isinstance(bound_field.field.widget, forms.CheckboxInput):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return value


def form_data(form) -> dict:
    data = {}
    for bound_field in form:
        value = typed(bound_field)
        if value is not None:
            data[bound_field.html_name] = value
    return data


def page_data(response, **changes) -> dict:
    """What the page's form posts back: the form, every formset with its management form, then ``changes``."""
    context = response.context
    data = form_data(context["form"])
    formsets = context.get("formsets") or {}
    for formset in (formsets.values() if isinstance(formsets, dict) else formsets):
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
