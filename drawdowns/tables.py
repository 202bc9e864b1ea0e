"""The draw-down tables (django-tables2): on the page and as CSV/XLSX exports of the same rows."""
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from budgeting.tables import GermanDateColumn, MoneyColumn


class DecisionStandingTable(tables.Table):
    """One row per grant decision: granted (and on what basis), called, received, still to be called, next deadline.
    Rows are dicts built by drawdowns.views.DrawdownOverviewView."""

    decision = tables.Column("Zuwendungsbescheid", orderable=False)
    granted = MoneyColumn(verbose_name="bewilligt", default="nicht erfasst")
    basis = tables.Column("Grundlage", orderable=False)
    requested = MoneyColumn(verbose_name="abgerufen")
    received = MoneyColumn(verbose_name="eingegangen")
    still_to_call = MoneyColumn(verbose_name="noch abzurufen", default="offen")
    next_due = GermanDateColumn(verbose_name="nächste Frist", default="–")

    class Meta:
        orderable = False
        empty_text = "Ihr Kreis hat noch keine Zuwendungsbescheide erfasst."

    def render_decision(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("drawdowns:decision", args=[record["pk"]]), value)

    def value_decision(self, value):
        return value


class DrawdownTable(tables.Table):
    """The draw-downs of one decision, with their state and what to notice."""

    due_on = GermanDateColumn(verbose_name="abzurufen bis", default="–")
    requested_on = GermanDateColumn(verbose_name="angefordert am", default="–")
    requested_amount = MoneyColumn(verbose_name="angefordert", default="–")
    received_on = GermanDateColumn(verbose_name="eingegangen am", default="–")
    received_amount = MoneyColumn(verbose_name="eingegangen", default="–")
    state = tables.Column("Stand")
    note = tables.Column("Bemerkung", default="")
    actions = tables.Column("", empty_values=(), exclude_from_export=True, attrs={"th": {"class": "visually-hidden"}})

    class Meta:
        orderable = False
        empty_text = "Für diesen Bescheid sind noch keine Mittelabrufe erfasst."

    def __init__(self, *args, can_change=False, can_delete=False, **kwargs):
        self.can_change, self.can_delete = can_change, can_delete
        super().__init__(*args, **kwargs)

    def render_actions(self, record):
        links = []
        if self.can_change:
            links.append(format_html('<a href="{}">Bearbeiten</a>', reverse("drawdowns:edit", args=[record["pk"]])))
        if self.can_delete:
            links.append(format_html('<a href="{}">Löschen</a>', reverse("drawdowns:delete", args=[record["pk"]])))
        return format_html(" · ".join(["{}"] * len(links)), *links) if links else ""
