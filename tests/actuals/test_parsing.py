"""Reading actual-cost files (actuals.parsing): pure, no database."""
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from actuals.parsing import ActualsFileInvalid, read_actuals, suggest_columns

POSITIONS = {"ki-b1-01": 1, "ki-b1-02": 2, "ki-b3-01": 17, "doppelt": None}
COST_TYPES = {"personalkosten": "personnel", "personnel": "personnel", "pk": "personnel",
              "sachkosten": "material", "material": "material", "sk": "material"}
HEADER = "Stellennummer;Monat;Kostenart;Betrag"


def read(text: str, name="ist.csv", encoding="utf-8", **kwargs):
    return read_actuals(text.encode(encoding), name, positions=POSITIONS, cost_types=COST_TYPES, **kwargs)


def errors_of(text: str, **kwargs) -> list[str]:
    with pytest.raises(ActualsFileInvalid) as exc:
        read(text, **kwargs)
    return exc.value.errors


def test_it_reads_the_documented_example_with_decimal_comma_and_thousands_dot():
    rows = read(f"{HEADER}\nKI-B1-01;01.2022;Personalkosten;5.123,45\n")
    assert [(r.line, r.position_id, r.month, r.cost_type, r.amount) for r in rows] == [
        (2, 1, date(2022, 1, 1), "personnel", Decimal("5123.45"))]


def test_a_bom_from_excels_csv_utf8_is_not_part_of_the_first_header():
    rows = read("\ufeff" + f"{HEADER}\r\nki-b1-02;1.2022;PK;8878,33\r\n")
    assert rows[0].position_id == 2 and rows[0].amount == Decimal("8878.33") and rows[0].month == date(2022, 1, 1)


def test_excels_plain_csv_in_windows_1252_is_read_too():
    rows = read("Stellennummer;Monat;Kostenart;Betrag;Bemerkung\nKI-B1-01;02.2022;Sachkosten;808,33;Büro\n",
                encoding="cp1252")
    assert rows[0].cost_type == "material" and rows[0].amount == Decimal("808.33")


@pytest.mark.parametrize("month, expected", [("01.2022", date(2022, 1, 1)), ("1.2022", date(2022, 1, 1)),
                                             ("12/2022", date(2022, 12, 1)), ("31.03.2022", date(2022, 3, 1)),
                                             ("2022-06", date(2022, 6, 1))])
def test_documented_month_forms(month, expected):
    assert read(f"{HEADER}\nKI-B1-01;{month};PK;1\n")[0].month == expected


def test_columns_may_come_in_any_order_with_other_columns_between():
    rows = read("Betrag;Kostenart;Name;MONAT;stellennummer\n1.000;SK;x;03.2022;KI-B3-01\n")
    assert (rows[0].position_id, rows[0].amount, rows[0].month) == (17, Decimal("1000"), date(2022, 3, 1))


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_a_date_cell_and_number_cells():
    content = xlsx([["Stellennummer", "Monat", "Kostenart", "Betrag"],
                    ["KI-B1-01", datetime(2022, 4, 1), "Personalkosten", 9038.14],
                    ["KI-B1-02", "05.2022", "Personalkosten", "9.038,14"],
                    [None, None, None, None],
                    ["KI-B3-01", datetime(2022, 5, 1), "Sachkosten", 0.1 + 0.2]])
    rows = read_actuals(content, "ist.xlsx", positions=POSITIONS, cost_types=COST_TYPES)
    assert [(r.line, r.month, r.amount) for r in rows] == [(2, date(2022, 4, 1), Decimal("9038.14")),
                                                          (3, date(2022, 5, 1), Decimal("9038.14")),
                                                          (5, date(2022, 5, 1), Decimal("0.30"))]


def test_xlsx_errors_name_excel_row_numbers():
    content = xlsx([["Stellennummer", "Monat", "Kostenart", "Betrag"], ["KI-B1-01", "13.2022", "PK", 1.005]])
    with pytest.raises(ActualsFileInvalid) as exc:
        read_actuals(content, "ist.xlsx", positions=POSITIONS, cost_types=COST_TYPES)
    assert exc.value.errors == ["Zeile 2, Spalte Monat: „13.2022“ ist kein Monat (MM.JJJJ).",
                                "Zeile 2, Spalte Betrag: „1,005“ hat mehr als zwei Nachkommastellen."]


