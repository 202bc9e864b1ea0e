"""Issue 3: KI staff edit positions and the case-management allocation in the browser."""
import re
from decimal import Decimal

from playwright.sync_api import expect

from staffing.models import AllocationShare, CaseManagementAllocation, Position

from .conftest import assert_page_ok

POSITION = "Koordination Strategische Steuerung 2"  # 1,0 VZÄ in the demo data
ALLOCATION = "CM-Einsatz in den Kommunen 2021/2022"  # Rhein-Sieg-Kreis, 7,0 VZÄ = 35 days, all handed out


def nav(page, name):
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name, exact=True).click()


def column_cell(page, row_text, header):
    """The cell of the table row whose link reads ``row_text``, in the column headed ``header``."""
    headers = [text.strip() for text in page.get_by_role("columnheader").all_inner_texts()]
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=row_text, exact=True))
    return row.get_by_role("cell").nth(headers.index(header))


def open_position_edit_page(page, title=POSITION):
    nav(page, "Stellen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stellen")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("link", name="Bearbeiten").click()
    expect(page).to_have_url(re.compile(r"/stellen/\d+/bearbeiten/$"))
    return page.url


def open_allocation(page, name=ALLOCATION):
    nav(page, "CM-Einsatz")
    expect(page).to_have_url(re.compile(r"/stellen/cm-einsatz/$"))
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page).to_have_url(re.compile(r"/stellen/cm-einsatz/\d+/$"))
    return page.url


def days_input(page, municipality):
    # A German text input (1,5), not a number field: those follow the browser's locale and drop letters.
    return page.get_by_role("textbox", name=municipality, exact=True)


def german_decimal(text):
    return Decimal(text.replace(",", ".") or "0")


def saved_days(allocation):
    return {share.municipality.name: share.days
            for share in AllocationShare.objects.filter(allocation=allocation).select_related("municipality")}


# --- positions -----------------------------------------------------------------------------------


def test_ki_staff_change_the_fte_of_a_position_and_see_it_in_the_list_and_the_history(login, demo_site, watches):
    position = Position.objects.get(title=POSITION, county__name="Rhein-Sieg-Kreis")
    assert position.fte == Decimal("1.000")
    page = login("ki-rsk")
    open_position_edit_page(page)
    assert page.url.endswith(f"/stellen/{position.pk}/bearbeiten/")

    fte = page.get_by_label("Stellenanteil (VZÄ)")
    expect(fte).to_have_value("1,0")
    fte.fill("0,75")
    page.get_by_role("button", name="Speichern").click()

    expect(page).to_have_url(f"{demo_site.url}/stellen/{position.pk}/")
    expect(page.get_by_role("status")).to_contain_text(f"Die Stelle „{POSITION}“ wurde gespeichert.")
    facts = page.get_by_role("region", name="Angaben")
    expect(facts).to_contain_text("0,75 VZÄ")
    history = page.get_by_role("region", name="Änderungsverlauf")
    change = history.get_by_role("listitem").filter(has_text="Stellenanteil (VZÄ)").last
    expect(change).to_have_text("Stellenanteil (VZÄ): 1,0 → 0,75")
    expect(history.get_by_role("listitem").first).to_contain_text("geändert")
    assert_page_ok(page, watches)

    page.get_by_role("link", name="← Alle Stellen").click()
    expect(column_cell(page, POSITION, "VZÄ")).to_have_text("0,75")
    assert_page_ok(page, watches)

    position.refresh_from_db()
    assert position.fte == Decimal("0.75")


def test_an_invalid_fte_is_refused_in_german_and_nothing_is_saved(login, watches):
    position = Position.objects.get(title=POSITION, county__name="Rhein-Sieg-Kreis")
    page = login("ki-rsk")
    open_position_edit_page(page)
    page.get_by_label("Stellenanteil (VZÄ)").fill("1,5")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".errorlist")).to_be_visible()
    expect(page.get_by_label("Stellenanteil (VZÄ)")).to_have_value("1,5")
    assert_page_ok(page, watches)
    position.refresh_from_db()
    assert position.fte == Decimal("1.000")


