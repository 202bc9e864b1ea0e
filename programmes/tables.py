"""Tables of the list pages; every column that follows a relation is select_related by its view."""
import django_tables2 as tables
from django.urls import reverse

from kimportal.money import format_money

from .models import FocusGoal, GrantDecision, Programme

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class MoneyColumn(tables.Column):
    """1.234,56 € on the page, the plain amount in CSV and XLSX."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_money(value, 2)

    def value(self, value):
        return value


def detail_link(url_name):
    return lambda record: reverse(url_name, args=[record.pk])


class ProgrammeTable(tables.Table):
    name = tables.Column(linkify=detail_link("programmes:programme_detail"))
    # empty_values=(): a Land programme's county is None, and render_kind must name it, not the table's "—".
    kind = tables.Column(verbose_name="Art", accessor="county_id", order_by=("county_id", "name"), empty_values=())
    starts_on = tables.DateColumn(format="d.m.Y")
    ends_on = tables.DateColumn(format="d.m.Y")

    class Meta:
        model = Programme
        fields = ["name", "code", "kind", "funder", "granting_authority", "starts_on", "ends_on"]
        order_by = ("name",)
        empty_text = "Keine Programme gefunden."

    def render_kind(self, value):
        return "eigenes Programm" if value else "Landesprogramm"

    def value_kind(self, value):
        return self.render_kind(value)


class GrantDecisionTable(tables.Table):
    label = tables.Column(verbose_name="Bescheid", accessor="pk", order_by=("-period_start", "programme__name"),
                          linkify=detail_link("programmes:grantdecision_detail"))
    programme = tables.Column(order_by=("programme__name",))
    module = tables.Column(order_by=("module__position", "module__name"))
    period_start = tables.DateColumn(format="d.m.Y")
    period_end = tables.DateColumn(format="d.m.Y")
    issued_on = tables.DateColumn(format="d.m.Y")
    amount = MoneyColumn()
    proof_of_use_due = tables.DateColumn(format="d.m.Y")
    application = tables.Column(order_by=("application__title",))

    class Meta:
        model = GrantDecision
        fields = ["label", "programme", "module", "period_start", "period_end", "issued_on", "reference", "amount",
                  "proof_of_use_due", "application"]
        order_by = ("-period_start",)
        empty_text = "Keine Zuwendungsbescheide gefunden."

    def render_label(self, record):
        # An expected decision (the rollover's, no letter yet) must not read as a real one in the list.
        return f"{record} (erwartet, noch kein Bescheid)" if record.expected else str(record)

    def value_label(self, record):
        return self.render_label(record)


class FocusGoalTable(tables.Table):
    number = tables.Column(attrs=NUM)
    title = tables.Column(linkify=detail_link("programmes:focusgoal_detail"))
    starts_on = tables.DateColumn(format="d.m.Y")
    due_on = tables.DateColumn(format="d.m.Y")
    approved_on = tables.DateColumn(format="d.m.Y")
    reported_on = tables.DateColumn(format="d.m.Y")

    class Meta:
        model = FocusGoal
        fields = ["number", "title", "field_of_action", "status", "starts_on", "due_on", "approved_on",
                  "reported_on"]
        order_by = ("due_on", "number")
        empty_text = "Keine Schwerpunktziele gefunden."
