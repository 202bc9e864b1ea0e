"""Numbers typed by people, read the German way: one parser for every amount, FTE and days field.

Form fields use it through ``kimportal.forms.GermanDecimalField``; a management command that takes a
number turns the error into one line (``raise CommandError(str(exc))``); ``kimportal/static/kimportal/
numbers.js`` is the same rule for live sums in the browser (tests/test_number_parsing.py keeps them equal).
No Django import.

Accepted (``places``: the decimal places the field keeps – 2 for money and days, 3 for FTE):

- digits with an optional decimal comma: ``1141046,80`` · ``1141046`` · ``0,375`` · ``,5``;
- the same with thousands groups of exactly three digits, separated by dots or by spaces (also no-break
  spaces), one kind per number: ``1.141.046,80`` · ``1 141 046,80`` · ``1.141.046``;
- a leading minus (``-5,5``, also the typeset ``−5,5``); whether a negative value is allowed is the field's
  rule (its minimum), not the parser's;
- for money (``currency=True``) a trailing ``€``: ``1.234,56 €``;
- a single dot as the decimal point where it cannot be a thousands separator: followed by other than three
  digits (``0.5`` · ``1.25`` · ``1141046.80``), or after an integer part that cannot start a thousands
  group (``0.375`` – a number whose integer part is 0 has no thousands group – or ``1234.5``).

The one ambiguous form is a single dot with exactly three digits after one to three leading digits
(``1.375``): it is a thousands group (1375) where the field keeps fewer than three places, since a third
decimal place cannot be meant there (money has cents); where the field keeps three or more (FTE) it is
refused, and the message shows both readings (``1,375`` or ``1375``). A comma is always the decimal comma.
So a dot never makes a typed number 1000 times too large or too small.

Refused, with a message that shows the expected form: several dots with a dot decimal (``1.141.046.80``),
commas as thousands separators (``1,141,046.80``, ``1,141,046``), groups of other than three digits
(``1.14.046``), mixed separators (``1.141 046``), and more decimal places than the field keeps
(``1.234,567`` as money, ``0.375`` as money).
"""
from __future__ import annotations

import re
from decimal import Decimal

from kimportal.money import format_number

TRIM = " \t\r\n\u00a0\u202f"  # stripped at both ends (the same set in numbers.js)
MINUS_SIGNS = "-\u2212"
_DIGITS = re.compile(r"[0-9]+")
_LEAD_GROUP = re.compile(r"[1-9][0-9]{0,2}")  # the first group of a number written with thousands separators
_GERMAN = re.compile(
    r"(?P<int>[0-9]+|[1-9][0-9]{0,2}(?P<sep>[. \u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*)?(?:,(?P<frac>[0-9]+))?")
_NUMBER_LIKE = re.compile(r"[0-9., \u00a0\u202f]*[0-9][0-9., \u00a0\u202f]*")
_SEPARATOR = re.compile(r"[., \u00a0\u202f]")


