"""Writing a county's workbook (and the blank template) from workbook.spec with openpyxl.

Dates are real date cells (TT.MM.JJJJ), amounts and FTE number cells, yes/no "ja"/"nein", choices their German
label, references the other row's code, name or "Schlüssel"; an empty value is an empty cell. Text that a
spreadsheet would run as a formula (= + - @, kimportal.exports.FORMULA_TRIGGERS) is a string cell with Excel's
own text marker (the ``quotePrefix`` style, what typing a leading apostrophe does): Excel shows "- Arbeitskreise",
not "'- Arbeitskreise", and keeps it text when the cell is edited.

Choice columns (Art, Status, Kostenart, ja/nein, Entgeltgruppe) carry a dropdown (a list data validation). The
template has one example row per sheet (row 2), marked in the column after the last one (``EXAMPLE_MARKER``); the
importer skips it and refuses the marker in any other row.
"""
from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kimportal import roles
from kimportal.exports import FORMULA_TRIGGERS

from . import cells
from .models import RowKey
from .spec import (BOOL, CHOICE, COUNTY_ROLES, DATE, EXAMPLE_MARKER, FORMAT_NAME, FORMAT_VERSION, FTE, INFO_SHEET,
                   INT, KEY, MONEY, QUANTITY, REF, REFS, ROLE, SIGNED_MONEY, TEXT, Sheet, active_sheets,
                   choice_labels)

NUMBER_FORMATS = {DATE: "DD.MM.YYYY", MONEY: "#,##0.00", SIGNED_MONEY: "#,##0.00", FTE: "0.0##", QUANTITY: "0.0#",
                  INT: "0"}
INFO_HEADERS = ("Tabelle", "Spalte", "Pflicht", "Format", "Erklärung", "Beispiel")
INTRO = (
    "Eine Zeile je Datensatz, Zeile 1 sind die Spaltenköpfe. Beim Import werden Zeilen über ihren Schlüssel "
    "(Name, Kürzel oder Spalte „Schlüssel“) erkannt: vorhandene werden aktualisiert, neue angelegt; was in der "
    "Mappe fehlt, bleibt unverändert. Ein Fehler in einer Zelle verhindert den ganzen Import.",
    "Landesdaten (Landesprogramme, Bausteine, Förderstellen, Fördersätze, Entgeltgruppen, KGSt-Kosten) werden "
    "nur mit ihrem Kürzel genannt (z. B. kim-b1, E11), nie in die Mappe übernommen.",
    "Zahlen deutsch (1.234,56; 0,75), Daten als TT.MM.JJJJ, ja/nein als „ja“ oder „nein“. Spalten mit "
    "festen Angaben (Art, Status, Kostenart, ja/nein, Entgeltgruppe) bieten eine Auswahlliste.",
    "In der Vorlage steht in jeder Tabelle in Zeile 2 eine Beispielzeile, rechts markiert mit "
    f"„{EXAMPLE_MARKER}“. Der Import überspringt sie; eigene Zeilen darunter eintragen (oder die Beispielzeile "
    "überschreiben und die Markierung löschen).",
)
EXAMPLE_ROW = 2  # the template's example row; the importer skips it when marked
EXTRA_ROWS = 500  # rows below the data that keep the dropdowns and number formats


def export_county(county) -> Workbook:
    """The county's workbook: the Info sheet and one sheet per kind of record, all of the county's rows."""
    book = Workbook()
    _info(book.active, county.name)
    for sheet in active_sheets():
        ws = book.create_sheet(sheet.title)
        _header(ws, sheet)
        writer = RowWriter(county)
        for obj in _rows(sheet, county):
            append_row(ws, [writer.value(sheet, column, obj) for column in sheet.columns])
        _formats(ws, sheet)
        _dropdowns(ws, sheet)
    return book


def template() -> Workbook:
    """The blank workbook: every sheet with its headers (an explanation on each) and one example row (row 2,
    marked ``EXAMPLE_MARKER``), the Info sheet with the explanations and an example value per column."""
    book = Workbook()
    _info(book.active, "")
    for sheet in active_sheets():
        ws = book.create_sheet(sheet.title)
        _header(ws, sheet)
        append_row(ws, example_row(sheet))
        marker = ws.cell(EXAMPLE_ROW, len(sheet.columns) + 1, EXAMPLE_MARKER)
        ws.column_dimensions[get_column_letter(marker.column)].width = 48
        for cell in ws[EXAMPLE_ROW]:
            cell.font = Font(italic=True, color="666666")
        _formats(ws, sheet)
        _dropdowns(ws, sheet)
    return book


def example_row(sheet: Sheet) -> list:
    """The sheet's documented examples (``Column.example``) as the cells the template writes: dates as dates,
    amounts and FTE as Decimals, the rest as text. Raises cells.CellError if an example is not a valid value."""
    readers = {DATE: cells.read_date, INT: cells.read_int}
    places = {MONEY: 2, SIGNED_MONEY: 2, FTE: 3, QUANTITY: 2}
    row = []
    for column in sheet.columns:
        text = column.example
        if not text:
            row.append(None)
        elif column.kind in readers:
            row.append(readers[column.kind](text))
        elif column.kind in places:
            row.append(cells.read_decimal(text, places=places[column.kind], currency=column.kind != FTE))
        else:
            row.append(text)
    return row


