"""The audit page's table: one row per history record, newest first, with its changes."""
import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join


def change_text(changes) -> str:
    """The changes as one line of text (CSV, XLSX): "Tage pro Woche: 2,00 → 1,50; kein Bedarf: nein → ja"."""
    return "; ".join(f"{label}: {old} → {new}" if old else f"{label}: {new}" for label, old, new in changes)


class ChangeLogTable(tables.Table):
    date = tables.Column(verbose_name="Zeitpunkt", orderable=False)
    user = tables.Column(verbose_name="Benutzer/in", orderable=False)
    action = tables.Column(verbose_name="Aktion", orderable=False)
    kind = tables.Column(verbose_name="Art des Eintrags", orderable=False)
    object = tables.Column(verbose_name="Eintrag", orderable=False)
    county = tables.Column(verbose_name="Kreis", orderable=False)
    changes = tables.Column(verbose_name="Werte", orderable=False, empty_values=())

    class Meta:
        empty_text = "Keine Änderungen gefunden."
        attrs = {"class": "changelog"}

    def render_date(self, value):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")

    def value_date(self, value):
        # A spreadsheet takes a local date and time without a zone.
        return timezone.localtime(value).replace(tzinfo=None)

    def render_changes(self, value):
        if not value:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{}: {}</li>", ((label, f"{old} → {new}" if old else new) for label, old, new in value)))

    def value_changes(self, value):
        return change_text(value)
