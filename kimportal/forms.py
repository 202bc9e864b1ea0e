"""Form helpers shared by the apps."""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from kimportal.numbers import NumberFormatError, parse_decimal


class WholeNumberInput(forms.TextInput):
    """A whole number (a year, a rank) as text with the numeric keypad on phones.

    Not ``type="number"``: browsers drop letters typed there and send an empty field, so "2O22" would
    arrive as "nothing" and become a default, or "unchanged", without a word. As text it reaches the
    server, which refuses it with a German message next to the field.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "size": 6, **(attrs or {})})


class DecimalInput(forms.TextInput):
    """A German decimal (0,75 · 1.234,56) as text, read on the server by GermanDecimalField."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.is_localized = True


class GermanDecimalField(forms.DecimalField):
    """An amount, FTE or number of days typed the German way, read by kimportal.numbers.parse_decimal.

    Every decimal form field of the app is one (MoneyField and FTEField make it, the admin too; tests/
    test_number_parsing.py finds any that is not): "1.141.046,80" is accepted, "1.141.046.80" refused with
    "Bitte als 1.141.046,80 eingeben (…)" instead of Django's reading 114.104.680. Values are shown
    localized (0,375), so that what the page shows is read back the same. ``currency``: money (a trailing
    "€" is allowed, messages speak of cents); ``example``: the form a message shows, e.g. "0,375" for FTE.
    A value that is no number at all ("abc") gets the field's "invalid" message, too many decimal places its
    "max_decimal_places" message where ``error_messages`` gives one; otherwise the parser's message stands.
    """

    widget = DecimalInput

    def __init__(self, *, currency: bool = False, example: str | None = None, **kwargs):
        self.currency, self.example = currency, example
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value), places=self.decimal_places, currency=self.currency,
                                 example=self.example, maximum=self.max_value)
        except NumberFormatError as exc:
            # The field's own words where it has them: "invalid" always, "max_decimal_places" where given.
            code = {"invalid": "invalid", "places": "max_decimal_places"}.get(exc.code, exc.code)
            if code in self.error_messages:
                raise ValidationError(self.error_messages[code], code=code,
                                      params={"max": self.decimal_places}) from None
            raise ValidationError(exc.message, code=code) from None

    def widget_attrs(self, widget):
        # For client-side code that reads the value with the same rule (numbers.js), e.g. the live sum.
        attrs = super().widget_attrs(widget)
        if self.decimal_places is not None:
            attrs["data-places"] = str(self.decimal_places)
        return attrs


REQUIRED_EMPTY = "– bitte wählen –"
OPTIONAL_EMPTY = "– keine Angabe –"
DJANGO_EMPTY = "---------"


def german_empty_choices(form: forms.BaseForm) -> None:
    """Replace Django's "---------" in select boxes by words a German user reads."""
    for field in form.fields.values():
        label = REQUIRED_EMPTY if field.required else OPTIONAL_EMPTY
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_EMPTY:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0] == ("", DJANGO_EMPTY):
                field.choices = [("", label), *choices[1:]]
