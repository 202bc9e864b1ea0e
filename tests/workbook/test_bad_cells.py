"""Every kind of wrong cell stops the whole import with a German message naming sheet, row and column."""
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from kimportal.models import County
from staffing.models import Position
from workbook.importer import import_workbook
from workbook.reader import WorkbookInvalid

from .helpers import exported, row_where, save, set_cell


@pytest.fixture
def book(demo):
    return exported()


def problems(book, tmp_path, **options):
    options.setdefault("slug", "kopie")
    options.setdefault("name", "Kopie-Kreis")
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(book, tmp_path), **options)
    assert not County.objects.filter(slug="kopie").exists()  # nothing saved
    return [str(p) for p in caught.value.problems]


def test_a_date_that_does_not_exist(book, tmp_path):
    set_cell(book, "Stellen", 2, "Beginn", "31.11.2021")
    assert problems(book, tmp_path) == [
        "Tabelle „Stellen“, Zeile 2, Spalte „Beginn“: Den 31.11.2021 gibt es nicht; bitte ein gültiges Datum "
        "eingeben (TT.MM.JJJJ)."]


def test_an_fte_above_one(book, tmp_path):
    set_cell(book, "Stellen", 2, "Stellenanteil (VZÄ)", "1,5")
    found = problems(book, tmp_path)
    assert found[0] == ("Tabelle „Stellen“, Zeile 2, Spalte „Stellenanteil (VZÄ)“: Der Stellenanteil muss größer "
                        "als 0 und höchstens 1 VZÄ sein.")


def test_an_unknown_module_code(book, tmp_path):
    set_cell(book, "Stellen", 2, "Baustein", "kim-b9")
    assert problems(book, tmp_path)[0] == (
        "Tabelle „Stellen“, Zeile 2, Spalte „Baustein“: Unbekanntes Kürzel „kim-b9“: Baustein nicht gefunden.")


def test_a_municipality_missing_from_the_allocation(book, tmp_path):
    ws = book["Tage je Kommune"]
    ws.delete_rows(row_where(ws, "Kommune", "Much"))
    assert problems(book, tmp_path) == [
        "Tabelle „CM-Einsatzplanung“, Zeile 2, Spalte „Kürzel“: Die Kommune „Much“ fehlt in der Tabelle „Tage je "
        "Kommune“ für „cm-kommunen-2021“: bitte ihre Tage oder „kein Bedarf“ eintragen."]


def test_a_duplicate_key(book, tmp_path):
    ws = book["Kommunen"]
    ws.append([cell.value for cell in ws[2]])
    assert problems(book, tmp_path) == [
        f"Tabelle „Kommunen“, Zeile {ws.max_row}, Spalte „Name“: Doppelter Schlüssel: dieselbe Angabe steht schon "
        "in Zeile 2."]


def test_a_reference_to_a_missing_row(book, tmp_path):
    set_cell(book, "Annahmen Stellen", 2, "Stelle", "S99999")
    assert problems(book, tmp_path) == [
        "Tabelle „Annahmen Stellen“, Zeile 2, Spalte „Stelle“: Stelle „S99999“ nicht gefunden: kein Schlüssel in "
        "der Tabelle „Stellen“."]


def test_every_problem_is_collected(book, tmp_path):
    set_cell(book, "Stellen", 2, "Stellenanteil (VZÄ)", "1,5")
    set_cell(book, "Kommunen", 3, "Einwohnerzahl", "viele")
    found = problems(book, tmp_path)
    # Rows naming the municipality of row 3 (Bad Honnef) are no causes of their own: its problem names them.
    assert found[0] == (
        "Tabelle „Kommunen“, Zeile 3, Spalte „Einwohnerzahl“: „viele“ ist keine ganze Zahl. Deshalb übersprungen "
        "(sie verweisen auf diese Zeile): Tabelle „Umlagegrundlagen“, Zeilen 3 und 22; Tabelle „Tage je Kommune“, "
        "Zeile 3; Tabelle „Kooperationsvereinbarungen“, Zeile 3; Tabelle „Kostenaufteilung“, Zeilen 6, 7, 8 und 9.")
    assert len(found) == 2 and "Stellenanteil (VZÄ)" in found[1]


def test_a_newer_format_is_refused_clearly(book, tmp_path):
    book["Info"]["B1"] = "kimportal-Arbeitsmappe 2"
    assert problems(book, tmp_path) == [
        "Tabelle „Info“, Zeile 1: Die Mappe hat das Format „kimportal-Arbeitsmappe 2“; diese kimportal-Version liest "
        "bis Version 1. Bitte kimportal aktualisieren."]


def test_a_failed_reimport_leaves_the_county_unchanged(demo, tmp_path):
    book = exported()
    set_cell(book, "Kommunen", 2, "Einwohnerzahl", 1)
    set_cell(book, "Stellen", 2, "Beginn", "31.11.2021")
    before = sorted(Position.objects.values_list("pk", "fte", "start_on"))
    with pytest.raises(CommandError, match="Den 31.11.2021 gibt es nicht"):
        call_command("import_county", str(save(book, tmp_path)), stdout=StringIO())
    assert sorted(Position.objects.values_list("pk", "fte", "start_on")) == before
    assert County.objects.get(slug="rhein-sieg-kreis").municipalities.filter(population=1).count() == 0


def test_the_command_prints_one_line_and_exits_non_zero(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"keine Arbeitsmappe")
    done = subprocess.run([sys.executable, "manage.py", "import_county", str(path)], cwd=settings.BASE_DIR,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "CommandError: Die Datei ist keine XLSX-Arbeitsmappe, sondern eine Textdatei (etwa CSV); bitte eine mit "
        "kimportal erstellte Arbeitsmappe (.xlsx) hochladen. (nichts gespeichert)"]


def test_pass_throughs_above_the_decided_amount(book, tmp_path):
    ws = book["Weiterleitungen"]
    key = ws.cell(2, 1).value
    set_cell(book, "Weiterleitungen", 2, "Betrag", "5.000")
    decisions = book["Zuwendungsbescheide"]
    row = row_where(decisions, "Schlüssel", key)
    set_cell(book, "Zuwendungsbescheide", row, "Bewilligter Betrag", 1000)
    set_cell(book, "Zuwendungsbescheide", row, "Weiterleitung an Dritte zugelassen", "ja")
    found = problems(book, tmp_path)
    assert f"Tabelle „Zuwendungsbescheide“, Zeile {row}: Weiterleitungen: Die Weiterleitungen (5.000\u00a0€) " \
           "übersteigen den bewilligten Betrag (1.000\u00a0€)." in found


def test_one_countys_workbook_is_never_read_into_another_existing_county(book, tmp_path):
    """A fresh user's trial: the Rhein-Sieg workbook with --slug rhein-kreis-neuss reported "146 neu" and would have
    put Alfter and 18 other towns into the Rhein-Kreis Neuss."""
    neuss_before = County.objects.get(slug="rhein-kreis-neuss").municipalities.count()
    assert problems(exported(), tmp_path, slug="rhein-kreis-neuss", name="Rhein-Kreis Neuss") == [
        "Tabelle „Kreis“, Zeile 2, Spalte „Kürzel“: Die Mappe stammt von „rhein-sieg-kreis“ und kann nicht in "
        "Rhein-Kreis Neuss (rhein-kreis-neuss) eingelesen werden. Für eine Kopie bitte ein neues, noch nicht "
        "vergebenes Kürzel wählen; eine frühere Kopie aktualisiert --into-existing."]
    assert County.objects.get(slug="rhein-kreis-neuss").municipalities.count() == neuss_before
