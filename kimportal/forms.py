"""Form helpers shared by the apps."""
from django import forms


class WholeNumberInput(forms.TextInput):
    """A whole number (a year, a rank) as text with the numeric keypad on phones.

    Not ``type="number"``: browsers drop letters typed there and send an empty field, so "2O22" would
    arrive as "nothing" and become a default, or "unchanged", without a word. As text it reaches the
    server, which refuses it with a German message next to the field.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "size": 6, **(attrs or {})})


class DecimalInput(forms.TextInput):
    """A German decimal (0,75 · 1.234,56) as text, read on the server by Django's localized DecimalField."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.is_localized = True


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
