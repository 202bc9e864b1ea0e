"""Reading IT.NRW's population table ("Bevölkerungsstand") – pure parsing, no Django, no database.

Source: Landesdatenbank NRW (GENESIS-Online of IT.NRW, https://www.landesdatenbank.nrw.de), statistic 12411
"Fortschreibung des Bevölkerungsstandes", tables 12411-01ir / 12411-01i ("Bevölkerungsstand: Gemeinden,
Stichtag") and 12411-02i (the same with Geschlecht). What the export looks like, as far as the public record
shows it (R packages ``wiesbaden`` read_header_genesis and GENESIStools ffcsv_clean; scripts reading GENESIS CSVs
with ``sep=";", skip=5, fileEncoding="latin1"`` and the last four lines dropped):

- a semicolon-separated text file, ISO-8859-1 / Windows-1252 (older exports) or UTF-8 (with or without BOM);
- title lines first (table code, title, "Fortschreibung des Bevölkerungsstandes", "Gemeinden (Gebietsstand …)"),
  then one to three header lines (e.g. ``;;Bevölkerungsstand`` / ``;;Anzahl`` / ``;;31.12.2021``, or with the
  columns ``Insgesamt;männlich;weiblich``);
- one row per regional unit: key ``;`` name ``;`` figures. The units are mixed: the Land ("05"), Regierungsbezirke
  ("051"), Kreise ("05382") and Gemeinden ("05382068"); kreisfreie Städte appear as Kreis and as Gemeinde;
- footnotes after a line of underscores ("__________", "(C)opyright Information und Technik Nordrhein-Westfalen").

The flat-file variant ("ffcsv": one value per line with columns such as ``Zeit``, ``1_Auspraegung_Code``,
``BEVSTD__Bevoelkerungsstand__Anzahl``) and an XLSX export of either layout (first worksheet) read the same way:
the parser looks for the columns, not for fixed line numbers.

What is read:
- **the key column**: a header naming it ("Gemeindeschlüssel", "AGS", "Regionalschlüssel", "Schlüssel",
  "Kennziffer", "Auspraegung_Code"), else the column whose cells are keys. A key may be printed as 05382068,
  5382068 (leading zero lost in a spreadsheet), "05 3 82 068" (spaced, as Wikipedia prints it) or as the
  12-digit Regionalschlüssel (ARS) 053820068068; all normalise to the 8-digit Gemeindeschlüssel (AGS).
  Keys of 1–5 digits are the Land, Regierungsbezirke and Kreise: aggregates, skipped.
- **the population column**: the header "insgesamt" if the table splits by sex, else "Bevölkerung",
  "Bevölkerungsstand" or "Einwohner", else the first column after the key and name that holds numbers.
  A figure is a whole number ("75.438", "75438", "75 438" or a number cell); anything else in a Gemeinde row
  (".", "x", "-", "12,5") is refused with the file's line number: the table never prints a Gemeinde's
  population as unknown, so such a cell means a wrong column or a broken file.
- **the date ("Stichtag")**: a date column (ffcsv ``Zeit``) or the first date in the title and header lines,
  as TT.MM.JJJJ or JJJJ-MM-TT; a date that does not exist (31.11.2021) is refused, never shifted.

Errors are ``PopulationFileError`` with one German sentence for the user.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

ENCODINGS = ("utf-8-sig", "cp1252")  # cp1252 is ISO-8859-1 plus the printable 0x80–0x9f (€, „ “) GENESIS writes
DATE_PATTERNS = (
    re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"),  # 31.12.2021
    re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),  # 2021-12-31
)
KEY_HEADERS = ("gemeindeschlüssel", "gemeindeschluessel", "ags", "regionalschlüssel", "regionalschluessel",
               "schlüssel", "schluessel", "kennziffer", "auspraegung_code", "ausprägung_code", "ars")
TOTAL_HEADERS = ("insgesamt",)
POPULATION_HEADERS = ("bevölkerung", "bevoelkerung", "bevstd", "einwohner")
NOT_STICHTAG = re.compile(r"(gebietsstand|(^|[^a-zäöüß])stand)\W*(vom|am)?\W*$")
TABLE_CODE = re.compile(r"\b(12411-\d{2}[a-z]{0,2}(?:-\d+)*)\b", re.IGNORECASE)


class PopulationFileError(ValueError):
    """The file cannot be read as a population table; the message is one German sentence for the user."""


@dataclass(frozen=True)
class PopulationRow:
    """One Gemeinde of the table: ``ags`` 8 digits, ``population`` persons, ``line`` the row in the file (1-based)."""

    ags: str
    name: str
    population: int
    line: int


@dataclass(frozen=True)
class PopulationTable:
    """A parsed population table: Gemeinde rows in file order, the Stichtag (None if the file names none),
    the table code if the title names one (e.g. "12411-01ir") and how many aggregate rows (Land, Kreise) were skipped."""

    rows: tuple[PopulationRow, ...]
    as_of: date | None
    table_code: str = ""
    aggregates_skipped: int = 0

    def source(self) -> str:
        """The text for ``Municipality.population_source``: who published which table. Only a file whose title
        names an IT.NRW table (12411-…) is credited to IT.NRW; any other file says that it names no source."""
        if not self.table_code:
            return "Datei ohne Quellenangabe (keine Tabelle von IT.NRW genannt)"
        return f"IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle {self.table_code}"


# --------------------------------------------------------------------------------------- keys, dates, numbers

def normalise_ags(value) -> str | None:
    """The 8-digit Gemeindeschlüssel (AGS) of a key as a table prints it, or None for an aggregate or no key.

    "05382068", "5382068", "05 3 82 068" and the Regionalschlüssel "053820068068" (or "53820068068") all give
    "05382068": the ARS is Land (2) + Regierungsbezirk (1) + Kreis (2) + Gemeindeverband (4) + Gemeinde (3), the AGS
    drops the Gemeindeverband. Keys of 1 to 5 digits (Land, Regierungsbezirk, Kreis) and texts give None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if not text.isdigit():
        return None
    # A key one digit short lost the leading zero of its Land code (01–16) in a spreadsheet: 5382068.
    if len(text) in (7, 11) and text[0] != "0":
        text = "0" + text
    if len(text) == 8:
        return text
    if len(text) == 12:
        return text[:5] + text[9:]
    return None


