"""Administrators upload, preview and confirm a workbook in the browser; everyone else gets 403."""
from io import BytesIO

import pytest
from django.urls import reverse

from kimportal.models import County, Municipality, User
from tests.conftest import pass_second_factor
from workbook.views import SESSION_KEY, upload_dir

from .helpers import RSK, as_copy, exported, set_cell

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
    book = as_copy(exported())
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
    assert f"Einwohnerzahl: {first[0].population} → 1" in page
    assert f"{first[1].name}: nicht in der Mappe: bleibt unverändert" in page


def test_a_wrong_workbook_lists_every_problem_and_saves_nothing(admin_client):
    book = as_copy(exported())
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
