"""The German words of an import: how a row is named in the preview, and the reasons Django would give in English
or in generic words ("Kreis / kreisfreie Stadt mit diesem Name existiert bereits.", "Einschränkung … verletzt").

Every problem names sheet, row and column (reader.Problem); the texts here give the reason with the value.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from kimportal.models import County

from .results import show_value
from .spec import KEY, TEXT, Sheet


def label_columns(sheet: Sheet):
    """The columns that name a row for a reader: its key, and for a "Schlüssel" its title or name."""
    columns = list(sheet.key_columns)
    if sheet.row_key or not columns:
        extra = next((c for c in sheet.columns if c.required and c.kind == TEXT and c.field != KEY), sheet.columns[0])
        if extra not in columns:
            columns.append(extra)
    return columns


def row_label(sheet: Sheet, county, obj, *, key: str | None = None, writer=None) -> str:
    """How the preview names a record: the cells of its key columns as the workbook shows them
    ("S12: Koordination KIM", "cm-kommunen-2021, Alfter"), German numbers and dates."""
    if sheet.title == "Kreis":
        return f"{obj.name} ({obj.slug})"
    from .exporter import RowWriter

    writer = writer or RowWriter(county)
    parts = []
    for column in label_columns(sheet):
        if column.field == KEY and key:
            value = key
        else:
            value = writer.value(sheet, column, obj)
        if value not in (None, ""):
            parts.append(show_value(value, thousands=not column.field.endswith("year")))
    if sheet.row_key and len(parts) > 1:
        return f"{parts[0]}: {', '.join(parts[1:])}"
    return ", ".join(parts) or str(obj)


def example_problem(example_row: int) -> str:
    """The reason for a row outside row ``example_row`` that carries the template's example marker."""
    return (f"Die Zeile trägt rechts die Markierung der Beispielzeile (nur Zeile {example_row} der Vorlage wird "
            "übersprungen); bitte die Markierung löschen, damit die Zeile eingelesen wird.")


def unique_message(sheet: Sheet, obj, fields, *, county_slug: str = "") -> str:
    """The German reason for a value that another record already has (Django's unique checks)."""
    model = type(obj)
    values = {f: getattr(obj, f) for f in fields}
    holder = model._default_manager.filter(**values).exclude(pk=obj.pk).first()
    where = ""
    if isinstance(holder, County):
        where = f" (Kreis „{holder.name}“, Kürzel {holder.slug})"
    elif holder is not None and getattr(holder, "county_id", None):
        where = f" (beim Kreis „{holder.county.name}“)"
    shown = [f"„{_text(values[f])}“" for f in fields if sheet.column(f) is not None] or \
            [f"„{_text(v)}“" for v in values.values()]
    if len(fields) == 1:
        message = f"{shown[0]} ist schon vergeben{where}; bitte einen anderen Wert eintragen."
    else:
        headers = [sheet.column(f).header for f in fields if sheet.column(f) is not None]
        message = (f"Diese Angaben ({', '.join(headers)}: {', '.join(shown)}) hat schon ein anderer Eintrag"
                   f"{where}; bitte die Zeile ändern oder löschen.")
    if sheet.title == "Kreis" and "name" in fields and county_slug:
        message += " Für eine Kopie unter neuem Kürzel bitte auch einen neuen Namen angeben (--name bzw. Feld „Name (neu)“)."
    return message


def _text(value) -> str:
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value) if not isinstance(value, Decimal) else show_value(value)
