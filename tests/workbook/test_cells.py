"""How one cell is read (workbook.cells): German dates, numbers, yes/no, and the export's formula guard."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from workbook.cells import CellError, read_bool, read_date, read_decimal, read_int, read_text, write_text


def test_dates_are_read_from_date_cells_and_german_text():
    assert read_date(datetime(2021, 12, 31)) == date(2021, 12, 31)
    assert read_date("31.12.2021") == read_date("2021-12-31") == date(2021, 12, 31)
    assert read_date(None) is None


def test_a_date_that_does_not_exist_is_refused():
    with pytest.raises(CellError, match="Den 31.11.2021 gibt es nicht"):
        read_date("31.11.2021")
    with pytest.raises(CellError, match="„Ende 2021“ ist kein Datum"):
        read_date("Ende 2021")


def test_numbers_are_read_the_german_way_and_number_cells_as_stored():
    assert read_decimal("1.234,56", places=2, currency=True) == Decimal("1234.56")
    assert read_decimal("0,75", places=3) == Decimal("0.75")
    assert read_decimal(0.375, places=3) == Decimal("0.375")
    assert read_decimal(121140.0, places=2) == Decimal("121140")
    with pytest.raises(CellError, match="mehrdeutig"):
        read_decimal("1.375", places=3)
    with pytest.raises(CellError, match="höchstens 2 Nachkommastellen"):
        read_decimal(12.345, places=2)


def test_whole_numbers_yes_no_and_text():
    assert read_int(2022.0) == read_int("2022") == 2022
    assert read_int("23.521") == 23521
    assert (read_bool("ja"), read_bool("Nein"), read_bool(True), read_bool(None)) == (True, False, True, None)
    with pytest.raises(CellError, match="„vielleicht“: bitte „ja“ oder „nein“ eingeben."):
        read_bool("vielleicht")
    assert read_text(4711.0) == "4711"


@pytest.mark.parametrize("text", ["=1+1", "+49 2241 130", "-5", "@SUM(A1)", "'=x", "Alfter", "'s-Hertogenbosch"])
def test_formula_looking_text_survives_the_round_trip(text):
    # The exporter marks formula-like cells as text (quotePrefix, test_users_and_formulas); the text is unchanged.
    assert read_text(write_text(text)) == text
