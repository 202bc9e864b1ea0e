"""Reading IT.NRW's population table (Landesdatenbank NRW 12411-01ir): CSV in both encodings, XLSX, the flat file.

The sample (tests/population/data, see its README) holds only figures public sources attribute to IT.NRW for
31.12.2021: the Land 17.924.591, Neuss 152.731, the Rhein-Sieg-Kreis 600.732, Bonn, Köln and Düsseldorf.
"""
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from population.itnrw import (
    PopulationFileError, normalise_ags, parse_date, parse_population, parse_population_bytes, read_population_file,
)

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "12411-01ir_2021-12-31.csv"
EXPECTED = [
    ("05111000", "Düsseldorf, Landeshauptstadt", 619477),
    ("05162024", "Neuss, Stadt", 152731),
    ("05314000", "Bonn, Bundesstadt", 331885),
    ("05315000", "Köln, Stadt", 1073096),
]


def sample_text() -> str:
    return SAMPLE.read_bytes().decode("cp1252")


def rows_of(table):
    return [(row.ags, row.name, row.population) for row in table.rows]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the three encodings of one table ------------------------------------------------------------------------


def test_it_reads_the_iso_8859_1_export_with_title_header_and_footnotes():
    table = read_population_file(SAMPLE)

    assert rows_of(table) == EXPECTED
    # The Stichtag of the header, not the Gebietsstand 01.01.2021 of the title.
    assert table.as_of == date(2021, 12, 31)
    assert table.table_code == "12411-01ir"
    assert table.source() == "IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle 12411-01ir"
    # Land/Kreis rows are sums: the Land, Düsseldorf, Bonn, Köln as kreisfreie Städte and the Rhein-Sieg-Kreis.
    assert table.aggregates_skipped == 5
    assert table.rows[-1].line == 15


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_it_reads_the_same_table_in_utf_8_with_or_without_bom(encoding):
    table = parse_population_bytes(sample_text().encode(encoding))

    assert rows_of(table) == EXPECTED
    assert table.as_of == date(2021, 12, 31)


def test_it_reads_the_xlsx_export_whose_keys_lost_their_leading_zero():
    rows = [line.split(";") for line in sample_text().splitlines()]
    cells = []
    for row in rows:
        key, *rest = row
        if key.isdigit():  # what Excel makes of "05382004": the number 5382004
            cells.append([int(key), rest[0], int(rest[1])])
        elif rest and rest[-1] == "31.12.2021":
            cells.append([None, None, datetime(2021, 12, 31)])
        else:
            cells.append(row)

    table = parse_population_bytes(xlsx_bytes(cells))

    assert rows_of(table) == EXPECTED
    assert table.as_of == date(2021, 12, 31)


def test_it_reads_the_flat_file_with_a_date_column_and_12_digit_regional_keys():
    flat = ("Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
            "1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl\n"
            "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2021;GEMEIN;Gemeinden;"
            "051620024024;Neuss, Stadt;152731\n"
            "12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2021;GEMEIN;Gemeinden;"
            "053150000000;Köln, Stadt;1073096\n")

    table = parse_population_bytes(flat.encode("utf-8"))

    assert rows_of(table) == [("05162024", "Neuss, Stadt", 152731), ("05315000", "Köln, Stadt", 1073096)]
    assert table.as_of == date(2021, 12, 31)


# --- keys, figures, dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("printed", ["05382068", "5382068", 5382068, 5382068.0, "05 3 82 068", "053820068068",
                                     "53820068068", " 05382068 "])
def test_every_way_the_key_of_troisdorf_is_printed_gives_its_ags(printed):
    assert normalise_ags(printed) == "05382068"


@pytest.mark.parametrize("printed", ["05", "053", "05382", "5382", "Rhein-Sieg-Kreis", "", None, "0538206",
                                     "05382068x", True])
def test_land_regierungsbezirk_kreis_and_texts_are_no_gemeinde(printed):
    assert normalise_ags(printed) is None


@pytest.mark.parametrize("printed, persons", [("23521", 23521), ("23.521", 23521), ("1.073.096", 1073096),
                                              ("23 521", 23521), (23521, 23521), (23521.0, 23521)])
def test_population_figures_are_whole_numbers_in_german_print(printed, persons):
    assert parse_population(printed) == persons