def dropdown_options(sheet: Sheet, column) -> list[str]:
    """The values a column's dropdown offers: a choice's German labels, ja/nein, the Land's pay grades."""
    if column.kind == CHOICE:
        return choice_labels(sheet.model_class, column.field)
    if column.kind == BOOL:
        return ["ja", "nein"]
    if column.kind == REF and column.ref == "pay_grade":
        from staffing.models import PayGrade

        return list(PayGrade.objects.order_by("code").values_list("code", flat=True))
    return []


def append_row(ws, values) -> None:
    """Append ``values`` as one row: "" as an empty cell, formula-like text as a marked string cell."""
    ws.append([None if value == "" else value for value in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"  # openpyxl would write "=…" as a formula
            cell.quotePrefix = True


def info_rows() -> list[tuple[str, str, str, str, str, str]]:
    """Per sheet a row (title, "", "", "", explanation, "") and per column (sheet, header, "ja"/"", format,
    explanation, example): the Info sheet's table and the source of docs/workbook.md."""
    rows = []
    for sheet in active_sheets():
        rows.append((sheet.title, "", "", "", sheet.explanation, ""))
        model = sheet.model_class
        for column in sheet.columns:
            rows.append((sheet.title, column.header, "ja" if column.required else "", column.format_text(model),
                         column.help, column.example))
    return rows


def _info(ws, county_name: str):
    ws.title = INFO_SHEET
    ws.append(["Format", f"{FORMAT_NAME} {FORMAT_VERSION}"])
    ws.append(["Kreis", county_name or "Vorlage (leer)"])
    ws.append(["erstellt am", date.today()])
    ws["B3"].number_format = "DD.MM.YYYY"
    for line in INTRO:
        ws.append(["Hinweis", line])
    ws.append([])
    ws.append(list(INFO_HEADERS))
    header_row = ws.max_row
    for row in info_rows():
        append_row(ws, row)
        if not row[1]:
            ws.cell(ws.max_row, 1).font = Font(bold=True)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (28, 34, 8, 40, 70, 30)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        row[4].alignment = Alignment(wrap_text=True, vertical="top")


def _header(ws, sheet: Sheet):
    ws.append([column.header for column in sheet.columns])
    model = sheet.model_class
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, index)
        cell.font = Font(bold=True)
        note = "Pflichtangabe. " if column.required else ""
        note += column.format_text(model) + (f". {column.help}" if column.help else "")
        if column.example:
            note += f" Beispiel: {column.example}"
        cell.comment = Comment(note, "kimportal")
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(column.header) + 4))
    ws.freeze_panes = "A2"


def _formats(ws, sheet: Sheet):
    for index, column in enumerate(sheet.columns, start=1):
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            ws.column_dimensions[get_column_letter(index)].number_format = number_format  # rows typed later
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format


def _dropdowns(ws, sheet: Sheet):
    last = max(ws.max_row, 1) + EXTRA_ROWS
    for index, column in enumerate(sheet.columns, start=1):
        options = dropdown_options(sheet, column)
        formula = '"' + ",".join(options) + '"'
        # An inline list holds at most 255 characters and no comma inside an entry (Excel's limits).
        if not options or len(formula) > 257 or any("," in o or '"' in o for o in options):
            continue
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                    errorTitle="Ungültige Angabe"[:32],
                                    error=f"„{column.header}“: bitte eine der Angaben der Liste wählen."[:255])
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)


def _rows(sheet: Sheet, county):
    model = sheet.model_class
    if sheet.title == "Kreis":
        return [county]
    rows = model._default_manager.filter(**{sheet.county_path: county})
    if sheet.title == "Benutzer":
        rows = rows.prefetch_related("groups")
    return rows.order_by(*(sheet.order or ("pk",)))


class RowWriter:
    """Cell values of one county's records; the "Schlüssel" of each referenced record is read once per kind."""

    def __init__(self, county):
        self.county = county
        self._keys: dict[str, dict[int, str]] = {}

    def key(self, sheet_label: str, prefix: str, pk: int) -> str:
        if sheet_label not in self._keys:
            self._keys[sheet_label] = dict(RowKey.objects.filter(county=self.county, model=sheet_label)
                                           .values_list("object_id", "key"))
        return self._keys[sheet_label].get(pk) or f"{prefix}{pk}"

    def value(self, sheet: Sheet, column, obj):
        if column.field == KEY:
            return self.key(sheet.label, sheet.key_prefix, obj.pk)
        if column.field == ROLE:
            names = {group.name for group in obj.groups.all()}
            return next((r for r in COUNTY_ROLES(roles) if r in names), "")
        value = getattr(obj, column.field)
        if value is None or value == "":
            return None
        if column.kind == TEXT:
            return cells.write_text(str(value))
        if column.kind == BOOL:
            return "ja" if value else "nein"
        if column.kind == CHOICE:
            return str(dict(obj._meta.get_field(column.field).choices).get(value, value))
        if column.kind == REF:
            return cells.write_text(self.ref_text(column.ref, value))
        return value  # dates, Decimals, ints: typed cells

    def ref_text(self, ref_name: str, related) -> str:
        ref = REFS[ref_name]
        if ref.scope == "key":
            target = next(s for s in active_sheets() if s.label == ref.model.lower())
            return self.key(target.label, target.key_prefix, related.pk)
        if ref.scope == "parent_pass_through":
            return related.recipient.name
        return str(getattr(related, ref.field))

