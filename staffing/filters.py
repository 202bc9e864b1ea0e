"""Filters of the position list; every choice is limited to what the user's county may see."""
import django_filters
from django import forms
from django.db.models import Q

from kimportal.models import County
from programmes.models import Module, Programme

from .models import PayGrade, Position


def programmes_for(county):
    """The Land's programmes and the county's own ones."""
    return Programme.objects.filter(Q(county__isnull=True) | Q(county=county)).order_by("name")


def modules_for(county):
    return (Module.objects.filter(Q(programme__county__isnull=True) | Q(programme__county=county))
            .select_related("programme").order_by("programme__name", "position", "name"))


class DateRangeInput(django_filters.widgets.DateRangeWidget):
    """Two date fields, „von“ and „bis“, as the browser's date picker."""

    suffixes = ["von", "bis"]

    def __init__(self, attrs=None):
        widgets = (forms.DateInput(attrs={"type": "date", "aria-label": "von"}, format="%Y-%m-%d"),
                   forms.DateInput(attrs={"type": "date", "aria-label": "bis"}, format="%Y-%m-%d"))
        forms.MultiWidget.__init__(self, widgets, attrs)


class PositionFieldsFilterSet(django_filters.FilterSet):
    """The filters every list of positions has: pay grade, status and the end of the fixed term."""

    pay_grade = django_filters.ModelChoiceFilter(label="Entgeltgruppe", queryset=PayGrade.objects.all(),
                                                 empty_label="alle")
    status = django_filters.ChoiceFilter(label="Status", choices=Position.Status.choices, empty_label="alle")
    fixed_term_until = django_filters.DateFromToRangeFilter(label="befristet bis (von – bis)",
                                                            widget=DateRangeInput())


class PositionFilterSet(PositionFieldsFilterSet):
    programme = django_filters.ModelChoiceFilter(field_name="module__programme", label="Programm",
                                                 queryset=Programme.objects.none(), empty_label="alle")
    module = django_filters.ModelChoiceFilter(label="Baustein", queryset=Module.objects.none(), empty_label="alle")
    unit = django_filters.ChoiceFilter(label="Organisationseinheit", choices=(), empty_label="alle")

    class Meta:
        model = Position
        fields = ["programme", "module", "unit", "pay_grade", "status", "fixed_term_until"]

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        self.filters["programme"].queryset = programmes_for(county)
        self.filters["module"].queryset = modules_for(county)
        units = (Position.objects.filter(county=county).order_by("unit").values_list("unit", flat=True).distinct())
        self.filters["unit"].extra["choices"] = lambda: [(unit, unit) for unit in units]

    @property
    def form(self):
        form = super().form
        form.fields["module"].label_from_instance = module_label
        return form


def module_label(module) -> str:
    return f"{module.programme.name} · {module.name}"


class AllCountiesPositionFilterSet(PositionFieldsFilterSet):
    """Filters of the administrators' list (issue 13): the county, and what the county's own list filters by, across
    counties."""

    county = django_filters.ModelChoiceFilter(label="Kreis", queryset=County.objects.order_by("name"),
                                              empty_label="alle")
    programme = django_filters.ModelChoiceFilter(
        field_name="module__programme", label="Landesprogramm",
        queryset=Programme.objects.filter(county__isnull=True).order_by("name"), empty_label="alle")

    class Meta:
        model = Position
        fields = ["county", "programme", "pay_grade", "status", "fixed_term_until"]
