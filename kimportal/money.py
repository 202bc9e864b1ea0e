"""Money and FTE as exact decimals: rounding and German formatting, with no Django import.

The engine (budgeting.calculations) uses these; the model fields live in kimportal.fields.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
EURO = Decimal("1")
FTE_STEP = Decimal("0.001")


def to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("Money is never built from a float; pass a string or Decimal.")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def round_euro(value: Decimal) -> Decimal:
    """Whole euros, half up: the rounding point of the committee papers."""
    return to_decimal(value).quantize(EURO, rounding=ROUND_HALF_UP)


def round_cent(value: Decimal) -> Decimal:
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(7)}
_GERMAN = str.maketrans(",.", ".,")  # 1,234.56 -> 1.234,56


def format_number(value, places: int = 0) -> str:
    """German number format: 1.234,56 (no locale dependency)."""
    if value is None or value == "":
        return ""
    d = to_decimal(value).quantize(_STEPS.get(places) or Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    return sign + f"{abs(d):,.{places}f}".translate(_GERMAN)


def format_money(value, places: int = 0) -> str:
    if value is None or value == "":
        return ""
    return f"{format_number(value, places)}\u00a0€"


def format_fte(value) -> str:
    if value is None or value == "":
        return ""
    # As the papers write it: 3,5 VZÄ, 0,75 VZÄ, 7,0 VZÄ.
    d = to_decimal(value).normalize()
    places = min(max(1, -d.as_tuple().exponent), 3)
    return format_number(d, places)


def format_money_exact(value) -> str:
    """1.000 € or 12.500,50 €: cents only where there are any, as the papers print amounts."""
    value = to_decimal(value)
    return format_money(value, 0 if value == value.to_integral_value() else 2)
