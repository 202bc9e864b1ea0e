"""Workbooks for the tests: the demo county exported, and cells changed as a user would change them."""
from io import BytesIO

from openpyxl import load_workbook

from kimportal.models import County
from workbook.exporter import export_county

RSK = "rhein-sieg-kreis"


def exported(slug: str = RSK, path=None):
    """The county's workbook as openpyxl opens a saved file (saved to ``path`` if given)."""
    buffer = BytesIO()
    export_county(County.objects.get(slug=slug)).save(buffer)
    buffer.seek(0)
    book = load_workbook(buffer)
    if path is not None:
        book.save(path)
    return book


def column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def row_where(ws, header: str, value) -> int:
    """The Excel row number of the first row whose ``header`` cell is ``value``."""
    index = column(ws, header)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, index).value == value:
            return row
    raise LookupError(f"{header} = {value!r} not in {ws.title}")


def set_cell(book, sheet: str, row: int, header: str, value):
    book[sheet].cell(row, column(book[sheet], header)).value = value


def save(book, tmp_path, name="mappe.xlsx"):
    path = tmp_path / name
    book.save(path)
    return path
