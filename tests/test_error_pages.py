"""Issue 9, §5: 403, 404 and 500 in German and in the application's layout; 4xx logged as one line each;
no start page offering links that only lead to 403.

Django shows its own error pages only with DEBUG off, so these tests run as a server does.
"""
import logging
import re

import pytest
from django.contrib.auth.models import Group
from django.template import loader
from django.test import Client
from django.urls import reverse

from accounts.policy import requires_two_factor
from kimportal import roles
from kimportal.models import County, User
from reports.dashboard_views import DashboardView
from staffing.models import Position

from .conftest import pass_second_factor

PASSWORD = "kimportal-demo"
NAVIGATION = 'aria-label="Hauptnavigation"'
DJANGO_ENGLISH = ("Not Found", "Server Error", "403 Forbidden", "The requested resource", "Traceback")


@pytest.fixture
def server(demo_users, settings):
    """The demo with its users, and DEBUG off as on a server."""
    settings.DEBUG = False
    return settings


def logged_in(username, **client_kwargs):
    client = Client(**client_kwargs)
    assert client.login(username=username, password=PASSWORD)
    user = User.objects.get(username=username)
    if requires_two_factor(user):
        pass_second_factor(client, user)  # administrators log in with TOTP (tests/accounts)
    return client


def assert_german_page_in_layout(response, heading):
    content = response.content.decode()
    assert '<html lang="de">' in content
    assert f'<h1 id="error-heading">{heading}</h1>' in content
    assert 'class="topbar"' in content and NAVIGATION in content and 'href="/"' in content
    assert "kimportal/app.css" in content
    for english in DJANGO_ENGLISH:
        assert english not in content
    return content


def test_a_missing_position_gives_a_german_404_in_the_layout_with_navigation(server):
    response = logged_in("ki-rsk").get("/stellen/999999/")

    assert response.status_code == 404
    content = assert_german_page_in_layout(response, "Seite nicht gefunden")
    assert "Die Seite <code>/stellen/999999/</code> gibt es nicht." in content
    assert f'href="{reverse("staffing:position_list")}">Stellen</a>' in content  # the user's own navigation
    assert "Kira" in content  # who is logged in, as on every page


def test_another_countys_position_is_a_404_like_a_missing_one(server):
    rhein_sieg = Position.objects.filter(county__slug="rhein-sieg-kreis").first()
    response = logged_in("ki-neuss").get(reverse("staffing:position_detail", args=[rhein_sieg.pk]))
    assert response.status_code == 404
    assert_german_page_in_layout(response, "Seite nicht gefunden")


def test_a_committee_member_on_an_edit_url_gets_a_german_403_in_the_layout(server):
    position = Position.objects.filter(county__slug="rhein-sieg-kreis").first()
    response = logged_in("ausschuss-rsk").get(reverse("staffing:position_edit", args=[position.pk]))

    assert response.status_code == 403
    content = assert_german_page_in_layout(response, "Kein Zugriff")
    assert "Ihre Rolle erlaubt diese Seite oder Aktion nicht; es wurde nichts geändert." in content
    assert f'href="{reverse("reports:report_list")}">Berichte</a>' in content


def test_the_403_page_shows_the_reason_the_view_gave(server):
    response = logged_in("admin").get(reverse("programmes:programme_list"))  # administrators have no county

    assert response.status_code == 403
    content = assert_german_page_in_layout(response, "Kein Zugriff")
    assert '<p class="message error" role="alert">Ihrem Benutzerkonto ist kein Kreis zugeordnet.</p>' in content


def test_a_view_that_fails_gives_a_german_500_in_the_layout(server, monkeypatch):
    def fail(self, **kwargs):
        raise RuntimeError("a bug in the dashboard")

    monkeypatch.setattr(DashboardView, "get_context_data", fail)
    response = logged_in("ki-rsk", raise_request_exception=False).get("/")

    assert response.status_code == 500
    content = assert_german_page_in_layout(response, "Es ist ein Fehler aufgetreten")
    assert "Fehler 500" in content and "Zur Startseite" in content
    assert "a bug in the dashboard" not in content


def test_the_500_page_renders_without_any_context_or_database():
    # Django renders 500.html with an empty context: no request, no user. Without the db fixture any query
    # would fail this test, as a broken database would fail the page.
    content = loader.render_to_string("500.html")
    assert "Es ist ein Fehler aufgetreten" in content and NAVIGATION in content


