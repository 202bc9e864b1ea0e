"""Issue 9, §3: the idle timeout (30 minutes, configurable) and the password change page for every user."""
import time

import pytest
from django.contrib.auth import get_user_model

from accounts.policy import LAST_ACTIVITY_KEY
from .conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("demo_users")
EXPIRED = "Ihre Sitzung ist nach 30 Minuten ohne Aktivität abgelaufen. Bitte melden Sie sich erneut an."


def idle_for(client, minutes):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_the_idle_timeout_is_30_minutes_by_default(settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_session_idle_past_the_limit_is_sent_to_the_login(client):
    assert client.login(username="ki-rsk", password=PASSWORD)
    assert client.get("/stellen/").status_code == 200
    idle_for(client, 31)

    response = client.get("/stellen/")

    assert response.status_code == 302 and response["Location"] == "/anmelden/?next=/stellen/"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert EXPIRED in login_page
    assert client.get("/stellen/").status_code == 302  # still logged out


def test_activity_within_the_limit_keeps_the_session_and_restarts_the_clock(client):
    assert client.login(username="ki-rsk", password=PASSWORD)
    idle_for(client, 29)
    assert client.get("/stellen/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5


def test_a_shorter_limit_from_the_environment_applies(client, settings):
    settings.SESSION_IDLE_SECONDS = 10 * 60
    assert client.login(username="ki-rsk", password=PASSWORD)
    idle_for(client, 11)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
    assert "nach 10 Minuten ohne Aktivität" in client.get(response["Location"]).content.decode()


def test_every_page_links_the_account_page_with_the_password_change(client):
    assert client.login(username="ausschuss-rsk", password=PASSWORD)
    assert 'href="/konto/"' in client.get("/").content.decode()
    account = client.get("/konto/").content.decode()
    assert 'href="/konto/passwort/"' in account and "Zwei-Faktor-Anmeldung" in account


def test_the_password_change_needs_the_old_password(client):
    assert client.login(username="ausschuss-rsk", password=PASSWORD)
    page = client.get("/konto/passwort/")
    assert page.status_code == 200 and 'aria-label="Hauptnavigation"' in page.content.decode()

    response = client.post("/konto/passwort/", {"old_password": "geraten", "new_password1": "Kreishaus-Siegburg-2024",
                                                "new_password2": "Kreishaus-Siegburg-2024"})

    assert response.status_code == 200
    assert "Das alte Passwort war falsch. Bitte neu eingeben." in response.content.decode()
    assert get_user_model().objects.get(username="ausschuss-rsk").check_password(PASSWORD)


def test_the_password_change_applies_the_password_rules(client):
    assert client.login(username="ausschuss-rsk", password=PASSWORD)
    response = client.post("/konto/passwort/", {"old_password": PASSWORD, "new_password1": "12345678",
                                                "new_password2": "12345678"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Passwort ist zu üblich" in content and "Dieses Passwort ist komplett numerisch" in content
    assert get_user_model().objects.get(username="ausschuss-rsk").check_password(PASSWORD)


def test_a_changed_password_keeps_the_session_and_is_the_one_that_works(client):
    assert client.login(username="ausschuss-rsk", password=PASSWORD)
    response = client.post("/konto/passwort/", {"old_password": PASSWORD, "new_password1": "Kreishaus-Siegburg-2024",
                                                "new_password2": "Kreishaus-Siegburg-2024"}, follow=True)
    assert response.redirect_chain == [("/konto/", 302)]
    assert "Ihr Passwort wurde geändert." in response.content.decode()
    assert client.get("/").status_code == 200
    client.logout()
    assert not client.login(username="ausschuss-rsk", password=PASSWORD)
    assert client.login(username="ausschuss-rsk", password="Kreishaus-Siegburg-2024")


ACCOUNT_PAGES = ["/konto/", "/konto/passwort/", "/konto/zwei-faktor/einrichten/", "/konto/zwei-faktor/code/"]
# The one page for visitors who have no password yet: the one-time link of workbook.passwords
# (tests/workbook/test_password_links_and_follow_ons.py checks it).
PUBLIC_ACCOUNT_PAGES = ["password_set"]


def test_every_account_page_is_listed_here():
    from django.urls import get_resolver

    resolver = get_resolver().namespace_dict["accounts"][1]
    assert len(resolver.url_patterns) == len(ACCOUNT_PAGES) + len(PUBLIC_ACCOUNT_PAGES)
    assert {pattern.name for pattern in resolver.url_patterns} >= set(PUBLIC_ACCOUNT_PAGES)


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_from_every_account_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/?next=")


@pytest.mark.parametrize("username", ["ki-rsk", "finanzen-rsk", "ausschuss-rsk", "ki-neuss"])
def test_every_role_opens_its_account_pages(client, username):
    assert client.login(username=username, password=PASSWORD)
    for path in ACCOUNT_PAGES[:3]:
        assert client.get(path).status_code == 200, path
    # Without a device there is no code to give: the code page leads on.
    assert client.get(ACCOUNT_PAGES[3]).status_code == 302
