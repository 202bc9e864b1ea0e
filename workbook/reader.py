"""Opening a workbook: its format version and, per sheet, the header row and the data rows (openpyxl)."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .cells import is_empty, read_text
from .spec import FORMAT_NAME, FORMAT_VERSION, INFO_SHEET

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
        raise WorkbookInvalid([Problem(None, None, None, "Die Datei ist keine XLSX-Arbeitsmappe; bitte eine mit "
                                                         "kimportal erstellte Arbeitsmappe (.xlsx) hochladen.")])
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
        if all(is_empty(v) for v in cells.values()):
            continue
        data.rows.append((number, cells))
    return data
