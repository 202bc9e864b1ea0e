from django import template

from kimportal.money import format_fte, format_money, format_money_exact, format_number

register = template.Library()


@register.filter
def money(value, places=0):
    """1234.5 -> '1.235 €' (places=0) or '1.234,50 €' (places=2)."""
    return format_money(value, int(places))


@register.filter
def exact_money(value):
    """1.000.000 € or 12.500,50 €: cents only where there are any; "" for no amount (use ``|default``)."""
    return "" if value is None or value == "" else format_money_exact(value)


@register.filter
def number(value, places=0):
    return format_number(value, int(places))


@register.filter
def fte(value):
    return format_fte(value)