def is_aggregate_key(value) -> bool:
    """A Land, Regierungsbezirk or Kreis key (1–5 digits, e.g. "05", "053", "05382"): a sum, not a Gemeinde."""
    text = str(value or "").strip().replace(" ", "")
    return text.isdigit() and 1 <= len(text) <= 5


def parse_date(text: str) -> date | None:
    """The first date in ``text`` (TT.MM.JJJJ or JJJJ-MM-TT), None if there is none.

    Raises PopulationFileError for a date that does not exist ("31.11.2021"): it is never moved to another day.
    """
    for pattern in DATE_PATTERNS:
        match = pattern.search(text or "")
        if match:
            groups = match.groups()
            day, month, year = (groups if pattern is DATE_PATTERNS[0] else groups[::-1])
            try:
                return date(int(year), int(month), int(day))
            except ValueError:
                raise PopulationFileError(f"Das Datum „{match.group(0)}“ gibt es nicht.") from None
    return None


def parse_population(value) -> int | None:
    """A population figure as a whole number of persons, None if the cell is not one.

    German thousands separators ("75.438", "75 438") and number cells (75438, 75438.0) are accepted.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    return int(text) if text.isdigit() else None


# --------------------------------------------------------------------------------------- reading files

# What an export of the Landesdatenbank is called: CSV (also saved as .txt) or XLSX; a file without an ending is
# recognised by its content. Anything else (PDF, XLS, ODS, DOCX …) is refused by name before it is read.
FILE_ENDINGS = (".csv", ".txt", ".xlsx")
SIGNATURES = (  # content that is surely no table export, whatever the file is called
    (b"%PDF", "eine PDF-Datei"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "eine alte Excel-Datei (XLS)"),
    (b"{\\rtf", "eine RTF-Datei"),
)
WRONG_TYPE = ("{what} ist keine CSV- oder XLSX-Datei{kind}; bitte die Tabelle der Landesdatenbank als CSV oder XLSX "
              "exportieren.")


def read_population_file(path) -> PopulationTable:
    """Read a CSV or XLSX export from ``path``; raises PopulationFileError if it cannot be read.

    A file whose name ends in anything but .csv, .txt or .xlsx is refused without reading it (one sentence naming
    the ending); a name without an ending is judged by its content."""
    suffix = PurePath(str(path)).suffix.lower()
    if suffix and suffix not in FILE_ENDINGS:
        raise PopulationFileError(WRONG_TYPE.format(what=f"„{path}“", kind=f" (Endung {suffix})"))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        raise PopulationFileError(f"„{path}“ ist ein Verzeichnis, keine Datei.") from None
    except FileNotFoundError:
        raise PopulationFileError(f"Die Datei „{path}“ gibt es nicht.") from None
    except OSError as exc:
        raise PopulationFileError(f"Die Datei „{path}“ ist nicht lesbar ({exc.strerror}).") from None
    return parse_population_bytes(data)


def parse_population_bytes(data: bytes) -> PopulationTable:
    """Parse the bytes of a CSV (UTF-8 or ISO-8859-1) or XLSX export (recognised by its zip signature)."""
    if not data.strip():
        raise PopulationFileError("Die Datei ist leer.")
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            raise PopulationFileError(WRONG_TYPE.format(what="Die Datei", kind=f", sondern {kind}"))
    if data[:4] == b"PK\x03\x04":
        return parse_rows(_xlsx_rows(data))
    return parse_rows(_csv_rows(data))


def _csv_rows(data: bytes) -> list[list]:
    if b"\x00" in data:
        raise PopulationFileError(WRONG_TYPE.format(what="Die Datei", kind=" (sie enthält Binärdaten)"))
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")]


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # only XLSX imports pay for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise PopulationFileError("Die XLSX-Datei ist beschädigt oder keine Excel-Arbeitsmappe.") from None
    try:
        sheet = workbook.worksheets[0]
        return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


# --------------------------------------------------------------------------------------- the table

def _cell_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _cell_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))


def parse_rows(rows: list[list]) -> PopulationTable:
    """Find key, population and date in the rows of a CSV or worksheet; see the module docstring for the rules."""
    rows = [list(row) for row in rows]
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    key_column = _key_column(rows, width)
    first_data = next(index for index, row in enumerate(rows) if normalise_ags(row[key_column]) or
                      is_aggregate_key(row[key_column]) and _has_number(row, key_column))
    headers = [" ".join(_cell_text(rows[i][c]) for i in range(first_data)).lower() for c in range(width)]
    date_column = _date_column(rows[first_data:], key_column, width)
    population_column = _population_column(rows, headers, key_column, date_column, first_data, width)
    title = " ".join(_cell_text(cell) for row in rows[:first_data] for cell in row)
    code = TABLE_CODE.search(title)

    table_rows, seen, aggregates, dates = [], {}, 0, set()
    for index in range(first_data, len(rows)):
        row, line = rows[index], index + 1
        ags = normalise_ags(row[key_column])
        if ags is None:
            aggregates += is_aggregate_key(row[key_column])
            continue
        population = parse_population(row[population_column])
        if population is None:
            raise PopulationFileError(
                f"Zeile {line}: Die Einwohnerzahl „{_cell_text(row[population_column])}“ für den Gemeindeschlüssel "
                f"{ags} ist keine ganze Zahl.")
        if ags in seen:
            raise PopulationFileError(f"Zeile {line}: Der Gemeindeschlüssel {ags} steht schon in Zeile {seen[ags]}.")
        seen[ags] = line
        if date_column is not None:
            when = _cell_date(row[date_column])
            if when is not None:
                dates.add(when)
        name = _name(row, key_column, (key_column, population_column, date_column))
        table_rows.append(PopulationRow(ags=ags, name=name, population=population, line=line))
    if not table_rows:
        raise PopulationFileError("Die Datei enthält keine Zeile mit dem Gemeindeschlüssel einer Gemeinde "
                                  "(8 Stellen, z. B. 05382068).")
    if len(dates) > 1:
        listed = ", ".join(d.strftime("%d.%m.%Y") for d in sorted(dates))
        raise PopulationFileError(f"Die Datei enthält mehrere Stichtage ({listed}); bitte nur einen exportieren.")
    as_of = dates.pop() if dates else (_header_date(headers[population_column]) or _header_date(title))
    return PopulationTable(rows=tuple(table_rows), as_of=as_of, table_code=code.group(1) if code else "",
                           aggregates_skipped=aggregates)


def _name(row: list, key_column: int, taken: tuple) -> str:
    """The unit's name: the text right of the key (GENESIS prints key;name), else the first other text cell."""
    def is_name(column):
        cell = row[column]
        return (column not in taken and _cell_text(cell) and parse_population(cell) is None
                and not _looks_like_date(cell))

    columns = [key_column + 1] if key_column + 1 < len(row) else []
    columns += [c for c in range(len(row)) if c != key_column + 1]
    return next((_cell_text(row[c]) for c in columns if is_name(c)), "")


