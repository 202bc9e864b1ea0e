"""Filters of the budgeting lists; every choice is limited to the user's county."""
import django_filters

from budgeting.models import Appropriation, BudgetLine, CoverageSource
from kimportal.forms import WholeNumberInput


class CoverageSourceFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Bezeichnung enthält", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="Art", choices=CoverageSource.Kind.choices, empty_label="alle")
    extension_status = django_filters.ChoiceFilter(label="Verlängerung", choices=CoverageSource.Extension.choices,
                                                   empty_label="alle")
    usable_until_after = django_filters.DateFilter(
        label="verwendbar bis frühestens", field_name="usable_until", lookup_expr="gte")

    class Meta:
        model = CoverageSource
        fields = ["name", "kind", "extension_status", "usable_until_after"]


class AppropriationFilter(django_filters.FilterSet):
    budget_line = django_filters.ModelChoiceFilter(label="Haushaltsstelle", queryset=BudgetLine.objects.none(),
                                                   empty_label="alle")
    fiscal_year = django_filters.NumberFilter(label="Haushaltsjahr", widget=WholeNumberInput)

    class Meta:
        model = Appropriation
        fields = ["budget_line", "fiscal_year"]

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["budget_line"].queryset = BudgetLine.objects.filter(county=county).order_by("code")