def test_the_second_of_two_editors_gets_the_conflict_message_and_the_first_value_stays(login, demo_site, watches):
    position = Position.objects.get(title=POSITION, county__name="Rhein-Sieg-Kreis")
    first, second = login("ki-rsk"), login("ki-rsk")
    edit_url = open_position_edit_page(first)
    second.goto(edit_url)
    expect(second.get_by_label("Stellenanteil (VZÄ)")).to_have_value("1,0")

    first.get_by_label("Stellenanteil (VZÄ)").fill("0,5")
    first.get_by_role("button", name="Speichern").click()
    expect(first).to_have_url(f"{demo_site.url}/stellen/{position.pk}/")
    expect(first.get_by_role("status")).to_contain_text("gespeichert")

    second.get_by_label("Bemerkung").fill("Vom zweiten Browser geändert")
    with second.expect_navigation() as navigation:
        second.get_by_role("button", name="Speichern").click()
    assert navigation.value.status in (200, 409)  # 409 Conflict is the honest answer
    alerts = second.get_by_role("alert")
    expect(alerts.filter(has_text="inzwischen")).to_contain_text(
        "Die Stelle wurde inzwischen von jemand anderem geändert.")
    expect(alerts.filter(has_text="inzwischen")).to_contain_text("Ihre Änderungen wurden nicht gespeichert")
    # The current values are shown: the first editor's FTE.
    expect(alerts.filter(has_text=re.compile(r"Stellenanteil.{0,20}0,5(?!\d)")).first).to_be_visible()
    expect(second).to_have_url(edit_url)
    assert_page_ok(second)
    assert [url for url in watches[second].bad_documents if not url.startswith("409 ")] == []

    position.refresh_from_db()
    assert position.fte == Decimal("0.5")
    assert position.note != "Vom zweiten Browser geändert"

    # After reloading, the second editor sees the current values and can save.
    second.goto(edit_url)
    expect(second.get_by_label("Stellenanteil (VZÄ)")).to_have_value("0,5")
    second.get_by_label("Bemerkung").fill("Vom zweiten Browser geändert")
    second.get_by_role("button", name="Speichern").click()
    expect(second).to_have_url(f"{demo_site.url}/stellen/{position.pk}/")
    position.refresh_from_db()
    assert (position.fte, position.note) == (Decimal("0.5"), "Vom zweiten Browser geändert")


# --- case-management allocation ------------------------------------------------------------------


def test_days_beyond_the_capacity_are_refused_and_nothing_changes(login, watches):
    allocation = CaseManagementAllocation.objects.get(name=ALLOCATION)
    before, version = saved_days(allocation), allocation.version
    page = login("ki-rsk")
    url = open_allocation(page)
    total, left = page.locator("#allocation-total"), page.locator("#allocation-left")
    expect(total).to_have_text("35,0")
    expect(left).to_have_text("0,0")
    over = page.get_by_text("Die Kapazität ist überschritten.")
    expect(over).to_be_hidden()

    alfter = days_input(page, "Alfter")
    expect(alfter).to_have_value("2,0")
    alfter.fill("4")
    # The figures below the table follow the input at once (JavaScript), before anything is saved.
    expect(total).to_have_text("37,0")
    expect(left).to_have_text("-2,0")
    expect(over).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Alfter")).locator("[data-fte]")).to_have_text("0,8")

    page.get_by_role("button", name="Speichern").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nicht gespeichert")
    expect(alert).to_contain_text(
        "Die verteilten Tage (37,00) übersteigen die Kapazität von 35,00 Tagen (7,0 VZÄ × 5).")
    expect(days_input(page, "Alfter")).to_have_value("4")  # what the user typed stays for correcting
    assert_page_ok(page, watches)

    page.goto(url)  # a fresh GET, not a resubmission
    expect(days_input(page, "Alfter")).to_have_value("2,0")
    expect(page.locator("#allocation-total")).to_have_text("35,0")
    expect(page.get_by_role("alert")).to_have_count(0)
    allocation.refresh_from_db()
    assert saved_days(allocation) == before
    assert allocation.version == version