def test_a_csrf_failure_is_a_german_403(server):
    client = logged_in("ki-rsk", enforce_csrf_checks=True)
    position = Position.objects.filter(county__slug="rhein-sieg-kreis").first()

    response = client.post(reverse("staffing:position_edit", args=[position.pk]), {"title": "ohne Token"})

    assert response.status_code == 403
    assert_german_page_in_layout(response, "Das Formular ist nicht mehr gültig")
    assert Position.objects.get(pk=position.pk).title == position.title


def test_an_unknown_host_name_gets_a_german_400(server):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="kimportal.example.invalid")

    assert response.status_code == 400
    assert_german_page_in_layout(response, "Ungültige Anfrage")


# --- logs ----------------------------------------------------------------------------------------


def request_log(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.mark.parametrize("username, path, status, line", [
    ("ausschuss-rsk", "/stellen/cm-einsatz/", 403, "Forbidden (Permission denied): /stellen/cm-einsatz/"),
    ("admin", "/programme/", 403, "Forbidden (Permission denied): /programme/"),
    ("ki-rsk", "/stellen/999999/", 404, "Not Found: /stellen/999999/"),
])
def test_a_403_or_404_is_logged_as_one_line_without_traceback(server, caplog, username, path, status, line):
    client = logged_in(username)
    caplog.clear()
    caplog.set_level(logging.WARNING, logger="django.request")

    assert client.get(path).status_code == status

    records = request_log(caplog)
    assert [record.getMessage() for record in records] == [line]
    assert records[0].exc_info is None and records[0].levelno == logging.WARNING
    assert "Traceback" not in caplog.text
    assert caplog.text.strip().count("\n") == 0  # one line


def test_a_foreign_host_name_is_logged_as_one_line_without_traceback(server, caplog):
    """Scanners send foreign Host headers all day: each is one line in the log, not a traceback."""
    caplog.clear()
    caplog.set_level(logging.WARNING)
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name.startswith("django.security")]
    assert len(records) == 1 and records[0].exc_info is None
    assert "Invalid HTTP_HOST header: 'evil.example'" in records[0].getMessage()
    assert "Traceback" not in caplog.text


def test_a_500_keeps_its_traceback_in_the_log(server, caplog, monkeypatch):
    def fail(self, **kwargs):
        raise RuntimeError("a bug in the dashboard")

    monkeypatch.setattr(DashboardView, "get_context_data", fail)
    client = logged_in("ki-rsk", raise_request_exception=False)
    caplog.clear()
    caplog.set_level(logging.WARNING, logger="django.request")

    assert client.get("/").status_code == 500

    records = request_log(caplog)
    assert [record.getMessage() for record in records] == ["Internal Server Error: /"]
    assert records[0].exc_info is not None
    assert "Traceback" in caplog.text and "RuntimeError: a bug in the dashboard" in caplog.text


# --- no links that only lead to 403 -------------------------------------------------------------


def links(content):
    return sorted({href for href in re.findall(r'href="(/[^"]*)"', content) if not href.startswith("/static/")})


def test_the_administrators_start_page_offers_no_link_that_leads_to_403(server):
    # Administrators have no county: the county's pages would each answer 403, so the navigation leaves them out.
    client = logged_in("admin")
    start = client.get("/").content.decode()

    assert "Kein Kreis zugeordnet" in start and reverse("admin:index") in start
    assert reverse("programmes:programme_list") not in start
    assert f'href="{reverse("staffing:position_list")}">Alle Stellen</a>' in start  # every county's, read-only
    for href in links(start):
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("username", ["ki-rsk", "finanzen-rsk", "ausschuss-rsk"])
def test_a_county_users_start_page_offers_no_link_that_leads_to_403(server, username):
    client = logged_in(username)
    start = client.get("/").content.decode()
    for href in links(start):
        if href.startswith(reverse("admin:index")):
            continue
        assert client.get(href).status_code in (200, 302), href


@pytest.mark.parametrize("role", [roles.ADMINISTRATION, roles.KI_STAFF, roles.FINANCE, roles.COMMITTEE])
def test_the_admin_index_offers_no_link_that_leads_to_403(server, client, role):
    """Whoever reaches the admin (is_staff), with whichever role: every model, add and view link answers 200."""
    user = User.objects.create_user("pruefung", password=PASSWORD, is_staff=True,
                                    county=County.objects.get(slug="rhein-sieg-kreis"))
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    pass_second_factor(client, user)

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    for href in links(index.content.decode()):
        assert client.get(href).status_code == 200, href