def test_every_bad_row_is_named_with_line_and_column():
    errors = errors_of(f"{HEADER}\n"
                       "KI-B1-01;13.2022;Personalkosten;5.123,45\n"   # 2: month 13
                       "KI-B9-99;01.2022;Personalkosten;1\n"          # 3: unknown Stellennummer
                       "KI-B1-01;02.2022;Personalkosten;abc\n"        # 4: no amount
                       "KI-B1-01;03.2022;Reisekosten;1\n"             # 5: unknown cost type
                       "KI-B1-01;04.2022;PK;-12,50\n"                 # 6: negative
                       ";05.2022;PK;\n"                               # 7: two empty cells
                       "KI-B1-01;06.2022;PK;1,234\n"                  # 8: three decimal places
                       "doppelt;06.2022;PK;1\n"                       # 9: number of two positions
                       "KI-B1-01;1999-01;PK;1\n"                      # 10: year out of range
                       "KI-B1-01;30.02.2022;PK;1\n")                  # 11: no such day
    assert errors == [
        "Zeile 2, Spalte Monat: „13.2022“ ist kein Monat (MM.JJJJ).",
        "Zeile 3, Spalte Stellennummer: „KI-B9-99“ ist keine Stellennummer einer Stelle des Kreises.",
        "Zeile 4, Spalte Betrag: „abc“ ist kein Betrag: Bitte eine Zahl eingeben, z. B. 5.123,45.",
        "Zeile 5, Spalte Kostenart: „Reisekosten“ ist keine Kostenart (erlaubt: Personalkosten, Sachkosten).",
        "Zeile 6, Spalte Betrag: „-12,50“ ist negativ; Ist-Kosten sind nie negativ (eine Korrektur bitte als "
        "neuen Monatsbetrag einlesen).",
        "Zeile 7, Spalte Stellennummer: Die Stellennummer fehlt.",
        "Zeile 7, Spalte Betrag: Der Betrag fehlt (z. B. 5.123,45).",
        "Zeile 8, Spalte Betrag: „1,234“ ist kein Betrag: Bitte höchstens 2 Nachkommastellen eingeben, z. B. "
        "5.123,45 (Punkt für Tausender, Komma für Cent).",
        "Zeile 9, Spalte Stellennummer: „doppelt“ ist mehreren Stellen des Kreises zugeordnet; bitte die "
        "Stellennummern eindeutig machen.",
        "Zeile 10, Spalte Monat: „1999-01“ liegt nicht zwischen 2000 und 2100.",
        "Zeile 11, Spalte Monat: „30.02.2022“ ist kein Datum (TT.MM.JJJJ) und kein Monat (MM.JJJJ).",
    ]


def test_the_same_position_month_and_cost_type_twice_in_one_file_is_refused():
    errors = errors_of(f"{HEADER}\nKI-B1-01;01.2022;PK;1\nKI-B1-01;1.2022;Personalkosten;2\n")
    assert errors == ["Zeile 3: Stelle KI-B1-01, Monat 01.2022 und diese Kostenart stehen schon in Zeile 2; je "
                      "Stelle, Monat und Kostenart bitte eine Zeile."]


@pytest.mark.parametrize("text, error", [
    ("", "Die Datei ist leer: Es fehlt die Kopfzeile Stellennummer;Monat;Kostenart;Betrag."),
    (f"{HEADER}\n", "Die Datei enthält keine Zeilen mit Ist-Kosten (nur die Kopfzeile)."),
    ("Stellennummer,Monat,Kostenart,Betrag\n", "Zeile 1: Die Spalten sind nicht durch Semikolon getrennt (erwartet: "
     "Stellennummer;Monat;Kostenart;Betrag). Bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."),
    ("Stelle;Monat;Kostenart;Ist\nKI-B1-01;01.2022;PK;1\n", "Zeile 1: Es fehlen die Spalten Stellennummer und Betrag "
     "(Spalten der Datei: „Stelle“, „Monat“, „Kostenart“, „Ist“). Andere Spaltennamen bitte zuordnen."),
])
def test_a_file_that_is_no_actual_cost_list_is_refused_with_one_clear_line(text, error):
    assert errors_of(text) == [error]