@pytest.mark.parametrize("printed", ["x", ".", "-", "23,5", "23.52", "", -5, 23521.5])
def test_anything_else_is_no_population_figure(printed):
    assert parse_population(printed) is None


def test_a_date_that_does_not_exist_is_refused_not_moved():
    assert parse_date("Stichtag 31.12.2021") == date(2021, 12, 31)
    assert parse_date("2021-12-31") == date(2021, 12, 31)
    with pytest.raises(PopulationFileError, match="Das Datum „31.11.2021“ gibt es nicht."):
        parse_date("31.11.2021")


# --- bad files ----------------------------------------------------------------------------------------------------


def replace_in_sample(old: str, new: str) -> bytes:
    text = sample_text()
    assert old in text
    return text.replace(old, new).encode("cp1252")


@pytest.mark.parametrize("data, message", [
    (b"", "Die Datei ist leer."),
    (b"\x00\x01\x02binary", "ist keine CSV- oder XLSX-Datei (sie enthält Binärdaten)"),
    (b"%PDF-1.7\n1 0 obj", "Die Datei ist keine CSV- oder XLSX-Datei, sondern eine PDF-Datei; bitte die Tabelle der "
                          "Landesdatenbank als CSV oder XLSX exportieren."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "sondern eine alte Excel-Datei (XLS)"),
    (b"PK\x03\x04 not really a workbook", "Die XLSX-Datei ist beschädigt"),
    ("Gemeinde;Einwohner\nAlfter;23521\nNeuss;152731\n".encode(), "fehlt die Spalte mit dem Gemeindeschlüssel"),
    (replace_in_sample("05162024;Neuss, Stadt;152731", "05162024;Neuss, Stadt;x"),
     "Zeile 11: Die Einwohnerzahl „x“ für den Gemeindeschlüssel 05162024 ist keine ganze Zahl."),
    (replace_in_sample("05162024;Neuss, Stadt;152731", "05162024;Neuss, Stadt;152,7"), "„152,7“"),
    (replace_in_sample(";;31.12.2021", ";;31.11.2021"), "Das Datum „31.11.2021“ gibt es nicht."),
    (replace_in_sample("05315000;Köln, Stadt", "05162024;Köln, Stadt"),
     "Zeile 15: Der Gemeindeschlüssel 05162024 steht schon in Zeile 11."),
])
def test_a_bad_file_is_refused_with_one_german_sentence(data, message):
    with pytest.raises(PopulationFileError) as error:
        parse_population_bytes(data)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_flat_file_with_two_stichtage_is_refused():
    flat = ("Zeit;1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl\n"
            "31.12.2020;05382004;Alfter;23467\n31.12.2021;05162024;Neuss;152731\n")
    with pytest.raises(PopulationFileError, match=r"mehrere Stichtage \(31.12.2020, 31.12.2021\)"):
        parse_population_bytes(flat.encode())


def test_a_missing_file_or_a_directory_is_named(tmp_path):
    with pytest.raises(PopulationFileError, match="gibt es nicht"):
        read_population_file(tmp_path / "fehlt.csv")
    with pytest.raises(PopulationFileError, match="ist ein Verzeichnis"):
        read_population_file(tmp_path)


def test_a_file_without_a_date_has_no_stichtag():
    table = parse_population_bytes(b"AGS;Gemeinde;Einwohner\n05382004;Alfter;23521\n")
    assert table.as_of is None
    assert rows_of(table) == [("05382004", "Alfter", 23521)]


@pytest.mark.parametrize("name", ["einwohner.pdf", "einwohner.xls", "einwohner.ODS", "README.md"])
def test_a_file_named_as_no_csv_or_xlsx_is_refused_by_its_ending_without_reading_it(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(SAMPLE.read_bytes())  # even a readable table: the name says it is something else
    with pytest.raises(PopulationFileError) as error:
        read_population_file(path)
    assert str(error.value) == (f"„{path}“ ist keine CSV- oder XLSX-Datei (Endung {path.suffix.lower()}); bitte die "
                                "Tabelle der Landesdatenbank als CSV oder XLSX exportieren.")


@pytest.mark.parametrize("name", ["einwohner.csv", "einwohner.TXT", "einwohner"])
def test_csv_txt_or_no_ending_is_read_by_its_content(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(SAMPLE.read_bytes())
    assert rows_of(read_population_file(path)) == EXPECTED
