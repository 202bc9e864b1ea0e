"""Issue 3: the portal can be used without a mouse."""
from playwright.sync_api import expect

from .conftest import PASSWORD


def test_a_user_logs_in_with_the_keyboard_only(browser_context, demo_site):
    page = browser_context().new_page()
    page.goto(f"{demo_site.url}/anmelden/")

    # The user name field has the focus from the start (autofocus).
    expect(page.get_by_label("Benutzername")).to_be_focused()
    page.keyboard.type("ki-rsk")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Passwort")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{demo_site.url}/")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()

    # On every page the first Tab reaches the skip link, which shows itself and jumps to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # The main navigation is reachable with Tab and followed with Enter.
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    page.get_by_role("link", name="kimportal").focus()
    for _ in range(4):  # Start, Programme, Bescheide & Anträge, Stellen
        page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Stellen", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{demo_site.url}/stellen/")


def test_a_wrong_password_typed_with_the_keyboard_is_refused_in_german(browser_context, demo_site):
    page = browser_context().new_page()
    page.goto(f"{demo_site.url}/anmelden/")
    page.get_by_label("Benutzername").focus()
    page.keyboard.type("ki-rsk")
    page.keyboard.press("Tab")
    page.keyboard.type("falsch")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Benutzername oder Passwort ist falsch. Bitte erneut versuchen.")
    expect(page).to_have_url(f"{demo_site.url}/anmelden/")
