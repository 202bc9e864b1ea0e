"""A fresh user's findings: new users get a one-time link to set their password (page and command line), and one
wrong cell is one error, not four (rows naming the failed row are skipped, not reported as causes of their own)."""
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kimportal import roles
from kimportal.models import County, User
from tests.conftest import pass_second_factor
from workbook.importer import import_workbook
from workbook.reader import WorkbookInvalid
from workbook.views import LINKS_KEY

from .helpers import exported, save, set_cell

PAGE = "/verwaltung/arbeitsmappe/"
LINK = re.compile(r"/konto/passwort-festlegen/[\w-]+/[\w-]+/")
PASSWORD = "Integrations-Zentrum-2024!"


def with_new_user(book, username="kaemmerei-neu"):
    book["Benutzer"].append([username, "Karla", "Kämmerer", "karla@kreis.example", roles.FINANCE, "ja"])
    return book


def set_password(client, path: str, password: str = PASSWORD):
    """Open the link (Django moves the token into the session) and set the password on the form it leads to."""
    response = client.get(path)
    assert response.status_code == 302, response.status_code
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_command_prints_a_one_time_link_per_new_user_that_sets_the_password(demo, tmp_path, client):
    out = StringIO()
    call_command("import_county", str(save(with_new_user(exported()), tmp_path)),
                 "--base-url", "https://kimportal.example.de/", stdout=out)
    lines = out.getvalue().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Neue Benutzer ohne Passwort"))
    assert "je einmal gültig bis" in lines[header]
    (link,) = lines[header + 1:]
    assert link.startswith("  kaemmerei-neu: https://kimportal.example.de/konto/passwort-festlegen/")
    path = LINK.search(link)[0]

    user = User.objects.get(username="kaemmerei-neu")
    assert not user.has_usable_password()
    response = set_password(client, path)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert authenticate(username="kaemmerei-neu", password=PASSWORD) == user
    # One time only: the same link now says it is invalid and changes nothing.
    page = client.get(path, follow=True).content.decode()
    assert "Dieser Link ist ungültig" in page and "new_password1" not in page


def test_an_import_without_new_users_prints_no_links_and_a_dry_run_announces_them(demo, tmp_path):
    out = StringIO()
    call_command("import_county", str(save(exported(), tmp_path)), stdout=out)
    assert "passwort-festlegen" not in out.getvalue()

    out = StringIO()
    call_command("import_county", str(save(with_new_user(exported()), tmp_path)), "--dry-run", stdout=out)
    assert "1 neue Benutzer: nach dem Import je ein Link zum Festlegen des Passworts." in out.getvalue()
    assert "passwort-festlegen" not in out.getvalue() and not User.objects.filter(username="kaemmerei-neu").exists()


def test_without_base_url_the_command_prints_the_path_and_says_what_to_put_in_front(demo, tmp_path):
    out = StringIO()
    call_command("import_county", str(save(with_new_user(exported()), tmp_path)), stdout=out)
    assert "vor den Pfad die Adresse des Servers setzen oder --base-url angeben" in out.getvalue()
    assert re.search(r"^  kaemmerei-neu: /konto/passwort-festlegen/", out.getvalue(), re.M)


def test_a_base_url_without_scheme_is_refused_before_anything_is_saved(demo, tmp_path):
    with pytest.raises(CommandError, match="--base-url: Bitte die Adresse mit https:// angeben"):
        call_command("import_county", str(save(with_new_user(exported()), tmp_path)),
                     "--base-url", "kimportal.example.de", stdout=StringIO())
    assert not User.objects.filter(username="kaemmerei-neu").exists()


