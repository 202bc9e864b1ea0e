"""A fresh user's findings on the workbook (issue 11 §2): copies, German preview and messages, the template's
example rows and dropdowns, empty cells, and files that are no workbook."""
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from kimportal.models import County
from workbook.exporter import EXAMPLE_ROW, example_row, template
from workbook.importer import import_workbook, show
from workbook.reader import WorkbookInvalid
from workbook.spec import BOOL, CHOICE, EXAMPLE_MARKER, active_sheets

from .helpers import RSK, column, exported, row_where, save, set_cell


def test_a_copy_leaves_the_county_key_of_another_county_empty_and_says_so(demo, tmp_path):
    County.objects.filter(slug=RSK).update(key="05382")
    result = import_workbook(save(exported(), tmp_path), slug="kopie", name="Kopie", dry_run=True)
    assert result.notes[:2] == [
        "Kreisschlüssel nicht übernommen: 05382 ist bereits Rhein-Sieg-Kreis zugeordnet.",
        "Amtliche Gemeindeschlüssel nicht übernommen: bereits Rhein-Sieg-Kreis zugeordnet (19 Gemeinden)."]


def test_a_copy_without_a_new_name_gets_a_german_reason_naming_sheet_row_and_column(demo, tmp_path):
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(exported(), tmp_path), slug="kopie")
    assert str(caught.value.problems[0]) == (
        "Tabelle „Kreis“, Zeile 2, Spalte „Name“: „Rhein-Sieg-Kreis“ ist schon vergeben (Kreis „Rhein-Sieg-Kreis“, "
        "Kürzel rhein-sieg-kreis); bitte einen anderen Wert eintragen. Für eine Kopie unter neuem Kürzel bitte auch "
        "einen neuen Namen angeben (--name bzw. Feld „Name (neu)“).")
    assert "existiert bereits" not in str(caught.value.problems)


def test_the_preview_shows_german_numbers_and_names_rows_by_their_cells(demo, tmp_path):
    book = exported()
    row = row_where(book["Kommunen"], "Name", "Much")
    set_cell(book, "Kommunen", row, "Einwohnerzahl", 25727)
    set_cell(book, "Annahmen Stellen", 2, "Stellenanteil (VZÄ)", "0,5")
    result = import_workbook(save(book, tmp_path), dry_run=True)
    changes = {r.label: r.changes for s in result.sheets for r in s.rows if r.changes}
    assert changes["Much"][0][2] == "25.727"
    stelle = next(label for label in changes if label.startswith("Baustein 3"))
    assert changes[stelle] == [("Stellenanteil (VZÄ)", "1", "0,5")]  # Variante 2: 3 × 1,0 VZÄ
    shares = next(s for s in result.sheets if s.title == "Tage je Kommune")
    assert shares.rows[0].label == "cm-kommunen-2021, Alfter"
    from levy.models import LevyBasis

    assert (show(LevyBasis, "fiscal_year", 2022), show(LevyBasis, "amount", None)) == ("2022", "—")


def test_the_preview_lists_only_sheets_with_rows_and_names_the_empty_ones_once(demo, tmp_path):
    result = import_workbook(save(exported(), tmp_path), dry_run=True)
    shown = [s.title for s in result.shown_sheets]
    assert "Stellen" in shown and "Förderstellen" not in shown
    assert result.empty_sheets_text == ("übrige Tabellen leer: Förderstellen, Fördersätze, Fristen nach Zweck, "
                                        "Aufteilung des Eigenanteils, Benutzer")
    out = StringIO()
    call_command("import_county", str(save(exported(), tmp_path, "b.xlsx")), "--dry-run", stdout=out)
    assert "  Förderstellen:" not in out.getvalue()
    assert out.getvalue().count("übrige Tabellen leer") == 1


