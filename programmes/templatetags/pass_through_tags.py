"""Template filters of the pass-through pages."""
from django import template

from programmes.pass_throughs import money_text

register = template.Library()


@register.filter
def exact_money(value):
    """1.000.000 € or 12.500,50 €: cents only where there are any; "" for no amount (use ``|default``)."""
    return "" if value is None or value == "" else money_text(value)
