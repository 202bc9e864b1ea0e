"""Administrators upload, preview and confirm a workbook in the browser; everyone else gets 403."""
from io import BytesIO

import pytest
from django.urls import reverse

from kimportal.models import County, Municipality, User
from kimportal.money import format_number
from tests.conftest import pass_second_factor
from workbook.views import SESSION_KEY, upload_dir

from .helpers import RSK, exported, set_cell

PAGE = "/verwaltung/arbeitsmappe/"


@pytest.fixture
def admin_client(client, demo_users):
    user = User.objects.get(username="admin")
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def upload(client, book, **fields):
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "mappe.xlsx"
    return client.post(PAGE, {"file": buffer, **fields})


def test_the_page_is_for_administrators_only(client, demo_users):
    assert reverse("workbook:workbook") == PAGE
    client.force_login(User.objects.get(username="ki-rsk"))
    for url in (PAGE, reverse("workbook:template"), reverse("workbook:export", args=[RSK])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("workbook:confirm")).status_code == 403


def test_upload_preview_and_confirm(admin_client):
    book = exported()
    response = upload(admin_client, book, slug="kopie", name="Kopie-Kreis")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vorschau: Kopie-Kreis (kopie) – neuer Kreis" in page
    assert 'style="' not in page and "<script>" not in page
    assert not County.objects.filter(slug="kopie").exists()
    token = admin_client.session[SESSION_KEY]["token"]
    assert (upload_dir() / f"{token}.xlsx").is_file()

    response = admin_client.post(reverse("workbook:confirm"), follow=True)
    assert "eingelesen: Kopie-Kreis (kopie):" in response.content.decode()
    assert County.objects.get(slug="kopie").municipalities.count() == 19
    assert SESSION_KEY not in admin_client.session
    assert not (upload_dir() / f"{token}.xlsx").exists()


def test_the_preview_names_changed_fields_and_rows_not_in_the_workbook(admin_client):
    book = exported()
    set_cell(book, "Kommunen", 2, "Einwohnerzahl", 1)
    book["Kommunen"].delete_rows(3)
    page = upload(admin_client, book).content.decode()
    first = Municipality.objects.filter(county__slug=RSK).order_by("name")
    assert f"{first[0].name}: <strong>geändert</strong>" in page
    assert f"Einwohnerzahl: {format_number(first[0].population)} → 1" in page  # 23.521, not 23521
    assert f"{first[1].name}: nicht in der Mappe: bleibt unverändert" in page


def test_a_wrong_workbook_lists_every_problem_and_saves_nothing(admin_client):
    book = exported()
    set_cell(book, "Stellen", 2, "Beginn", "31.11.2021")
    set_cell(book, "Stellen", 3, "Stellenanteil (VZÄ)", "1,5")
    response = upload(admin_client, book, slug="kopie", name="Kopie-Kreis")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Tabelle „Stellen“, Zeile 2, Spalte „Beginn“: Den 31.11.2021 gibt es nicht" in page
    assert "Tabelle „Stellen“, Zeile 3, Spalte „Stellenanteil (VZÄ)“" in page
    assert SESSION_KEY not in admin_client.session
    assert admin_client.post(reverse("workbook:confirm")).status_code == 302
    assert not County.objects.filter(slug="kopie").exists()


def test_the_template_and_an_export_download(admin_client):
    template = admin_client.get(reverse("workbook:template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    export = admin_client.get(reverse("workbook:export", args=[RSK]))
    assert export["Content-Disposition"] == f'attachment; filename="{RSK}.xlsx"'


def test_a_finance_officer_downloads_the_own_countys_workbook_and_nothing_else(client, demo_users):
    client.force_login(User.objects.get(username="finanzen-rsk"))
    response = client.get(reverse("workbook:export", args=[RSK]))
    assert response.status_code == 200 and response["Content-Disposition"] == f'attachment; filename="{RSK}.xlsx"'
    assert client.get(reverse("workbook:export", args=["rhein-kreis-neuss"])).status_code == 403
    page = client.get(PAGE)
    assert page.status_code == 200
    assert reverse("workbook:export", args=[RSK]) in page.content.decode()
    assert "rhein-kreis-neuss" not in page.content.decode() and "Prüfen und Vorschau" not in page.content.decode()
    assert upload(client, exported()).status_code == 403
    assert client.post(reverse("workbook:confirm")).status_code == 403
    assert client.get(reverse("workbook:template")).status_code == 403


@pytest.mark.parametrize("name, content, what", [
    ("mappe.xlsx", b"%PDF-1.4\n", "sondern ein PDF-Dokument"),
    ("daten.csv", "Name;Einwohnerzahl\nAlfter;23521\n".encode(), "sondern eine Textdatei (etwa CSV)"),
])
def test_a_file_that_is_no_workbook_gets_one_german_message_and_nothing_is_saved(admin_client, name, content, what):
    before = County.objects.count()
    file = BytesIO(content)
    file.name = name
    response = admin_client.post(PAGE, {"file": file, "slug": "kopie", "name": "Kopie"})
    page = response.content.decode()
    assert response.status_code == 400
    assert f"„{name}“: Die Datei ist keine XLSX-Arbeitsmappe, {what}; bitte" in page
    assert "Zellen korrigieren" not in page and SESSION_KEY not in admin_client.session
    assert County.objects.count() == before


def test_the_preview_names_the_empty_sheets_once_and_what_a_copy_leaves_out(admin_client):
    page = upload(admin_client, exported(), slug="kopie", name="Kopie").content.decode()
    assert page.count("Übrige Tabellen leer") == 1
    assert "Amtliche Gemeindeschlüssel nicht übernommen: bereits Rhein-Sieg-Kreis zugeordnet (19 Gemeinden)." in page
    assert '<th scope="row">Förderstellen</th>' not in page
