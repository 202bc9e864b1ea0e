"""Issue 9, §5: while the database is away, a German 503 with Retry-After instead of a 500; ``/health/``.

"Away" is simulated below Django's ORM: every new cursor raises OperationalError, as psycopg does when
the server restarts or the network drops.
"""
import logging

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from reports.dashboard_views import DashboardView

PASSWORD = "kimportal-demo"
UNAVAILABLE = "kimportal ist vorübergehend nicht erreichbar"


@pytest.fixture
def database_down(db):
    """database_down(message) -> from then on every query fails as with a database server that went away.

    The database is back before the test's transaction is rolled back (hence no monkeypatch here).
    """
    working = BaseDatabaseWrapper._cursor

    def down(message="server closed the connection unexpectedly"):
        def refuse(self, *args, **kwargs):
            raise OperationalError(message)

        BaseDatabaseWrapper._cursor = refuse

    yield down
    BaseDatabaseWrapper._cursor = working


def logged_in(username="ki-rsk"):
    client = Client(raise_request_exception=False)
    assert client.login(username=username, password=PASSWORD)
    return client


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert '<html lang="de">' in content and UNAVAILABLE in content
    assert "vorübergehend nicht erreichbar" in content and 'aria-label="Hauptnavigation"' in content
    assert "Traceback" not in content and "Server Error" not in content


@pytest.mark.parametrize("debug", [False, True])
def test_a_page_answers_503_in_german_when_the_database_is_away(demo_users, settings, database_down, debug):
    settings.DEBUG = debug  # the middleware answers in both modes
    client = logged_in()
    database_down()

    response = client.get(reverse("staffing:position_list"))  # the session is read from the database first

    assert_unavailable(response)


def test_a_save_answers_503_when_the_database_goes_away_during_the_view(demo_users, settings, monkeypatch):
    settings.DEBUG = False

    def lose_connection(self, **kwargs):
        raise InterfaceError("connection already closed")

    client = logged_in()
    monkeypatch.setattr(DashboardView, "get_context_data", lose_connection)

    assert_unavailable(client.get("/"))


def test_a_database_error_in_a_middleware_before_the_view_answers_503(demo_users, settings, monkeypatch, caplog,
                                                                      database_down):
    # Middleware errors reach no process_exception; handler500 (kimportal.errors.server_error) answers them.
    settings.DEBUG = False
    client = logged_in()
    original = AuthenticationMiddleware.process_request

    def eager_user(self, request):
        original(self, request)
        request.user.pk  # a middleware that needs the user at once, e.g. for a login lockout

    monkeypatch.setattr(AuthenticationMiddleware, "process_request", eager_user)
    database_down("no route to host")
    caplog.set_level(logging.ERROR)

    response = client.get(reverse("staffing:position_list"))

    assert_unavailable(response)
    assert any("Datenbank nicht erreichbar" in record.getMessage() and "no route to host" in record.getMessage()
               for record in caplog.records)


def test_other_errors_stay_a_500(demo_users, settings, monkeypatch):
    settings.DEBUG = False

    def fail(self, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(DashboardView, "get_context_data", fail)
    response = logged_in().get("/")
    assert response.status_code == 500 and "Es ist ein Fehler aufgetreten" in response.content.decode()


# --- /health/ ------------------------------------------------------------------------------------


def test_health_answers_ok_without_login_when_the_database_answers(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_is_away(client, db, database_down):
    database_down()

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.content.decode().startswith("Datenbank nicht erreichbar")
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]


def test_health_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # as on a server; load balancers probe over plain HTTP
    assert client.get("/health/").status_code == 200
    assert client.get(reverse("login")).status_code == 301
