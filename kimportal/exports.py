"""Exports that cannot attack their readers: no cell of a CSV or XLSX file becomes a formula.

A spreadsheet treats text that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab
or carriage return can hide one (OWASP "CSV Injection"). A position titled
``=HYPERLINK("http://evil.example","x")`` would become a live link in the export; openpyxl even
writes any str starting with ``=`` as a formula cell.

The rule, the same for CSV and XLSX: such *text* gets a leading apostrophe, ``'=1+1``. In CSV that is
the usual neutraliser (Excel and LibreOffice show the cell as text); in XLSX the value is then a plain
string cell (data type ``s``) that shows the apostrophe, so the reader sees exactly what was stored,
marked as not computed. Typed values stay typed: a ``Decimal("-18")`` or a ``date`` is a number or
date cell as before, only ``str`` values are touched.
"""
from collections.abc import Iterable

from django_tables2.export.export import TableExport
from tablib import Dataset

# Characters that make a spreadsheet read a cell as a formula (or hide one behind whitespace).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """``value`` as a spreadsheet will show it as text: a str starting like a formula gets a ``'`` prefix.

    >>> neutralise_cell("=1+1"), neutralise_cell("Alfter"), neutralise_cell(-18)
    ("'=1+1", 'Alfter', -18)
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values: Iterable) -> list:
    """Every cell of a row through :func:`neutralise_cell`."""
    return [neutralise_cell(value) for value in values]


class SafeTableExport(TableExport):
    """django-tables2's export (tablib behind it) with every header and cell neutralised."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        """The table's export values as a tablib Dataset, as django-tables2 builds it, cells neutralised."""
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = Dataset(title=dataset.title)
        safe.headers = neutralise_row(dataset.headers or [])
        for row in dataset:
            safe.append(neutralise_row(row))
        return safe
