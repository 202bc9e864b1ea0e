"""Playwright with Debian's Chromium against pytest-django's live server.

Playwright's own browser download does not work here; /usr/bin/chromium does.
In CI (KIMPORTAL_REQUIRE_BROWSER=1) a missing browser fails the run instead of skipping.
"""
import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "kimportal-demo"


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


@pytest.fixture
def login(browser, demo_site):
    contexts = []

    def log_in(username):
        context = browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{demo_site.url}/anmelden/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        return page

    yield log_in
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
