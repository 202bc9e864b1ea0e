"""Playwright with Debian's Chromium against pytest-django's live server.

Playwright's own browser download does not work here; /usr/bin/chromium does.
In CI (KIMPORTAL_REQUIRE_BROWSER=1) a missing browser fails the run instead of skipping.
DJANGO_ALLOW_ASYNC_UNSAFE (needed by Playwright's sync API) is set in tests/conftest.py.
"""
import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "kimportal-demo"
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 768, "height": 1024}
ERROR_MARKERS = ("Traceback", "Server Error", "Server-Fehler")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("KIMPORTAL_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} fehlt: apt-get install -y chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    return live_server


class PageWatch:
    """What went wrong on a page so far: JavaScript errors and documents answered with 4xx/5xx."""

    def __init__(self, page):
        self.js_errors = []
        self.bad_documents = []
        page.on("pageerror", lambda error: self.js_errors.append(str(error)))
        page.on("response", self._response)

    def _response(self, response):
        if response.request.resource_type == "document" and response.status >= 400:
            self.bad_documents.append(f"{response.status} {response.url}")


@pytest.fixture
def browser_context(browser):
    """browser_context(viewport=None) -> a new German-language context, closed after the test."""
    contexts = []

    def new(viewport=None):
        context = browser.new_context(locale="de-DE", viewport=viewport or DESKTOP)
        contexts.append(context)
        return context

    yield new
    for context in contexts:
        context.close()


@pytest.fixture
def watches():
    """Page -> PageWatch for every page the login fixture opened."""
    return {}


@pytest.fixture
def login(browser_context, demo_site, watches):
    def log_in(username, viewport=None):
        page = browser_context(viewport).new_page()
        watches[page] = PageWatch(page)
        page.goto(f"{demo_site.url}/anmelden/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        pass_second_factor(page, username)
        return page

    return log_in


def pass_second_factor(page, username):
    """Administrators set up the authenticator app at their first login (or give its code): type the code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_code

    for path, confirmed, button in (("/konto/zwei-faktor/einrichten/", False, "Einrichten"),
                                    ("/konto/zwei-faktor/code/", True, "Bestätigen")):
        if path in page.url:
            device = TOTPDevice.objects.get(user__username=username, confirmed=confirmed)
            page.get_by_label("Code aus der Authenticator-App").fill(current_code(device))
            page.get_by_role("button", name=button).click()
            page.wait_for_load_state()


@pytest.fixture
def visit(demo_site, watches):
    """visit(page, path) opens a page of the live server and checks it came back whole (200, no error page)."""

    def go(page, path):
        url = path if path.startswith("http") else f"{demo_site.url}{path}"
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        assert_page_ok(page, watches)
        return response

    return go


def assert_page_ok(page, watches=None):
    content = page.content()
    for marker in ERROR_MARKERS:
        assert marker not in content, f"{page.url} shows {marker!r}"
    watch = (watches or {}).get(page)
    if watch is not None:
        assert not watch.js_errors, f"JavaScript errors on {page.url}: {watch.js_errors}"
        assert not watch.bad_documents, f"Pages answered with errors: {watch.bad_documents}"


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
