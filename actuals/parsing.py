"""Reading an actual-cost file (payroll or HKR export): pure, no Django, no database.

The documented format (docs/actuals.md), as German Excel saves it:

- CSV with ``;`` (a tab also works), UTF-8 with or without BOM (Excel's "CSV UTF-8"), or Windows-1252
  (Excel's plain "CSV (Trennzeichen-getrennt)"); or XLSX, whose first sheet is read;
- the first non-empty row holds the column headers ``Stellennummer;Monat;Kostenart;Betrag`` (any order,
  case ignored, further columns ignored); other headers are mapped to the four fields by a dict
  header → field (``{"Ist-Betrag": "amount"}``);
- ``Monat``: ``MM.JJJJ`` (``01.2022``), ``M.JJJJ`` (``1.2022``), ``MM/JJJJ``, ``JJJJ-MM``, a full date
  ``TT.MM.JJJJ`` (the month it falls in), or in XLSX a date cell (Excel turns a typed ``01.2022`` into one);
- ``Kostenart``: a cost type's name (``Personalkosten``), its code (``personnel``) or abbreviation (``PK``);
- ``Betrag``: euros with a decimal comma, thousands dots allowed (``5.123,45``), never negative, at most
  two decimal places (kimportal.numbers reads it); in XLSX also a number cell.

Every bad row is named with its line and column, in German (``Zeile 3, Spalte Monat: „13.2022“ ist kein
Monat (MM.JJJJ).``); any error refuses the whole file: ``read_actuals`` raises ActualsFileInvalid with all of
them, and the caller saves nothing.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kimportal.money import CENT
from kimportal.numbers import NumberFormatError, parse_decimal

POSITION_NUMBER, MONTH, COST_TYPE, AMOUNT = "position_number", "month", "cost_type", "amount"
FIELDS = (POSITION_NUMBER, MONTH, COST_TYPE, AMOUNT)
# The documented headers, which are also the German names of the fields.
FIELD_LABELS = {POSITION_NUMBER: "Stellennummer", MONTH: "Monat", COST_TYPE: "Kostenart", AMOUNT: "Betrag"}
DEFAULT_MAPPING = {label: name for name, label in FIELD_LABELS.items()}
MAX_AMOUNT = Decimal("999999999999.99")  # what a MoneyField (14 digits, 2 places) holds
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_ERRORS = 200  # a file with more bad rows is refused after this many messages
AMBIGUOUS = None  # the value of a Stellennummer that several positions of the county carry
Term = tuple[date, date | None]  # a position's start and end (None: open-ended)

_MONTH_YEAR = re.compile(r"(\d{1,2})[./](\d{4})")
_FULL_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


class ActualsFileInvalid(Exception):
    """The file is refused; ``errors`` lists every reason (German, one line each, at least one)."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0])
        self.errors = errors


@dataclass(frozen=True)
class Table:
    """A file's cells: ``headers`` (the first non-empty row) and ``rows`` as (line number, cells).

    Cells are text (CSV), or what openpyxl reads (XLSX: str, int, float, datetime or None).
    """

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)


@dataclass(frozen=True)
class ActualRow:
    """One valid row: the position's id, the month (its first day), the cost type's code, the amount in euros."""

    line: int
    position_number: str
    position_id: int
    month: date
    cost_type: str
    amount: Decimal

    @property
    def key(self) -> tuple[int, date, str]:
        return self.position_id, self.month, self.cost_type


def normalize(text) -> str:
    """A header or Stellennummer as compared: trimmed, lower case, inner spaces collapsed."""
    return " ".join(str(text or "").replace("\ufeff", "").split()).lower()


# --- the file ------------------------------------------------------------------------------------------


def read_table(content: bytes, file_name: str) -> Table:
    """The cells of a CSV or XLSX file (by its name; a ZIP archive is taken for XLSX). ActualsFileInvalid if
    it is neither, cannot be read, or has no header row."""
    name = file_name.lower()
    if name.endswith(".xlsx") or (not name.endswith((".csv", ".txt")) and content[:2] == b"PK"):
        rows = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(content)
    else:
        raise ActualsFileInvalid(["Bitte eine CSV-Datei (Trennzeichen Semikolon) oder eine XLSX-Datei einlesen."])
    rows = [(line, cells) for line, cells in rows if any(not _empty(c) for c in cells)]
    if not rows:
        raise ActualsFileInvalid(["Die Datei ist leer: Es fehlt die Kopfzeile Stellennummer;Monat;Kostenart;Betrag."])
    (_, headers), *data = rows
    return Table(headers=[str(h).replace("\ufeff", "").strip() if h is not None else "" for h in headers],
                 rows=data)


