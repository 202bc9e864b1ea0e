"""What an import of the workbook did (or, in a dry run, would do), and how the preview shows values.

``ImportResult`` holds per sheet the rows created, changed and left unchanged, the county's records the workbook
does not name, and ``notes``: one German line per kind of thing the import deliberately left out (an official key
of another county, a user name already taken, the template's example rows). The preview page and the
import_county command show the same result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kimportal.money import format_number

NEW, CHANGED, SAME = "neu", "geändert", "unverändert"
MISSING_NOTE = "nicht in der Mappe: bleibt unverändert"
EMPTY_SHEETS = "übrige Tabellen leer"


@dataclass
class RowOutcome:
    row: int
    label: str
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new), shown German


@dataclass
class SheetOutcome:
    title: str
    rows: list[RowOutcome] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    absent: bool = False
    skipped: int = 0  # rows a copy leaves out on purpose (workbook.copying), told in ImportResult.notes

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(NEW)

    @property
    def changed(self) -> int:
        return self.count(CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(SAME)

    @property
    def is_empty(self) -> bool:
        """No row in the workbook and no record of the county left out: nothing to show for this sheet."""
        return not self.absent and not self.rows and not self.missing and not self.skipped


@dataclass
class ImportResult:
    county_name: str
    slug: str
    new_county: bool
    sheets: list[SheetOutcome]
    saved: bool
    notes: list[str] = field(default_factory=list)
    # (user name, pk) of the users a saved import created: they have no password yet (workbook.passwords).
    new_users: list[tuple[str, int]] = field(default_factory=list)

    @property
    def users_created(self) -> int:
        """How many users the import creates (or, in a dry run, would create): each needs a password link."""
        return sum(sheet.created for sheet in self.sheets if sheet.title == "Benutzer")

    def total(self, action: str) -> int:
        return sum(sheet.count(action) for sheet in self.sheets)

    def summary(self) -> str:
        """One line: "Rhein-Sieg-Kreis (rhein-sieg-kreis): 12 neu, 3 geändert, 200 unverändert"."""
        return (f"{self.county_name} ({self.slug}): {self.total(NEW)} neu, {self.total(CHANGED)} geändert, "
                f"{self.total(SAME)} unverändert")

    @property
    def shown_sheets(self) -> list[SheetOutcome]:
        """The sheets with rows or records left out; the others are named once (``empty_sheets_text``)."""
        return [sheet for sheet in self.sheets if not sheet.is_empty]

    @property
    def empty_sheets_text(self) -> str:
        """"übrige Tabellen leer: Förderstellen, Fördersätze" (empty if every sheet has rows)."""
        empty = [sheet.title for sheet in self.sheets if sheet.is_empty]
        return f"{EMPTY_SHEETS}: {', '.join(empty)}" if empty else ""


def show_value(value, *, thousands: bool = True) -> str:
    """A value as the preview shows it: German numbers ("0,75", "25.727") and dates, ja/nein, "—" for nothing.

    ``thousands=False`` for numbers that are no quantities (a fiscal year: 2022, not 2.022)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        return format_number(value) if thousands else str(value)
    if isinstance(value, Decimal):
        places = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral_value() else 0
        return format_number(value, min(places, 3))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)