def test_the_page_shows_the_links_once_after_the_import(client, demo_users):
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    pass_second_factor(client, admin)
    book = with_new_user(with_new_user(exported(), "ki-neu-1"), "ki-neu-2")
    from io import BytesIO

    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "mappe.xlsx"
    preview = client.post(PAGE, {"file": buffer}).content.decode()
    assert "2 neue Benutzer: Nach dem Import zeigt diese Seite für jeden einen einmaligen Link" in preview

    page = client.post(reverse("workbook:confirm"), follow=True).content.decode()
    assert "Neue Benutzer: Links zum Festlegen des Passworts" in page
    links = re.findall(r"<th scope=\"row\">([\w-]+)</th><td><code>(http://testserver/konto/passwort-festlegen/"
                       r"[\w-]+/[\w-]+/)</code>", page)
    assert [name for name, _ in links] == ["ki-neu-1", "ki-neu-2"]
    assert LINKS_KEY not in client.session
    assert "passwort-festlegen" not in client.get(PAGE).content.decode()  # shown once

    client.logout()
    assert set_password(client, links[1][1].removeprefix("http://testserver")).status_code == 302
    assert User.objects.get(username="ki-neu-2").has_usable_password()
    assert not User.objects.get(username="ki-neu-1").has_usable_password()


def test_an_altered_link_sets_nothing(demo, client):
    user = User.objects.create(username="ohne-passwort", county=County.objects.get(slug="rhein-sieg-kreis"))
    user.set_unusable_password()
    user.save()
    from workbook.passwords import password_links

    (link,) = password_links([("ohne-passwort", user.pk)])
    page = client.get(link.path[:-3] + "xx/", follow=True).content.decode()
    assert "Dieser Link ist ungültig" in page
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_one_wrong_date_is_one_error_and_names_the_rows_it_held_back(demo, tmp_path):
    """Zuwendungsbescheide row 3 ("B1", KIM Baustein 1 of 22.02.2021) with the date 31.11.2021: before, three more
    errors said "Zuwendungsbescheid „B1“ nicht gefunden" for the rows naming B1."""
    book = exported()
    assert book["Zuwendungsbescheide"].cell(3, 1).value == "B1"
    set_cell(book, "Zuwendungsbescheide", 3, "Bescheid vom", "31.11.2021")
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(book, tmp_path), slug="kopie", name="Kopie-Kreis")
    assert [str(problem) for problem in caught.value.problems] == [
        "Tabelle „Zuwendungsbescheide“, Zeile 3, Spalte „Bescheid vom“: Den 31.11.2021 gibt es nicht; bitte ein "
        "gültiges Datum eingeben (TT.MM.JJJJ). Deshalb übersprungen (sie verweisen auf diese Zeile): Tabelle "
        "„Bewilligte Förderstellen“, Zeilen 5 und 6; Tabelle „Weiterleitungen“, Zeile 3."]
    assert not County.objects.filter(slug="kopie").exists()


def test_the_command_gives_the_one_cause_without_further_errors(demo, tmp_path):
    book = exported()
    set_cell(book, "Zuwendungsbescheide", 3, "Bescheid vom", "31.11.2021")
    with pytest.raises(CommandError) as caught:
        call_command("import_county", str(save(book, tmp_path)), "--slug", "kopie", "--name", "Kopie",
                     stdout=StringIO())
    message = str(caught.value)
    assert message.startswith("Tabelle „Zuwendungsbescheide“, Zeile 3, Spalte „Bescheid vom“: Den 31.11.2021")
    assert message.endswith("(nichts gespeichert)") and "weitere" not in message and "nicht gefunden" not in message


def test_a_row_with_an_error_of_its_own_is_still_reported_beside_a_follow_on(demo, tmp_path):
    book = exported()
    set_cell(book, "Zuwendungsbescheide", 3, "Bescheid vom", "31.11.2021")
    set_cell(book, "Bewilligte Förderstellen", 5, "Anzahl", "viele")
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(book, tmp_path), slug="kopie", name="Kopie-Kreis")
    found = [str(problem) for problem in caught.value.problems]
    assert len(found) == 2 and found[0].startswith("Tabelle „Zuwendungsbescheide“, Zeile 3")
    assert found[1].startswith("Tabelle „Bewilligte Förderstellen“, Zeile 5, Spalte „Anzahl“:")
    assert "„Bewilligte Förderstellen“, Zeile 6; " in found[0]  # row 6 only names B1: told with its cause
