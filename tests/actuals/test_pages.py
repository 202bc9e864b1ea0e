"""A fresh user's findings on the actual-cost pages: years print as 2022, ``?jahr=abc`` is named, exports of every
table, "–" for months without figures, cents throughout, reloads lead back to the upload, similar columns
pre-selected, warnings for positions still "geplant", German singular and plural, undo only after confirmation."""
import csv as csvlib
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actuals.models import ActualCost, ImportBatch
from staffing.models import Position
from tests.conftest import logged_in_client

from .helpers import csv, rsk
from .test_views import coordinator, upload

pytestmark = pytest.mark.usefixtures("demo_users")


def page_of(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def grid_url(position=None, query=""):
    return reverse("actuals:position_actuals", args=[(position or coordinator()).pk]) + query


def test_the_year_prints_as_2022_and_its_links_work():
    client = logged_in_client("finanzen-rsk")
    text = page_of(client.get(grid_url(query="?jahr=2022")))
    assert "<title>Ist-Kosten 2022: Koordination Strategische Steuerung 1" in text
    assert "<h1>Ist-Kosten 2022: Koordination Strategische Steuerung 1</h1>" in text
    assert '<td>Summe 2022</td>' in text and '2.022' not in text
    assert 'href="?jahr=2021">← 2021</a>' in text and 'href="?jahr=2023">2023 →</a>' in text
    assert client.get(grid_url(query="?jahr=2021")).context["year"] == 2021
    # Without ?jahr: the latest year with figures.
    assert client.get(grid_url()).context["year"] == 2022


@pytest.mark.parametrize("raw", ["abc", "99999", "0", "2.021", "1999"])
def test_a_jahr_that_is_no_year_is_named_never_silently_replaced(raw):
    client = logged_in_client("ki-rsk")
    response = client.get(grid_url(query=f"?jahr={raw}"))
    assert response.status_code == 302 and response["Location"] == grid_url(query="?jahr=2022")
    shown = page_of(client.get(response["Location"]))
    assert (f"„{raw}“ ist kein Jahr (bitte eine Jahreszahl von 2000 bis 2100, z. B. 2022); angezeigt wird 2022."
            in shown)


def test_a_save_with_a_bad_year_saves_nothing():
    client = logged_in_client("ki-rsk")
    response = client.post(grid_url(), {"jahr": "abc", "m01_personnel": "1,00"}, follow=True)
    assert "„abc“ ist kein Jahr" in page_of(response) and "Es wurde nichts gespeichert." in page_of(response)
    assert ActualCost.objects.get(position=coordinator(), month=date(2022, 1, 1)).amount == Decimal("8878.33")


def test_months_without_figures_show_a_dash_and_recorded_zero_stays_zero():
    client = logged_in_client("finanzen-rsk")
    grid = client.get(grid_url(query="?jahr=2022")).context
    totals = [month_total for _, _, month_total in grid["grid"]]
    assert totals[:6] == [Decimal("8878.33")] * 3 + [Decimal("9038.14")] * 3 and totals[6:] == [None] * 6
    assert grid["total"] == Decimal("53749.41") and grid["column_totals"][1:] == [None, None, None]
    text = page_of(client.get(grid_url(query="?jahr=2022")))
    july = re.search(r'<th scope="row">07\.2022</th>(.*?)</tr>', text, re.S).group(1)
    assert july.rstrip().endswith('<td class="num">–</td>') and "0,00 €" not in july
    assert "<td>Summe 2022</td><td class=\"num\">53.749,41 €</td><td class=\"num\">–</td>" in text
    # The vacant months of Case Management 7 were recorded as 0,00 €: that is a figure, not "–".
    vacant = Position.objects.get(county=rsk(), position_number="KI-B2-11")
    text = page_of(client.get(grid_url(vacant, "?jahr=2022")))
    january = re.search(r'<th scope="row">01\.2022</th>(.*?)</tr>', text, re.S).group(1)
    assert january.rstrip().endswith('<td class="num">0,00 €</td>')
    empty_year = page_of(client.get(grid_url(query="?jahr=2030")))
    assert empty_year.count('<td class="num">–</td>') == 12 + 5 and "0,00 €" not in empty_year


def test_the_import_list_shows_cents_throughout_and_who_imported():
    client = logged_in_client("ki-rsk")
    upload(client, csv("KI-B1-01;07.2022;PK;19.000"))
    client.post(reverse("actuals:confirm"))
    text = page_of(client.get(reverse("actuals:import_list")))
    assert "19.000,00 €" in text and "759.272,43 €" in text and "121.407,05 €" in text
    assert "Demodaten (load_demo)" in text and "Kira Integrationszentrum" in text
    assert "2 Importe" in text and "System (" not in text


def rows_of_csv(response) -> list[list[str]]:
    return list(csvlib.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_imports_and_the_months_export_as_csv_and_xlsx():
    client = logged_in_client("finanzen-rsk")
    url = reverse("actuals:import_list")
    imports = client.get(url + "?_export=csv")
    assert imports["Content-Disposition"].endswith('filename="ist-kosten-importe.csv"')
    header, row = rows_of_csv(imports)
    assert header == ["Nr.", "eingelesen am", "von", "Datei", "Zeilen", "Monate", "Summe", "Stand"]
    assert row[2:] == ["Demodaten (load_demo)", "70_actuals.csv", "108", "01.2022 – 06.2022", "759272.43", "gültig"]
    months = rows_of_csv(client.get(url + "?_export=csv&tabelle=monate"))
    assert months[0] == ["Monat", "Stellen", "Ist-Kosten"]
    assert months[1] == ["2022-06-01", "18", "131683.76"] and len(months) == 7
    book = load_workbook(io.BytesIO(client.get(url + "?_export=xlsx&tabelle=monate").content))
    sheet = book.active
    assert sheet["A2"].value == datetime(2022, 6, 1) and sheet["C2"].value == pytest.approx(131683.76)
    assert sheet["C2"].data_type == "n"
    book = load_workbook(io.BytesIO(client.get(url + "?_export=xlsx").content))
    assert book.active["G2"].value == pytest.approx(759272.43) and book.active["G2"].data_type == "n"


def test_a_positions_year_exports_with_empty_cells_where_there_is_no_figure():
    client = logged_in_client("finanzen-rsk")
    response = client.get(grid_url(query="?jahr=2022&_export=csv"))
    assert response["Content-Disposition"].endswith('filename="ist-kosten-ki-b1-01-2022.csv"')
    rows = rows_of_csv(response)
    assert rows[0] == ["Monat", "Personalkosten", "Sachkosten", "Veranstaltungen", "Maßnahmen", "Summe"]
    assert rows[1] == ["2022-01-01", "8878.33", "", "", "", "8878.33"]
    assert rows[7] == ["2022-07-01", "", "", "", "", ""] and len(rows) == 13
    book = load_workbook(io.BytesIO(client.get(grid_url(query="?jahr=2022&_export=xlsx")).content))
    assert book.active["B5"].value == pytest.approx(9038.14) and book.active["B8"].value is None


@pytest.mark.parametrize("step", ["actuals:confirm", "actuals:mapping", "actuals:cancel"])
def test_reloading_a_step_leads_back_to_the_upload_with_a_message(step):
    client = logged_in_client("ki-rsk")
    upload(client, csv("KI-B1-01;07.2022;PK;1"))
    response = client.get(reverse(step))
    assert response.status_code == 302 and response["Location"] == reverse("actuals:upload")
    text = page_of(client.get(response["Location"]))
    assert "Diese Seite lässt sich nicht neu laden oder direkt aufrufen." in text
    assert ImportBatch.objects.count() == 1


def test_the_mapping_page_preselects_columns_with_similar_headers():
    client = logged_in_client("ki-rsk")
    response = upload(client, "Stelle;Buchungsmonat;Ist-Betrag;Kostenstelle\r\nKI-B3-01;08.2022;5.300,00;4711\r\n"
                      .encode())
    form = response.context["mapping_form"]
    assert [form[name].value() for name in ("position_number", "month", "cost_type", "amount")] == ["0", "1", "", "2"]
    assert '<option value="0" selected>Stelle</option>' in response.content.decode()


def test_the_preview_warns_of_planned_positions_and_speaks_in_the_singular():
    client = logged_in_client("ki-rsk")
    text = page_of(upload(client, csv("KI-B1-01;01.2022;PK;9.000,00")))
    assert "1 Zeile: 0 neu, 1 ersetzt, 0 unverändert" in text
    assert "Dieser Betrag wird ersetzt" in text and "Die Zeile</summary>" in text
    assert ("<strong>Warnung:</strong> Stelle KI-B1-01 ist im Stellenplan noch als „geplant“ geführt – "
            "Status prüfen.") in text
    filled = page_of(upload(client, csv("KI-B2-01;01.2022;PK;1,00", "KI-B2-02;01.2022;PK;1,00")))
    assert "Warnung" not in filled and "Diese 2 Beträge werden ersetzt" in filled


def test_the_confirmation_page_tells_before_that_an_undo_would_be_refused():
    client = logged_in_client("ki-rsk")
    demo_batch = ImportBatch.objects.get(county=rsk())
    upload(client, csv("KI-B1-01;01.2022;PK;9.000,00"))
    client.post(reverse("actuals:confirm"))
    text = page_of(client.get(reverse("actuals:import_undo", args=[demo_batch.pk])))
    assert "Nicht möglich: 1 Wert wurde danach geändert" in text
    assert "Koordination Strategische Steuerung 1, 01.2022, Personalkosten (jetzt 9.000,00 € aus Import Nr." in text
    assert '<button type="submit"' not in text.split("<main")[-1]
    refused = client.post(reverse("actuals:import_undo", args=[demo_batch.pk]), follow=True)
    assert "1 seiner Werte wurde danach geändert" in page_of(refused)
    assert ImportBatch.objects.get(pk=demo_batch.pk).undone_at is None