def test_other_layouts_are_read_with_a_column_mapping_and_a_fixed_cost_type():
    text = "Stelle;Buchungsmonat;Ist-Betrag\nKI-B1-01;01.2022;4.439,17\n"
    rows = read(text, mapping={"Stelle": "position_number", "Buchungsmonat": "month", "Ist-Betrag": "amount"},
                fixed_cost_type="personnel")
    assert [(r.position_id, r.month, r.cost_type, r.amount) for r in rows] == [
        (1, date(2022, 1, 1), "personnel", Decimal("4439.17"))]


def test_a_file_of_another_kind_is_refused():
    with pytest.raises(ActualsFileInvalid) as exc:
        read_actuals(b"%PDF-1.7", "ist.pdf", positions=POSITIONS, cost_types=COST_TYPES)
    assert exc.value.errors == ["Bitte eine CSV-Datei (Trennzeichen Semikolon) oder eine XLSX-Datei einlesen."]
    with pytest.raises(ActualsFileInvalid) as exc:
        read_actuals(b"PK\x03\x04kaputt", "ist.xlsx", positions=POSITIONS, cost_types=COST_TYPES)
    assert exc.value.errors[0].startswith("Die Datei ist keine lesbare XLSX-Datei")


# KI-B1-01 from 15.09.2021, open-ended; KI-B1-02 from 01.09.2021 to 31.03.2022.
TERMS = {1: (date(2021, 9, 15), None), 2: (date(2021, 9, 1), date(2022, 3, 31))}
DECEMBER_2026 = date(2026, 12, 1)


def test_months_outside_the_positions_term_or_in_the_future_are_refused():
    errors = errors_of(f"{HEADER}\n"
                       "KI-B1-01;08.2021;PK;1\n"      # 2: before the start
                       "KI-B1-01;09.2021;PK;1\n"      # 3: the month it starts in: fine
                       "KI-B1-02;03.2022;PK;1\n"      # 4: the month it ends in: fine
                       "KI-B1-02;04.2022;PK;1\n"      # 5: after the end
                       "KI-B1-01;12.2026;PK;1\n"      # 6: the current month: fine
                       "KI-B1-01;07.2031;PK;1\n",     # 7: to come
                       terms=TERMS, last_month=DECEMBER_2026)
    assert errors == [
        "Zeile 2, Spalte Monat: „08.2021“ liegt außerhalb der Laufzeit der Stelle (15.09.2021–…).",
        "Zeile 5, Spalte Monat: „04.2022“ liegt außerhalb der Laufzeit der Stelle (01.09.2021–31.03.2022).",
        "Zeile 7, Spalte Monat: „07.2031“ liegt in der Zukunft (Ist-Kosten gibt es bis 12.2026).",
    ]


def test_the_month_column_is_named_as_the_file_names_it():
    errors = errors_of("Stelle;Buchungsmonat;Ist\nKI-B1-02;05.2022;1\n", terms=TERMS,
                       mapping={"Stelle": "position_number", "Buchungsmonat": "month", "Ist": "amount"},
                       fixed_cost_type="personnel")
    assert errors == ["Zeile 2, Spalte Buchungsmonat: „05.2022“ liegt außerhalb der Laufzeit der Stelle "
                      "(01.09.2021–31.03.2022)."]


@pytest.mark.parametrize("headers, expected", [
    (["Stelle", "Buchungsmonat", "Ist-Betrag", "Kostenstelle"], {"position_number": 0, "month": 1, "amount": 2}),
    (["Personalnummer", "Periode", "Kostenart", "Betrag (EUR)"],
     {"position_number": 0, "month": 1, "cost_type": 2, "amount": 3}),
    (["Kostenstelle", "Name", ""], {}),
    (["Betrag", "Ist-Betrag"], {"amount": 0}),
])
def test_similar_headers_are_suggested_for_the_mapping_and_kostenstelle_is_not(headers, expected):
    assert suggest_columns(headers) == expected
