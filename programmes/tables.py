"""Tables of the list pages; every column that follows a relation is select_related by its view."""
import django_tables2 as tables
from django.urls import reverse

from kimportal.tables import NUM, GermanDateColumn, LeanTable, MoneyColumn  # noqa: F401 - NUM, MoneyColumn re-exported

from .models import FocusGoal, GrantDecision, Programme

def detail_link(url_name):
    return lambda record: reverse(url_name, args=[record.pk])


class ProgrammeTable(LeanTable):
    name = tables.Column(linkify=detail_link("programmes:programme_detail"))
    # empty_values=(): a Land programme's county is None, and render_kind must name it, not the table's "—".
    kind = tables.Column(verbose_name="Art", accessor="county_id", order_by=("county_id", "name"), empty_values=())
    starts_on = GermanDateColumn()
    ends_on = GermanDateColumn()

    class Meta:
        model = Programme
        fields = ["name", "code", "kind", "funder", "granting_authority", "starts_on", "ends_on"]
        order_by = ("name",)
        empty_text = "Keine Programme gefunden."

    def render_kind(self, value):
        return "eigenes Programm" if value else "Landesprogramm"

    def value_kind(self, value):
        return self.render_kind(value)


class GrantDecisionTable(LeanTable):
    label = tables.Column(verbose_name="Bescheid", accessor="pk", order_by=("-period_start", "programme__name"),
                          linkify=detail_link("programmes:grantdecision_detail"))
    programme = tables.Column(order_by=("programme__name",))
    module = tables.Column(order_by=("module__position", "module__name"))
    period_start = GermanDateColumn()
    period_end = GermanDateColumn()
    issued_on = GermanDateColumn()
    amount = MoneyColumn()
    proof_of_use_due = GermanDateColumn()
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


class FocusGoalTable(LeanTable):
    number = tables.Column(attrs=NUM)
    title = tables.Column(linkify=detail_link("programmes:focusgoal_detail"))
    starts_on = GermanDateColumn()
    due_on = GermanDateColumn()
    approved_on = GermanDateColumn()
    reported_on = GermanDateColumn()

    class Meta:
        model = FocusGoal
        fields = ["number", "title", "field_of_action", "status", "starts_on", "due_on", "approved_on",
                  "reported_on"]
        order_by = ("due_on", "number")
        empty_text = "Keine Schwerpunktziele gefunden."