def test_the_proposal_by_population_fills_the_capacity_and_can_be_saved(login, watches):
    allocation = CaseManagementAllocation.objects.get(name=ALLOCATION)
    page = login("ki-rsk")
    url = open_allocation(page)
    # Free some days first, so that the proposal visibly changes something.
    days_input(page, "Windeck").fill("0")
    expect(page.locator("#allocation-total")).to_have_text("32,0")
    expect(page.locator("#allocation-left")).to_have_text("3,0")

    page.get_by_role("button", name="Vorschlag nach Einwohnerzahl").click()
    expect(page.get_by_role("status").filter(has_text="Vorschlag nach Einwohnerzahl")).to_contain_text(
        "Noch nicht gespeichert")
    expect(page.locator("#allocation-total")).to_have_text("35,0")
    expect(page.locator("#allocation-left")).to_have_text("0,0")
    expect(page.get_by_text("Die Kapazität ist überschritten.")).to_be_hidden()
    assert_page_ok(page, watches)

    inputs = page.locator("input[data-days]")
    proposed = {}
    for index in range(inputs.count()):
        field = inputs.nth(index)
        name = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text().strip()
        proposed[name] = german_decimal(field.input_value())
    assert sum(proposed.values()) == Decimal("35")
    # No demand or a special arrangement: no days; everyone else at least 2,5 days (0,5 VZÄ) or none.
    for name in ("Eitorf", "Ruppichteroth", "Siegburg", "Troisdorf"):
        assert proposed[name] == 0, name
    assert all(days == 0 or days >= Decimal("2.5") for days in proposed.values())
    assert all(days % Decimal("0.5") == 0 for days in proposed.values())
    # Nothing saved yet.
    assert sum(saved_days(allocation).values()) == Decimal("35")
    assert saved_days(allocation)["Windeck"] == Decimal("3")

    # Changing one field updates the live figures.
    first_name = next(name for name, days in proposed.items() if days >= 3)
    days_input(page, first_name).fill(str(proposed[first_name] - 1).replace(".", ","))
    expect(page.locator("#allocation-total")).to_have_text("34,0")
    expect(page.locator("#allocation-left")).to_have_text("1,0")
    days_input(page, first_name).fill(str(proposed[first_name]))
    expect(page.locator("#allocation-total")).to_have_text("35,0")

    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_have_text("Der CM-Einsatz wurde gespeichert.")
    expect(page).to_have_url(url)
    assert_page_ok(page, watches)
    assert {name: days for name, days in saved_days(allocation).items()} == proposed


def test_a_municipality_marked_without_demand_loses_its_days_in_the_live_total(login, watches):
    page = login("ki-rsk")
    open_allocation(page)
    row = page.get_by_role("row", name=re.compile("^Much"))
    row.get_by_role("checkbox", name="kein Bedarf").check()
    expect(days_input(page, "Much")).to_have_value("0")  # set by the page's script
    expect(page.locator("#allocation-total")).to_have_text("33,0")
    expect(page.locator("#allocation-left")).to_have_text("2,0")
    assert_page_ok(page, watches)


