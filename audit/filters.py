"""The audit page's filters: user, period, record type, record name, and (administrators) county.

A plain form, not a django-filter FilterSet: the list is a UNION of history tables (audit.selectors),
which is filtered part by part before the union, not afterwards.
"""
from django import forms

from kimportal.forms import german_empty_choices
from kimportal.models import County, User

from .selectors import ChangeFilter, record_types


class ChangeFilterForm(forms.Form):
    benutzer = forms.ModelChoiceField(label="Benutzer/in", queryset=User.objects.none(), required=False,
                                      empty_label="alle")
    von = forms.DateField(label="von", required=False, widget=forms.DateInput(attrs={"placeholder": "TT.MM.JJJJ"}))
    bis = forms.DateField(label="bis", required=False, widget=forms.DateInput(attrs={"placeholder": "TT.MM.JJJJ"}))
    art = forms.ChoiceField(label="Art des Eintrags", required=False)
    eintrag = forms.CharField(label="Eintrag (Name enthält)", required=False, max_length=100)
    kreis = forms.ModelChoiceField(label="Kreis", queryset=County.objects.order_by("name"), required=False,
                                   empty_label="alle Kreise")

    def __init__(self, *args, county: County | None, **kwargs):
        """``county``: the user's county (its users are offered); None for an administrator without one."""
        super().__init__(*args, **kwargs)
        self.county = county
        users = User.objects.order_by("last_name", "first_name", "username")
        self.fields["benutzer"].queryset = users.filter(county=county) if county is not None else users
        self.fields["benutzer"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["art"].choices = [("", "alle"), *record_types()]
        if county is not None:
            del self.fields["kreis"]
        german_empty_choices(self)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("von"), cleaned.get("bis")
        if since and until and until < since:
            self.add_error("bis", "„bis“ darf nicht vor „von“ liegen.")
        return cleaned

    def change_filter(self) -> ChangeFilter:
        """What the valid form selects; an invalid form selects the whole county (its errors stand at the fields)."""
        data = self.cleaned_data if self.is_valid() else {}
        county = self.county if self.county is not None else data.get("kreis")
        user = data.get("benutzer")
        return ChangeFilter(county=county.pk if county is not None else None, user=user.pk if user else None,
                            since=data.get("von"), until=data.get("bis"),
                            kinds=(data["art"],) if data.get("art") else (), text=data.get("eintrag", "").strip())