def test_every_documented_example_is_a_value_the_import_accepts(demo, tmp_path):
    """The template documented "freiwillige und pflichtige" for a column that refused it."""
    book = template()
    for ws in book.worksheets[1:]:
        ws.cell(EXAMPLE_ROW, ws.max_column).value = None  # the examples as data: without the marker
    # A split needs a position of another employer; the one example position is the county's own.
    book["Aufteilung des Eigenanteils"].delete_rows(EXAMPLE_ROW)
    result = import_workbook(save(book, tmp_path), slug="beispiel", name="Beispielkreis", dry_run=True)
    assert result.total("neu") == len(active_sheets()) - 1
    for sheet in active_sheets():
        assert any(example_row(sheet)), sheet.title


def test_the_template_has_one_marked_example_row_per_sheet_which_the_import_skips(demo, tmp_path):
    book = template()
    for sheet in active_sheets():
        ws = book[sheet.title]
        assert ws.max_row == EXAMPLE_ROW, sheet.title
        assert ws.cell(EXAMPLE_ROW, len(sheet.columns) + 1).value == EXAMPLE_MARKER
    assert book["Wertgrenzen-Stufen"]["A2"].value == "freiwillig und pflichtig"
    ws = book["Kreis"]
    ws.append(["beispiel", "Beispielkreis", "Kreis"])
    result = import_workbook(save(book, tmp_path), dry_run=True)
    assert result.summary() == "Beispielkreis (beispiel): 1 neu, 0 geändert, 0 unverändert"
    assert result.notes[-1].startswith(f"Beispielzeilen der Vorlage übersprungen ({len(active_sheets())} Tabellen")


def test_a_row_copied_with_the_example_marker_is_not_left_out_unseen(demo, tmp_path):
    book = template()
    book["Kreis"].append(["beispiel", "Beispielkreis", "Kreis"])
    ws = book["Kommunen"]
    ws.append([c.value for c in ws[EXAMPLE_ROW]])
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(book, tmp_path), dry_run=True)
    assert [str(p) for p in caught.value.problems] == [
        "Tabelle „Kommunen“, Zeile 3: Die Zeile trägt rechts die Markierung der Beispielzeile (nur Zeile 2 der "
        "Vorlage wird übersprungen); bitte die Markierung löschen, damit die Zeile eingelesen wird."]


def test_choice_and_yes_no_columns_have_dropdowns(demo):
    ws = template()["Stellen"]
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 for v in ws.data_validations.dataValidation}
    headers = [c.value for c in ws[1]]
    letter = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    assert lists[letter["Status"]] == '"geplant,unbesetzt,besetzt"'
    assert "E11" in lists[letter["Entgeltgruppe"]] and "S12" in lists[letter["Entgeltgruppe"]]
    book = template()
    for sheet in active_sheets():
        wanted = sum(1 for c in sheet.columns if c.kind in (CHOICE, BOOL))
        assert len(book[sheet.title].data_validations.dataValidation) >= wanted, sheet.title


def test_empty_values_are_empty_cells_and_bullet_lists_show_no_apostrophe(demo):
    book = exported()
    ws = book["Kreis"]
    assert ws.cell(2, column(ws, "Kreisschlüssel")).value is None  # the demo county has no key: no "" cell
    goals = book["Schwerpunktziele"]
    cell = next(c for (c,) in goals.iter_rows(min_row=2, min_col=column(goals, "Maßnahmen"),
                                              max_col=column(goals, "Maßnahmen")) if c.value)
    assert cell.value.startswith("- ") and cell.data_type == "s" and cell.quotePrefix


def test_a_pdf_renamed_to_xlsx_is_refused_in_one_line_on_the_command_line(demo, tmp_path):
    path = tmp_path / "mappe.xlsx"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_county", str(path), stdout=StringIO())
    assert str(caught.value) == ("Die Datei ist keine XLSX-Arbeitsmappe, sondern ein PDF-Dokument; bitte eine mit "
                                 "kimportal erstellte Arbeitsmappe (.xlsx) hochladen. (nichts gespeichert)")


def test_the_exported_workbook_still_reads_back(demo):
    buffer = BytesIO()
    exported().save(buffer)
    buffer.seek(0)
    assert load_workbook(buffer).sheetnames[0] == "Info"