def test_the_second_of_two_allocation_editors_gets_the_conflict_message(login, watches):
    allocation = CaseManagementAllocation.objects.get(name=ALLOCATION)
    first, second = login("ki-rsk"), login("ki-rsk")
    url = open_allocation(first)
    second.goto(url)

    days_input(first, "Windeck").fill("2")
    first.get_by_role("button", name="Speichern").click()
    expect(first.get_by_role("status").filter(has_text="gespeichert")).to_be_visible()

    days_input(second, "Wachtberg").fill("1")
    with second.expect_navigation() as navigation:
        second.get_by_role("button", name="Speichern").click()
    assert navigation.value.status == 409  # like every other record
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("inzwischen von jemand anderem geändert")
    expect(alert).to_contain_text("Windeck 2,0")
    expect(alert).to_contain_text("Summe 34,0 von 35,0 Tagen")
    assert_page_ok(second)
    assert [url for url in watches[second].bad_documents if not url.startswith("409 ")] == []

    days = saved_days(allocation)
    assert (days["Windeck"], days["Wachtberg"]) == (Decimal("2"), Decimal("2"))


def test_letters_typed_into_a_days_field_are_refused_next_to_it_and_nothing_is_saved(login, watches):
    # Issue 9, §6: a number field dropped "abc", the empty field reached the server and Alfter went 2 -> 0.
    allocation = CaseManagementAllocation.objects.get(name=ALLOCATION)
    before, version = saved_days(allocation), allocation.version
    page = login("ki-rsk")
    url = open_allocation(page)
    alfter = days_input(page, "Alfter")
    alfter.fill("abc")
    expect(alfter).to_have_value("abc")  # a text input keeps what was typed
    expect(page.locator("#allocation-total")).to_have_text("33,0")  # letters count nothing in the live total

    page.get_by_role("button", name="Speichern").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nicht gespeichert")
    expect(alert).to_contain_text("Alfter: Bitte eine Zahl in halben Tagen angeben, z. B. 1,5.")
    alfter = days_input(page, "Alfter")
    expect(alfter).to_have_value("abc")
    expect(alfter).to_have_attribute("aria-invalid", "true")
    row = page.get_by_role("row", name=re.compile("^Alfter"))
    expect(row.locator(".errorlist")).to_have_text("Bitte eine Zahl in halben Tagen angeben, z. B. 1,5.")
    assert_page_ok(page, watches)

    alfter.fill("")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("row", name=re.compile("^Alfter")).locator(".errorlist")).to_have_text(
        "Bitte die Tage angeben – 0, wenn die Kommune keine erhält.")

    allocation.refresh_from_db()
    assert saved_days(allocation) == before
    assert saved_days(allocation)["Alfter"] == Decimal("2")
    assert allocation.version == version
    page.goto(url)
    expect(days_input(page, "Alfter")).to_have_value("2,0")


def test_days_typed_with_a_dot_or_a_comma_count_alike_in_the_live_total_and_are_saved(login, watches):
    # Issue 10: the page's sum reads typed days with the server's rule (kimportal/static/kimportal/numbers.js).
    allocation = CaseManagementAllocation.objects.get(name=ALLOCATION)
    page = login("ki-rsk")
    url = open_allocation(page)
    total = page.locator("#allocation-total")
    alfter = days_input(page, "Alfter")  # 2,0 of 35,0 days
    alfter_fte = page.get_by_role("row", name=re.compile("^Alfter")).locator("[data-fte]")

    for typed in ("1.5", "1,5"):
        alfter.fill(typed)
        expect(total).to_have_text("34,5")
        expect(alfter_fte).to_have_text("0,3")
    alfter.fill("1.5.0")  # refused by the server, so it counts nothing here either
    expect(total).to_have_text("33,0")
    alfter.fill("1.500")  # a thousands group, as the server reads it (and then refuses 1.500 days)
    expect(total).to_have_text("1.533,0")

    alfter.fill("1.5")
    days_input(page, "Hennef (Sieg)").fill("1,5")
    expect(total).to_have_text("35,0")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_have_text("Der CM-Einsatz wurde gespeichert.")
    expect(page).to_have_url(url)
    assert_page_ok(page, watches)
    days = saved_days(allocation)
    assert (days["Alfter"], days["Hennef (Sieg)"]) == (Decimal("1.50"), Decimal("1.50"))
