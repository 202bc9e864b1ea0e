"""Opening a workbook: its format version and, per sheet, the header row and the data rows (openpyxl).

A file that is no XLSX workbook (a CSV, a PDF or an old .xls renamed, an empty file) is refused with one German
message that says what the file seems to be (``not_a_workbook``).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .cells import is_empty, read_text
from .spec import EXAMPLE_MARKER, FORMAT_NAME, FORMAT_VERSION, INFO_SHEET

_VERSION = re.compile(rf"{re.escape(FORMAT_NAME)}\s+(\d+)")


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: sheet, row (as Excel numbers it), column header; ``message`` in German."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"Tabelle „{self.sheet}“")
        if self.row:
            where.append(f"Zeile {self.row}")
        if self.column:
            where.append(f"Spalte „{self.column}“")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class WorkbookInvalid(Exception):
    """The workbook cannot be imported; ``problems`` lists every reason found (at least one)."""

    def __init__(self, problems: list[Problem], result=None):
        super().__init__(str(problems[0]))
        self.problems = problems
        self.result = result


@dataclass
class SheetData:
    title: str
    headers: list[str]
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (Excel row number, header → raw cell value)
    examples: list[tuple[int, dict]] = field(default_factory=list)  # rows marked EXAMPLE_MARKER, same shape


@dataclass
class Book:
    version: int
    sheets: dict[str, SheetData]


def read_book(source) -> Book:
    """The workbook at ``source`` (a path or a binary file); WorkbookInvalid if it is no workbook of a version
    this kimportal reads."""
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise WorkbookInvalid([Problem(None, None, None, not_a_workbook(source))]) from None
    try:
        if INFO_SHEET not in wb.sheetnames:
            raise WorkbookInvalid([Problem(None, None, None, f"Die Mappe hat keine Tabelle „{INFO_SHEET}“ mit der "
                                           f"Formatversion; bitte die Vorlage von kimportal verwenden.")])
        version = _version(wb[INFO_SHEET])
        if version is None:
            raise WorkbookInvalid([Problem(INFO_SHEET, 1, None, f"Die Formatversion fehlt (erwartet: "
                                           f"„{FORMAT_NAME} {FORMAT_VERSION}“ in Zeile 1).")])
        if version > FORMAT_VERSION:
            raise WorkbookInvalid([Problem(INFO_SHEET, 1, None, f"Die Mappe hat das Format „{FORMAT_NAME} "
                                           f"{version}“; diese kimportal-Version liest bis Version "
                                           f"{FORMAT_VERSION}. Bitte kimportal aktualisieren.")])
        sheets = {}
        for ws in wb.worksheets:
            if ws.title == INFO_SHEET:
                continue
            sheets[ws.title] = _sheet(ws)
        return Book(version, sheets)
    finally:
        wb.close()


NOT_XLSX = ("Die Datei ist keine XLSX-Arbeitsmappe{what}; bitte eine mit kimportal erstellte Arbeitsmappe (.xlsx) "
            "hochladen.")


def not_a_workbook(source) -> str:
    """The German message for a file openpyxl cannot open, naming what its first bytes say it is."""
    head = b""
    try:
        if hasattr(source, "read"):
            source.seek(0)
            head = source.read(8)
        else:
            with open(source, "rb") as file:
                head = file.read(8)
    except OSError:
        pass
    if not head:
        what = " (die Datei ist leer)"
    elif head.startswith(b"%PDF"):
        what = ", sondern ein PDF-Dokument"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = ", sondern eine Datei im alten Excel-Format (.xls); bitte in Excel als .xlsx speichern"
    elif head.startswith(b"PK"):
        what = ", sondern ein anderes ZIP-Archiv (etwa ein Word-Dokument)"
    elif all(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in head):
        what = ", sondern eine Textdatei (etwa CSV)"
    else:
        what = ""
    return NOT_XLSX.format(what=what)


def _version(ws) -> int | None:
    for row in ws.iter_rows(min_row=1, max_row=5, max_col=3, values_only=True):
        for value in row:
            match = _VERSION.search(read_text(value))
            if match:
                return int(match[1])
    return None


def _sheet(ws) -> SheetData:
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, ())
    headers = [read_text(value) for value in header_row]
    while headers and not headers[-1]:
        headers.pop()
    data = SheetData(ws.title, headers)
    for number, values in enumerate(rows, start=2):
        cells = {header: values[i] if i < len(values) else None for i, header in enumerate(headers) if header}
        beyond = values[len(headers):]
        if any(read_text(value).startswith(EXAMPLE_MARKER) for value in beyond):
            data.examples.append((number, cells))
            continue
        if all(is_empty(v) for v in cells.values()):
            continue
        data.rows.append((number, cells))
    return data
