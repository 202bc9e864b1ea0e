"""Tables of the budgeting pages (django-tables2); every table exports as CSV and XLSX.

MoneyColumn and GermanDateColumn live in kimportal.tables (lean cells, issue 13); they are imported from here
across the app.
"""
import django_tables2 as tables
from django.utils.html import format_html

from budgeting.models import Appropriation, CoverageSource, Scenario
from kimportal.tables import NUM, GermanDateColumn, LeanTable, MoneyColumn

__all__ = ["NUM", "AppropriationTable", "CoverageSourceTable", "DeadlineTable", "GermanDateColumn", "MoneyColumn",
           "ScenarioTable"]


class CoverageSourceTable(LeanTable):
    name = tables.LinkColumn("budgeting:coverage_detail", args=[tables.A("pk")], verbose_name="Bezeichnung")
    kind = tables.Column(verbose_name="Art")
    balance = MoneyColumn(verbose_name="Restbetrag")
    balance_as_of = GermanDateColumn(verbose_name="Stand")
    usable_until = GermanDateColumn(verbose_name="verwendbar bis")
    extension_status = tables.Column(verbose_name="Verlängerung")
    extended_until = GermanDateColumn(verbose_name="verlängert bis")
    proof_of_use_due = GermanDateColumn(verbose_name="Verwendungsnachweis fällig")

    class Meta:
        model = CoverageSource
        fields = ("name", "kind", "balance", "balance_as_of", "usable_until", "extension_status", "extended_until",
                  "proof_of_use_due")
        empty_text = "Keine Deckungsmittel erfasst."
        attrs = {"class": "table"}


class AppropriationTable(LeanTable):
    budget_line = tables.Column(verbose_name="Haushaltsstelle", accessor="budget_line__code",
                                order_by=("budget_line__code", "fiscal_year"))
    budget_line_name = tables.Column(verbose_name="Bezeichnung", accessor="budget_line__name",
                                     order_by=("budget_line__name",))
    fiscal_year = tables.Column(verbose_name="Haushaltsjahr", localize=False, attrs=NUM)
    amount = MoneyColumn(verbose_name="Ansatz")
    note = tables.Column(verbose_name="Bemerkung")
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True, empty_values=())

    class Meta:
        model = Appropriation
        fields = ("budget_line", "budget_line_name", "fiscal_year", "amount", "note")
        empty_text = "Keine Haushaltsansätze erfasst."
        attrs = {"class": "table"}

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_edit(self, record):
        from django.urls import reverse

        return format_html('<a href="{}">Bearbeiten<span class="skip"> {} {}</span></a>',
                           reverse("budgeting:appropriation_edit", args=[record.pk]), record.budget_line.code,
                           record.fiscal_year)


class ScenarioTable(LeanTable):
    name = tables.LinkColumn("budgeting:scenario_detail", args=[tables.A("pk")], verbose_name="Name")
    description = tables.Column(verbose_name="Beschreibung")
    position_override_count = tables.Column(verbose_name="Stellen-Annahmen", attrs=NUM, orderable=True)
    coverage_override_count = tables.Column(verbose_name="Deckungs-Annahmen", attrs=NUM, orderable=True)

    class Meta:
        model = Scenario
        fields = ("position", "name", "description")
        empty_text = "Noch keine Szenarien."
        attrs = {"class": "table"}


class DeadlineTable(LeanTable):
    """Rows are kimportal.deadlines.Deadline objects."""

    date = GermanDateColumn(verbose_name="Datum", orderable=False)
    kind = tables.Column(verbose_name="Art", orderable=False)
    title = tables.Column(verbose_name="Gegenstand", orderable=False)
    overdue = tables.BooleanColumn(verbose_name="überfällig", orderable=False, yesno="überfällig,")

    class Meta:
        empty_text = "Keine Fristen in diesem Zeitraum."
        attrs = {"class": "table"}
        row_attrs = {"class": lambda record: "overdue" if record.overdue else ""}

    def render_title(self, record, value):
        if record.url:
            return format_html('<a href="{}">{}</a>', record.url, value)
        return value

    def value_title(self, value):
        return value

    def value_overdue(self, value):
        return "ja" if value else "nein"
