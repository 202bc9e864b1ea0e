"""Reading one cell of the workbook the way a German finance officer fills it in (pure, no ORM).

Each reader takes what openpyxl gives for a cell (None, str, int, float, datetime, bool) and returns the
Python value, or raises CellError with a German message that says what is expected. Numbers typed as text
go through the one German number parser (kimportal.numbers); number cells are taken as they are stored
(openpyxl gives a float; its shortest decimal representation is the number the user sees).
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from kimportal.exports import FORMULA_TRIGGERS
from kimportal.numbers import NumberFormatError, parse_decimal

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
YES = {"ja", "j", "x", "wahr", "true", "1"}
NO = {"nein", "n", "falsch", "false", "0"}


class CellError(ValueError):
    """A cell that cannot be read; ``message`` is German and names what is expected."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value) -> str:
    """The text of a cell; a number cell gives its digits (4711, not 4711.0). An apostrophe before text that
    looks like a formula ('=1+1, typed by hand or written by older exports) is removed."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.strftime("%d.%m.%Y")
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and (text[1] in FORMULA_TRIGGERS or text[1] == "'"):
        text = text[1:]
    return text


def write_text(value: str) -> str:
    """The text as the export writes it, read back unchanged by read_text: a text that itself starts with an
    apostrophe before = + - @ (or before another apostrophe) gets one more, because read_text drops such an
    apostrophe (the formula guard of older exports). Formula-like text needs nothing here: the exporter marks
    its cell as text (quotePrefix, workbook.exporter.append_row)."""
    if value.startswith("'") and value[1:2] and (value[1] in FORMULA_TRIGGERS or value[1] == "'"):
        return "'" + value
    return value


def read_date(value) -> date | None:
    """A date cell, or text "31.12.2021" / "2021-12-31"; a date that does not exist is refused."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _GERMAN_DATE.fullmatch(text)
    parts = (int(match[3]), int(match[2]), int(match[1])) if match else None
    if not match:
        iso = _ISO_DATE.fullmatch(text)
        parts = (int(iso[1]), int(iso[2]), int(iso[3])) if iso else None
    if parts is None:
        raise CellError(f"„{text}“ ist kein Datum; bitte TT.MM.JJJJ eingeben, z. B. 31.12.2021.")
    try:
        return date(*parts)
    except ValueError:
        raise CellError(f"Den {text} gibt es nicht; bitte ein gültiges Datum eingeben (TT.MM.JJJJ).") from None


def read_decimal(value, *, places: int, currency: bool = False, example: str | None = None) -> Decimal | None:
    """A number cell or a German number typed as text, with at most ``places`` decimal places."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError("Bitte eine Zahl eingeben, nicht ja/nein.")
    if isinstance(value, (int, float)):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise CellError("Bitte eine Zahl eingeben.") from None
        if number == number.to_integral_value():
            number = Decimal(int(number))
        if -number.as_tuple().exponent > places:
            raise CellError(f"Bitte höchstens {places} Nachkommastellen eingeben ({_german(number)}).")
        return number
    try:
        return parse_decimal(str(value), places=places, currency=currency, example=example)
    except NumberFormatError as exc:
        raise CellError(exc.message) from None


def read_int(value) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError("Bitte eine ganze Zahl eingeben.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(".", "") if isinstance(value, str) and re.fullmatch(
        r"\d{1,3}(\.\d{3})+", str(value).strip()) else str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError(f"„{value}“ ist keine ganze Zahl.")


def read_bool(value) -> bool | None:
    """"ja" / "nein" (also a logical cell); None for an empty cell (the field's default then applies)."""
    if isinstance(value, bool):
        return value
    if is_empty(value):
        return None
    text = read_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(f"„{read_text(value)}“: bitte „ja“ oder „nein“ eingeben.")


def read_choice(value, choices: list[tuple[str, str]]) -> str:
    """One of ``choices`` (value, German label), by its label or its stored value, case-insensitive."""
    text = read_text(value)
    if not text:
        return ""
    wanted = text.casefold()
    for stored, label in choices:
        if wanted in (str(label).casefold(), str(stored).casefold()):
            return stored
    allowed = ", ".join(f"„{label}“" for _, label in choices)
    raise CellError(f"„{text}“ ist keine der Angaben {allowed}.")


def _german(number: Decimal) -> str:
    return str(number).replace(".", ",")
