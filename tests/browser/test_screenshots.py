"""Issue 3: every main page opens for the role that uses it, and leaves a screenshot in var/screenshots/.

The screenshots are for people to look at (layout, number formats, German texts); the tests check
that each page answers 200, shows no error page and no JavaScript error, and shows what it is about.
"""
import re

from playwright.sync_api import expect

from .conftest import TABLET, assert_page_ok


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def follow(page, link, visit):
    """Open the page a link points to (picked by its visible text), checking the answer like visit()."""
    expect(link).to_be_visible()
    return visit(page, link.get_attribute("href"))


def nav_link(page, name):
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name, exact=True)


def test_screenshots_of_the_pages_of_ki_staff(login, visit, screenshot):
    page = login("ki-rsk")
    visit(page, "/")
    expect(page.locator("main")).to_contain_text("Rhein-Sieg-Kreis")
    screenshot(page, "01-start-ki")

    follow(page, nav_link(page, "Programme"), visit)
    heading(page, "Förderprogramme")
    screenshot(page, "02-programme")
    follow(page, page.get_by_role("link", name="Kommunales Integrationsmanagement (KIM)", exact=True), visit)
    heading(page, re.compile("Kommunales Integrationsmanagement"))
    screenshot(page, "03-programm-kim")

    follow(page, nav_link(page, "Bescheide & Anträge"), visit)
    heading(page, "Zuwendungsbescheide und Anträge")
    screenshot(page, "04-bescheide")
    follow(page, page.get_by_role("link", name="Baustein 1 – Strategische Steuerung 2021", exact=True), visit)
    expect(page.locator("main")).to_contain_text("Baustein 1")
    screenshot(page, "05-bescheid-baustein-1")

    follow(page, nav_link(page, "Bescheide & Anträge"), visit)
    follow(page, page.get_by_role("link", name=re.compile("^KIM Baustein 1 – Strategische Steuerung")), visit)
    heading(page, re.compile("KIM Baustein 1"))
    screenshot(page, "06-antrag-kim-baustein-1")

    follow(page, nav_link(page, "Stellen"), visit)
    heading(page, "Stellen")
    expect(page.get_by_text("19 Stellen")).to_be_visible()
    screenshot(page, "07-stellen")
    follow(page, page.get_by_role("link", name="Sachbearbeitung Ausländerbehörde (KIM Baustein 3)"), visit)
    expect(page.get_by_role("region", name="Angaben")).to_contain_text("0,75 VZÄ")
    screenshot(page, "08-stelle")
    follow(page, page.get_by_role("link", name="Bearbeiten"), visit)
    expect(page.get_by_label("Stellenanteil (VZÄ)")).to_have_value("0,75")
    screenshot(page, "09-stelle-bearbeiten")

    follow(page, nav_link(page, "CM-Einsatz"), visit)
    screenshot(page, "10-cm-einsatz-liste")
    follow(page, page.get_by_role("link", name="CM-Einsatz in den Kommunen 2021/2022"), visit)
    expect(page.locator("#allocation-total")).to_have_text("35,0")
    screenshot(page, "11-cm-einsatz")

    visit(page, "/haushalt/szenarien/")
    expect(page.get_by_role("link", name=re.compile("Variante 1"))).to_be_visible()
    screenshot(page, "12-szenarien")
    follow(page, page.get_by_role("link", name=re.compile("Variante 2")), visit)
    screenshot(page, "13-szenario-variante-2")

    follow(page, nav_link(page, "Fristen"), visit)
    screenshot(page, "14-fristen")
    follow(page, nav_link(page, "Schwerpunktziele"), visit)
    screenshot(page, "15-schwerpunktziele")
    assert_page_ok(page)


def test_screenshots_of_the_pages_of_the_finance_officer(login, visit, screenshot, watches):
    page = login("finanzen-rsk")
    visit(page, "/")
    screenshot(page, "20-start-finanzen")

    follow(page, nav_link(page, "Eigenanteile"), visit)
    heading(page, "Eigenanteile und überplanmäßige Bereitstellung")
    form = page.get_by_role("form", name="Zeitraum und Szenarien")
    form.get_by_label("von (Monat)").fill("2021-12")
    form.get_by_label("bis (Monat)").fill("2022-12")
    scenarios = form.get_by_role("checkbox")
    expect(scenarios).to_have_count(3)  # the two Baustein 3 variants and the extended Integrationspauschale
    for index in range(scenarios.count()):
        scenarios.nth(index).check()
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Berechnen").click()
    assert navigation.value.status == 200
    assert_page_ok(page, watches)
    assert "start=2021-12" in page.url and "end=2022-12" in page.url
    main = page.locator("main")
    expect(main).to_contain_text("Zeitraum 01.12.2021 – 31.12.2022 (13 Monate)")
    expect(main).to_contain_text("158.644")
    expect(main).to_contain_text("258.818")
    expect(main).to_contain_text("Risikospanne: 60.330 € – 578.466 €")
    screenshot(page, "21-eigenanteile")

    follow(page, nav_link(page, "Deckungsmittel"), visit)
    screenshot(page, "22-deckungsmittel")
    follow(page, page.get_by_role("link", name="Integrationspauschale (§ 14c TIntG)"), visit)
    screenshot(page, "23-deckungsmittel-integrationspauschale")

    visit(page, "/haushalt/ansaetze/")
    screenshot(page, "24-haushaltsansaetze")
    visit(page, "/haushalt/szenarien/")
    screenshot(page, "25-szenarien-finanzen")


def test_screenshots_at_tablet_width(login, visit, screenshot):
    page = login("ki-rsk", viewport=TABLET)
    follow(page, nav_link(page, "Stellen"), visit)
    heading(page, "Stellen")
    screenshot(page, "30-tablet-stellen")
    follow(page, nav_link(page, "CM-Einsatz"), visit)
    follow(page, page.get_by_role("link", name="CM-Einsatz in den Kommunen 2021/2022"), visit)
    expect(page.get_by_role("button", name="Speichern")).to_be_visible()
    screenshot(page, "31-tablet-cm-einsatz")


def test_screenshot_of_the_committee_start_page(login, visit, screenshot):
    page = login("ausschuss-rsk")
    visit(page, "/")
    expect(page.locator("main")).to_contain_text("Rhein-Sieg-Kreis")
    screenshot(page, "40-start-ausschuss")
