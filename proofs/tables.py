"""The proofs-of-use table (django-tables2): on the overview page and as its CSV/XLSX export."""
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from budgeting.tables import MoneyColumn


class YearProofTable(tables.Table):
    """One row per grant decision touching the fiscal year: the settlement of its proof of use (EUR) and the status.
    Rows are dicts built by proofs.views.proof_rows."""

    decision = tables.Column("Zuwendungsbescheid", orderable=False)
    kind = tables.Column("Art")
    granted = MoneyColumn(verbose_name="bewilligt", default="nicht erfasst")
    received = MoneyColumn(verbose_name="erhalten")
    grant_due = MoneyColumn(verbose_name="zustehend")
    repayment = MoneyColumn(verbose_name="zurückzuzahlen")
    still_to_call = MoneyColumn(verbose_name="noch abrufbar")
    status = tables.Column("Stand")
    basis = tables.Column("Hinweis", default="")

    class Meta:
        orderable = False
        empty_text = "Für dieses Haushaltsjahr sind keine Zuwendungsbescheide erfasst."
        row_attrs = {"class": lambda record: "overdue" if record["overdue"] else ""}

    def render_decision(self, record, value):
        return format_html('<a href="{}">{}</a>',
                           reverse("proofs:decision", kwargs={"decision_pk": record["pk"], "year": record["year"]}),
                           value)

    def value_decision(self, value):
        return value