class NumberFormatError(ValueError):
    """A typed number that is refused; ``str(error)`` is the German message for the user, in one line.

    ``code`` says why: ``invalid`` (no number at all: "abc", "2a", ""), ``malformed`` (digits and
    separators that make no German number: 1.141.046.80), ``ambiguous`` (1.375 where three decimal places
    are allowed), ``places`` (more decimal places than the field keeps).
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def parse_decimal(text: str, *, places: int | None = 2, currency: bool = False,
                  example: str | None = None, maximum: Decimal | None = None) -> Decimal:
    """The Decimal written in ``text`` (exactly as typed: "1,5" gives Decimal("1.5"), not rounded).

    ``places``: the decimal places the field keeps (None: any); it decides the ambiguous "1.375" (see the
    module docstring) and refuses longer fractions. ``currency``: a trailing "€" is allowed and the messages
    speak of cents. ``example``: the form shown where a typed value suggests none (default from ``places``,
    e.g. "1.234,56"). ``maximum``: the field's largest value; an ambiguous "1.000" whose thousands reading
    exceeds it is refused with the decimal form alone (an FTE field never suggests 1000).
    Raises NumberFormatError (a ValueError) with a German message.
    """
    example = example or _default_example(places)
    body = str(text).strip(TRIM)
    if currency and body.endswith("€"):
        body = body[:-1].rstrip(TRIM)
    sign = ""
    if body[:1] and body[0] in MINUS_SIGNS:
        sign, body = "-", body[1:]
    if not _NUMBER_LIKE.fullmatch(body):
        raise NumberFormatError(f"Bitte eine Zahl eingeben, z. B. {example}.", "invalid")

    whole, frac = _read(body, places=places, sign=sign, currency=currency, example=example, maximum=maximum)
    if places is not None and len(frac) > places:
        wanted = f"höchstens {places} Nachkommastellen" if places else "eine ganze Zahl"
        raise NumberFormatError(f"Bitte {wanted} eingeben, z. B. {example}{_hint(example, currency)}.", "places")
    value = Decimal(f"{whole}.{frac}" if frac else whole)
    return -value if sign and value else value


def _read(body: str, *, places: int | None, sign: str, currency: bool, example: str,
          maximum: Decimal | None = None) -> tuple[str, str]:
    """The integer digits and the decimal digits of ``body`` (no sign, no currency), or NumberFormatError."""
    if "," not in body and body.count(".") == 1:
        whole, frac = body.split(".")
        if (not whole or _DIGITS.fullmatch(whole)) and _DIGITS.fullmatch(frac):
            if len(frac) == 3 and _LEAD_GROUP.fullmatch(whole):
                if places is None or places >= 3:
                    if maximum is not None and Decimal(whole + frac) > maximum:
                        raise NumberFormatError(
                            f"„{sign}{body}“ ist mehrdeutig: Bitte als {sign}{whole},{frac} (Komma vor den "
                            f"Nachkommastellen) eingeben.", "ambiguous")
                    raise NumberFormatError(
                        f"„{sign}{body}“ ist mehrdeutig: Bitte als {sign}{whole},{frac} (Komma vor den "
                        f"Nachkommastellen) oder als {sign}{whole}{frac} (ohne Punkt) eingeben.", "ambiguous")
                return whole + frac, ""
            return whole or "0", frac
    match = _GERMAN.fullmatch(body)
    if match and (match["int"] or match["frac"]):
        return _SEPARATOR.sub("", match["int"] or "0"), match["frac"] or ""
    suggestion = _suggestion(body, places)
    if suggestion:
        raise NumberFormatError(f"Bitte als {sign}{suggestion} eingeben{_hint(suggestion, currency)}.",
                                "malformed")
    raise NumberFormatError(f"Bitte eine Zahl wie {example} eingeben{_hint(example, currency)}.", "malformed")


def _suggestion(body: str, places: int | None) -> str | None:
    """The German form of a number written with the wrong separators (1,141,046.80 → 1.141.046,80), or None
    where the digits allow no single reading (1.14.046)."""
    chunks, separators = _SEPARATOR.split(body), _SEPARATOR.findall(body)
    if not separators or not all(_DIGITS.fullmatch(chunk) for chunk in chunks):
        return None
    lead, *groups = chunks
    if len(set(separators)) == 1 and _LEAD_GROUP.fullmatch(lead) and all(len(g) == 3 for g in groups):
        return format_number(Decimal("".join(chunks)))  # 1,141,046 → 1.141.046
    *head, last = chunks
    head_is_whole = len(head) == 1 or (_LEAD_GROUP.fullmatch(head[0]) and all(len(g) == 3 for g in head[1:]))
    if head_is_whole and 1 <= len(last) <= (3 if places is None else places):
        return f"{format_number(Decimal(''.join(head)))},{last}"
    return None


def _default_example(places: int | None) -> str:
    places = 2 if places is None else places
    return "1.234" + (f",{'567890'[:places]}" if places else "")


def _hint(example: str, currency: bool) -> str:
    """The words after an example saying which mark is which, for the marks it shows: " (Punkt für Tausender,
    Komma für Cent)"."""
    marks = []
    if "." in example:
        marks.append("Punkt für Tausender")
    if "," in example:
        marks.append("Komma für Cent" if currency else "Komma vor den Nachkommastellen")
    return f" ({', '.join(marks)})" if marks else ""
