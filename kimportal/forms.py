"""Form helpers shared by the apps."""
from django import forms

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