def _csv_rows(content: bytes) -> list[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's plain "CSV (Trennzeichen-getrennt)"
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        return []
    if ";" in first:
        delimiter = ";"
    elif "\t" in first:
        delimiter = "\t"
    else:
        raise ActualsFileInvalid([
            "Zeile 1: Die Spalten sind nicht durch Semikolon getrennt (erwartet: Stellennummer;Monat;Kostenart;"
            "Betrag). Bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ActualsFileInvalid([f"Zeile {reader.line_num}: Die CSV-Datei ist beschädigt ({exc})."]) from None
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook  # only where an XLSX file is read

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ActualsFileInvalid([f"Die Datei ist keine lesbare XLSX-Datei ({type(exc).__name__})."]) from None
    try:
        sheet = book.worksheets[0]
        return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- the columns ---------------------------------------------------------------------------------------


def columns(headers: list[str], mapping: Mapping[str, str] | None = None, *,
            fixed_cost_type: bool = False) -> dict[str, int]:
    """Field → column index. ``mapping`` (header → field) adds to and overrides the documented headers;
    ``fixed_cost_type``: the file needs no Kostenart column. ActualsFileInvalid names what is missing."""
    wanted = {normalize(header): name for header, name in DEFAULT_MAPPING.items()}
    for header, name in (mapping or {}).items():
        if name not in FIELDS:
            raise ActualsFileInvalid([f"„{name}“ ist kein Feld der Ist-Kosten ({', '.join(FIELD_LABELS.values())})."])
        if name in wanted.values():  # the mapped column replaces the documented one for this field
            wanted = {h: n for h, n in wanted.items() if n != name}
        wanted[normalize(header)] = name
    found: dict[str, int] = {}
    errors = []
    for index, header in enumerate(headers):
        name = wanted.get(normalize(header))
        if name is None:
            continue
        if name in found:
            errors.append(f"Zeile 1: Die Spalte {FIELD_LABELS[name]} steht zweimal in der Datei "
                          f"(„{headers[found[name]]}“ und „{header}“).")
        found[name] = index
    needed = [name for name in FIELDS if not (name == COST_TYPE and fixed_cost_type)]
    missing = [FIELD_LABELS[name] for name in needed if name not in found]
    if missing:
        shown = ", ".join(f"„{h}“" for h in headers if h) or "keine"
        what = (f"fehlt die Spalte {missing[0]}" if len(missing) == 1
                else f"fehlen die Spalten {', '.join(missing[:-1])} und {missing[-1]}")
        errors.append(f"Zeile 1: Es {what} (Spalten der Datei: {shown}). Andere Spaltennamen bitte zuordnen.")
    if errors:
        raise ActualsFileInvalid(errors)
    return found


# Headers that other exports use for the four fields, compared without case, spaces and punctuation
# ("Ist-Betrag" is "istbetrag"). Only whole headers count: "Kostenstelle" names a cost centre, neither the
# Stellennummer nor the Kostenart, and must not be guessed.
SIMILAR_HEADERS = {
    POSITION_NUMBER: ("stellennummer", "stellennr", "stelle", "planstelle", "planstellennummer", "stellenid",
                      "personalnummer", "personalnr"),
    MONTH: ("monat", "buchungsmonat", "abrechnungsmonat", "periode", "buchungsperiode", "abrechnungsperiode",
            "abrechnungszeitraum", "zeitraum", "monatjahr"),
    COST_TYPE: ("kostenart", "kostenarten", "art", "kostenartbezeichnung"),
    AMOUNT: ("betrag", "istbetrag", "ist", "istkosten", "betrageur", "betragineuro", "betrageuro", "euro", "eur",
             "summe", "kosten", "buchungsbetrag"),
}


def suggest_columns(headers: list[str]) -> dict[str, int]:
    """Field → index of the column whose header looks like it (for pre-selecting the mapping page).

    A header matches when, without case, spaces and punctuation, it is one of SIMILAR_HEADERS; each column
    is suggested for one field at most, the first matching column wins. Fields without a match are missing.
    """
    keys = [re.sub(r"[^0-9a-zäöüß]", "", normalize(header)) for header in headers]
    found: dict[str, int] = {}
    for name in FIELDS:
        for index, key in enumerate(keys):
            if key and key in SIMILAR_HEADERS[name] and index not in found.values():
                found[name] = index
                break
    return found


# --- the cells -----------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that is refused; the message says why, without line and column."""


def read_month(cell) -> date:
    """The first day of the month a cell names (see the module docstring for the forms)."""
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return _month(cell.year, cell.month, cell)
    if isinstance(cell, float):
        cell = f"{cell:.4f}"  # 1.2022 typed into a number cell
    text = str(cell if cell is not None else "").strip()
    if not text:
        raise CellError("Der Monat fehlt (MM.JJJJ, z. B. 01.2022).")
    match = _MONTH_YEAR.fullmatch(text)
    if match:
        return _month(int(match[2]), int(match[1]), text)
    match = _FULL_DATE.fullmatch(text)
    if match:
        try:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            raise CellError(f"„{text}“ ist kein Datum (TT.MM.JJJJ) und kein Monat (MM.JJJJ).") from None
        return _month(day.year, day.month, text)
    match = _ISO.fullmatch(text)
    if match:
        return _month(int(match[1]), int(match[2]), text)
    raise CellError(f"„{text}“ ist kein Monat (MM.JJJJ).")


def _month(year: int, month: int, shown) -> date:
    if not 1 <= month <= 12:
        raise CellError(f"„{shown}“ ist kein Monat (MM.JJJJ).")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(f"„{shown}“ liegt nicht zwischen {FIRST_YEAR} und {LAST_YEAR}.")
    return date(year, month, 1)


def read_amount(cell) -> Decimal:
    """The euros of a cell: German text (``5.123,45``) or an XLSX number; never negative, at most cents."""
    if isinstance(cell, bool):
        raise CellError(f"„{cell}“ ist kein Betrag.")
    if isinstance(cell, (int, float)):
        value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(value - rounded) > Decimal("0.000001"):  # more than float noise: a third decimal place
            raise CellError(f"„{_german(value)}“ hat mehr als zwei Nachkommastellen.")
        value = rounded
    else:
        text = str(cell if cell is not None else "").strip()
        if not text:
            raise CellError("Der Betrag fehlt (z. B. 5.123,45).")
        try:
            value = parse_decimal(text, places=2, currency=True, example="5.123,45")
        except NumberFormatError as exc:
            raise CellError(f"„{text}“ ist kein Betrag: {exc.message}") from None
        except InvalidOperation:
            raise CellError(f"„{text}“ ist kein Betrag (z. B. 5.123,45).") from None
    if value < 0:
        raise CellError(f"„{_german(value)}“ ist negativ; Ist-Kosten sind nie negativ (eine Korrektur bitte "
                        "als neuen Monatsbetrag einlesen).")
    if value > MAX_AMOUNT:
        raise CellError(f"„{_german(value)}“ ist zu groß.")
    return value


def _german(value: Decimal) -> str:
    return str(value).replace(".", ",")


def read_cost_type(cell, cost_types: Mapping[str, str]) -> str:
    """The code of the cost type a cell names; ``cost_types`` maps normalized names, codes and abbreviations
    to codes, each code's German name first (services.cost_type_names): the message lists those names."""
    text = str(cell if cell is not None else "").strip()
    if not text:
        raise CellError("Die Kostenart fehlt (z. B. Personalkosten).")
    code = cost_types.get(normalize(text))
    if code is None:
        first_names: dict[str, str] = {}
        for name, known in cost_types.items():
            first_names.setdefault(known, name)
        names = first_names.values()
        raise CellError(f"„{text}“ ist keine Kostenart (erlaubt: {', '.join(_title(n) for n in names)}).")
    return code


def _title(name: str) -> str:
    return name[:1].upper() + name[1:]


def read_position(cell, positions: Mapping[str, int | None]) -> tuple[str, int]:
    """(Stellennummer as written, position id); ``positions`` maps normalized numbers to ids, AMBIGUOUS (None)
    where several positions of the county carry the number."""
    text = str(cell if cell is not None else "").strip()
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    if not text:
        raise CellError("Die Stellennummer fehlt.")
    key = normalize(text)
    if key not in positions:
        raise CellError(f"„{text}“ ist keine Stellennummer einer Stelle des Kreises.")
    if positions[key] is AMBIGUOUS:
        raise CellError(f"„{text}“ ist mehreren Stellen des Kreises zugeordnet; bitte die Stellennummern eindeutig "
                        "machen.")
    return text, positions[key]


def month_problem(month: date, term: Term | None, last_month: date | None) -> str | None:
    """Why ``month`` (its first day) cannot hold an actual cost of a position with ``term``, or None.

    A month counts as inside the term if any day of it is (a position starting on 15.09.2021 may cost
    something in 09.2021). ``last_month``: the current month; later months have no actual costs yet.
    """
    if last_month is not None and month > last_month:
        return f"„{month:%m.%Y}“ liegt in der Zukunft (Ist-Kosten gibt es bis {last_month:%m.%Y})."
    if term is not None:
        start, end = term
        if month < start.replace(day=1) or (end is not None and month > end):
            until = f"{end:%d.%m.%Y}" if end else "…"
            return f"„{month:%m.%Y}“ liegt außerhalb der Laufzeit der Stelle ({start:%d.%m.%Y}–{until})."
    return None


# --- the whole file ------------------------------------------------------------------------------------


def read_actuals(content: bytes, file_name: str, *, positions: Mapping[str, int | None],
                 cost_types: Mapping[str, str], mapping: Mapping[str, str] | None = None,
                 fixed_cost_type: str | None = None, terms: Mapping[int, Term] | None = None,
                 last_month: date | None = None) -> list[ActualRow]:
    """Every row of the file, checked; ActualsFileInvalid with every error (at most MAX_ERRORS) otherwise.

    ``positions``: normalized Stellennummer → position id (None: several positions carry it);
    ``cost_types``: normalized name/code/abbreviation → cost-type code; ``mapping``: header → field for other
    layouts; ``fixed_cost_type``: the code every row gets where the file has no Kostenart column.
    ``terms``: position id → (start, end or None); a month wholly before the start or after the end of its
    position is refused (an actual cost outside the term is a wrong Stellennummer or month). ``last_month``:
    the first day of the current month; a later month is refused (no actual cost for a month to come).
    The same position, month and cost type twice in one file is an error (which figure would count?).
    """
    table = read_table(content, file_name)
    index = columns(table.headers, mapping, fixed_cost_type=fixed_cost_type is not None)
    header = {name: table.headers[i] for name, i in index.items()}
    rows: list[ActualRow] = []
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    for line, cells in table.rows:
        row_errors = []

        def cell(name):
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        values = {}
        for name, reader in ((POSITION_NUMBER, lambda c: read_position(c, positions)), (MONTH, read_month),
                             (COST_TYPE, lambda c: read_cost_type(c, cost_types)), (AMOUNT, read_amount)):
            if name == COST_TYPE and name not in index:
                values[name] = fixed_cost_type
                continue
            try:
                values[name] = reader(cell(name))
            except CellError as exc:
                row_errors.append(f"Zeile {line}, Spalte {header[name]}: {exc}")
        if not row_errors and MONTH in values:
            problem = month_problem(values[MONTH], (terms or {}).get(values[POSITION_NUMBER][1]), last_month)
            if problem:
                row_errors.append(f"Zeile {line}, Spalte {header[MONTH]}: {problem}")
        if row_errors:
            errors.extend(row_errors)
        else:
            number, position_id = values[POSITION_NUMBER]
            row = ActualRow(line=line, position_number=number, position_id=position_id, month=values[MONTH],
                            cost_type=values[COST_TYPE], amount=values[AMOUNT])
            if row.key in seen:
                errors.append(f"Zeile {line}: Stelle {number}, Monat {row.month:%m.%Y} und diese Kostenart stehen "
                              f"schon in Zeile {seen[row.key]}; je Stelle, Monat und Kostenart bitte eine Zeile.")
            else:
                seen[row.key] = line
                rows.append(row)
        if len(errors) >= MAX_ERRORS:
            errors.append(f"… die Prüfung wurde nach {MAX_ERRORS} Fehlern abgebrochen.")
            break
    if not errors and not rows:
        errors.append("Die Datei enthält keine Zeilen mit Ist-Kosten (nur die Kopfzeile).")
    if errors:
        raise ActualsFileInvalid(errors)
    return rows