def _header_date(text: str) -> date | None:
    """The Stichtag in title or header text: the first date not introduced as "Gebietsstand" or "Stand"
    (the territorial status and the download date that GENESIS titles also print)."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 20):match.start()].lower()
            if NOT_STICHTAG.search(before):
                continue
            return parse_date(match.group(0))
    return None


def _looks_like_date(value) -> bool:
    if isinstance(value, (date, datetime)):
        return True
    return any(pattern.search(str(value)) for pattern in DATE_PATTERNS)


def _has_number(row: list, key_column: int) -> bool:
    return any(parse_population(cell) is not None for c, cell in enumerate(row) if c != key_column)


def _key_column(rows: list[list], width: int) -> int:
    """The header naming the key, else the column with the most Gemeinde keys beside a number."""
    for row in rows[:30]:
        for column, cell in enumerate(row):
            label = _cell_text(cell).lower().replace(" ", "_")
            if label and any(label == word or label.endswith(word) or label.startswith(word) for word in KEY_HEADERS):
                if any(normalise_ags(r[column]) for r in rows):
                    return column
    counts = [sum(1 for row in rows if normalise_ags(row[c]) and _has_number(row, c)) for c in range(width)]
    if not counts or max(counts) == 0:
        raise PopulationFileError("In der Datei fehlt die Spalte mit dem Gemeindeschlüssel (AGS, z. B. 05382068).")
    return counts.index(max(counts))


def _date_column(data_rows: list[list], key_column: int, width: int) -> int | None:
    """A column whose cells in the Gemeinde rows are dates (the ffcsv ``Zeit``, regionalstatistik's first column)."""
    gemeinde_rows = [row for row in data_rows if normalise_ags(row[key_column])]
    for column in range(width):
        if column != key_column and gemeinde_rows and all(_looks_like_date(row[column]) for row in gemeinde_rows):
            return column
    return None


def _population_column(rows, headers, key_column, date_column, first_data, width) -> int:
    candidates = [c for c in range(width) if c not in (key_column, date_column)]
    for words in (TOTAL_HEADERS, POPULATION_HEADERS):
        named = [c for c in candidates if any(word in headers[c] for word in words)
                 and not any(sex in headers[c] for sex in ("männlich", "weiblich", "maennlich"))]
        if named:
            return named[0]
    gemeinde_rows = [row for row in rows[first_data:] if normalise_ags(row[key_column])]
    for column in candidates:
        if column > key_column and any(parse_population(row[column]) is not None for row in gemeinde_rows):
            return column
    raise PopulationFileError("In der Datei fehlt die Spalte mit der Einwohnerzahl.")
