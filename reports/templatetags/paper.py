from django import template

from kimportal.money import format_money, to_decimal

register = template.Library()


@register.filter
def signed_money(value) -> str:
    """A difference as the papers print it: +2 €, −18 € (a real minus sign), 0 €."""
    if value is None or value == "":
        return ""
    amount = to_decimal(value)
    sign = "+" if amount > 0 else "\u2212" if amount < 0 else ""
    return f"{sign}{format_money(abs(amount))}"
