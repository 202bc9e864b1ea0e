"""Follow-on errors of an import: rows that refer to a row which failed itself are no cause of their own.

A wrong date in row 3 of "Zuwendungsbescheide" leaves the decision "B1" unsaved; every row of a later sheet that
names "B1" would then say "Zuwendungsbescheid „B1“ nicht gefunden" although B1 stands in the workbook. Such rows
are skipped instead, and the problem of the failed row says which rows it held back ("Deshalb übersprungen:
Tabelle „Bewilligte Förderstellen“, Zeilen 5 und 6; …"). A skipped row counts as failed for the rows naming it
in turn, with the same origin, so a chain of references names its first cause only. Errors of other cells of a
skipped row are still reported: they are causes of their own.
"""
from __future__ import annotations

from collections import defaultdict

from . import cells
from .reader import Problem

Origin = tuple[str, int]  # (sheet title, Excel row) of the row whose own error held others back


class FollowOn(cells.CellError):
    """A cell naming a row that failed (``origin``): skipped, not reported as a problem of its own."""

    def __init__(self, origin: Origin):
        super().__init__(f"wegen des Fehlers in Tabelle „{origin[0]}“, Zeile {origin[1]} übersprungen")
        self.origin = origin


class FollowOns:
    """The failed rows of one import by the keys other sheets name them with, and the rows they held back."""

    def __init__(self):
        self.failed: dict[str, dict[str, Origin]] = defaultdict(dict)  # sheet title -> key text -> origin
        self.held_back: dict[Origin, list[Origin]] = defaultdict(list)

    def row_failed(self, sheet_title: str, number: int, keys: list[str], origin: Origin | None = None) -> None:
        """Row ``number`` of the sheet was not saved; ``keys``: the texts other sheets name it by (its key cells,
        as written and as renamed for a copy); ``origin``: the failed row it referred to, if it was skipped."""
        for key in keys:
            if key:
                self.failed[sheet_title].setdefault(key, origin or (sheet_title, number))
        if origin is not None:
            self.held_back[origin].append((sheet_title, number))

    def check(self, sheet_title: str, key: str) -> None:
        """Raise FollowOn if ``key`` names a row of ``sheet_title`` that failed (call where a reference is not
        found)."""
        origin = self.failed.get(sheet_title, {}).get(key)
        if origin is not None:
            raise FollowOn(origin)

    def merged(self, problems: list[Problem]) -> list[Problem]:
        """The problems, the first of each failed row saying which rows it held back."""
        told: set[Origin] = set()
        merged = []
        for problem in problems:
            origin = (problem.sheet, problem.row)
            if origin in self.held_back and origin not in told:
                told.add(origin)
                problem = Problem(problem.sheet, problem.row, problem.column,
                                  f"{problem.message} {held_back_text(self.held_back[origin])}")
            merged.append(problem)
        return merged


def held_back_text(rows: list[Origin]) -> str:
    """"Deshalb übersprungen: Tabelle „Bewilligte Förderstellen“, Zeilen 5 und 6; Tabelle „Weiterleitungen“,
    Zeile 3." """
    by_sheet: dict[str, list[int]] = {}
    for sheet, row in rows:
        by_sheet.setdefault(sheet, []).append(row)
    parts = []
    for sheet, numbers in by_sheet.items():
        numbers = sorted(set(numbers))
        if len(numbers) == 1:
            parts.append(f"Tabelle „{sheet}“, Zeile {numbers[0]}")
        else:
            listed = ", ".join(str(n) for n in numbers[:-1]) + f" und {numbers[-1]}"
            parts.append(f"Tabelle „{sheet}“, Zeilen {listed}")
    return f"Deshalb übersprungen (sie verweisen auf diese Zeile): {'; '.join(parts)}."
