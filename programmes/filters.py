"""Filters of the list pages; choices come from the user's county and the Land."""
import django_filters
from django.db.models import Q

from kimportal.forms import WholeNumberInput

from .choices import FieldOfAction, GoalStatus
from .forms import visible_modules, visible_programmes
from .models import FocusGoal, GrantDecision, Programme


def _county(request):
    return getattr(getattr(request, "user", None), "county", None)


def programmes_for(request):
    return visible_programmes(_county(request))


def modules_for(request):
    return visible_modules(_county(request))


class ProgrammeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Suche", method="search")
    kind = django_filters.ChoiceFilter(label="Art", method="filter_kind", empty_label="alle",
                                       choices=[("land", "Landesprogramm"), ("own", "eigenes Programm")])
    active_on = django_filters.DateFilter(label="läuft am", method="filter_active_on")

    class Meta:
        model = Programme
        fields = ["q", "kind", "active_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(funder__icontains=value))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(county__isnull=value == "land")

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=value)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=value))


class GrantDecisionFilterSet(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(label="Programm", queryset=programmes_for, empty_label="alle")
    module = django_filters.ModelChoiceFilter(label="Baustein", queryset=modules_for, empty_label="alle")
    year = django_filters.NumberFilter(label="Zeitraum umfasst Jahr", method="filter_year", widget=WholeNumberInput)
    proof_due_before = django_filters.DateFilter(label="Verwendungsnachweis fällig bis",
                                                 field_name="proof_of_use_due", lookup_expr="lte")

    class Meta:
        model = GrantDecision
        fields = ["programme", "module", "year", "proof_due_before"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(period_start__year__lte=value, period_end__year__gte=value)


class FocusGoalFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Suche", method="search")
    field_of_action = django_filters.ChoiceFilter(label="Handlungsfeld", choices=FieldOfAction.choices,
                                                  empty_label="alle")
    status = django_filters.ChoiceFilter(label="Status", choices=GoalStatus.choices, empty_label="alle")
    due_before = django_filters.DateFilter(label="fällig bis", field_name="due_on", lookup_expr="lte")

    class Meta:
        model = FocusGoal
        fields = ["q", "field_of_action", "status", "due_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value) | Q(measures__icontains=value))
