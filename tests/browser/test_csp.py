"""Issue 9 §3: the pages work in Chromium under the Content-Security-Policy, and it refuses nothing.

Chromium reports every refused inline style or script as a console error ("Refused to apply inline
style …") and as a ``securitypolicyviolation`` event; both are collected for every page.
Screenshots land in var/screenshots/csp-*.png for a look at the layout.
"""
import re

import pytest
from playwright.sync_api import expect

from staffing.models import CaseManagementAllocation

ALLOCATION = "CM-Einsatz in den Kommunen 2021/2022"  # Rhein-Sieg-Kreis, 7,0 VZÄ = 35 days, all handed out
# Playwright's init scripts run outside the page's policy, so this listener sees what the page may not do.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__csp.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " "
                    + event.sourceFile + ":" + event.lineNumber);
});
"""


class PolicyWatch:
    """The policy violations one page reported, from the console and from the DOM event."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            self.console.append(message.text)

    def assert_none(self):
        events = self.page.evaluate("window.__csp || []")
        assert not self.console and not events, f"{self.page.url}: {self.console} {events}"


@pytest.fixture
def watched(login):
    """watched(username) -> (page, PolicyWatch): a logged-in page whose policy violations are recorded."""

    def open_as(username):
        page = login(username)
        watch = PolicyWatch(page)
        return page, watch

    return open_as


def check(page, watch, visit, path, screenshot=None, name=None):
    response = visit(page, path)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    watch.assert_none()
    if screenshot:
        screenshot(page, f"csp-{name}")


def test_the_allocation_script_still_computes_the_live_total(watched, visit, screenshot):
    page, watch = watched("ki-rsk")
    allocation = CaseManagementAllocation.objects.get(name=ALLOCATION)
    check(page, watch, visit, f"/stellen/cm-einsatz/{allocation.pk}/", screenshot, "cm-einsatz")
    total = page.locator("#allocation-total")
    expect(total).to_have_text("35,0")
    page.get_by_role("textbox", name="Alfter", exact=True).fill("4")
    expect(total).to_have_text("37,0")
    expect(page.locator("#allocation-left")).to_have_text("-2,0")
    expect(page.get_by_text("Die Kapazität ist überschritten.")).to_be_visible()
    watch.assert_none()


def test_the_dashboard_charts_show_under_the_policy(watched, visit, screenshot):
    page, watch = watched("finanzen-rsk")
    check(page, watch, visit, "/", screenshot, "start")
    charts = page.locator(".chart-svg svg")
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100


def test_the_main_pages_report_no_violation(watched, visit, screenshot):
    page, watch = watched("finanzen-rsk")
    check(page, watch, visit, "/haushalt/eigenanteile/?start=2021-12&end=2022-12", screenshot, "eigenanteile")
    expect(page.locator("main")).to_contain_text("Zeitraum 01.12.2021 – 31.12.2022 (13 Monate)")
    # The scenario labels sit beside their checkboxes (label.choice-label, formerly a style attribute).
    checkbox = page.get_by_role("checkbox").first
    label = page.locator(f"label[for='{checkbox.get_attribute('id')}']")
    assert abs(label.bounding_box()["y"] - checkbox.bounding_box()["y"]) < 12
    for path, name in [("/haushalt/fristen/", "fristen"), ("/haushalt/deckungsmittel/", "deckungsmittel"),
                       ("/berichte/", "berichte"), ("/stellen/", "stellen")]:
        check(page, watch, visit, path, screenshot, name)


def test_the_report_previews_keep_their_layout_under_the_policy(watched, visit, screenshot):
    page, watch = watched("finanzen-rsk")
    check(page, watch, visit, "/berichte/kim/?start=2021-12&end=2022-12", screenshot, "vorschau-kim")
    # The column widths come from print.css (col.w-29 …), no longer from style attributes.
    first_table = page.locator(".paper table.grid").first
    widths = first_table.locator("col").evaluate_all("cols => cols.map(c => getComputedStyle(c).width)")
    table_width = first_table.bounding_box()["width"]
    assert abs(float(widths[0].removesuffix("px")) / table_width - 0.29) < 0.01, (widths, table_width)
    check(page, watch, visit, "/berichte/risiko/?start=2021-12&end=2022-12", screenshot, "vorschau-risiko")
    # The risk paper's own rules (formerly a <style> block) apply: the "at a glance" table has its rule.
    glance = page.locator(".paper .risiko .glance table")
    assert glance.evaluate("t => getComputedStyle(t).borderTopStyle") == "solid"


def test_the_admin_and_its_date_widgets_work_under_the_policy(watched, visit, screenshot):
    page, watch = watched("admin")
    check(page, watch, visit, "/admin/", None, None)
    check(page, watch, visit, "/admin/staffing/position/", screenshot, "admin-stellen")
    page.locator("#result_list tbody a").first.click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/admin/staffing/position/\d+/change/$"))
    # DateTimeShortcuts.js (a static file) adds "Heute" and the calendar button next to each date field.
    expect(page.get_by_role("link", name="Heute").first).to_be_visible()
    page.locator(".date-icon").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    screenshot(page, "csp-admin-stelle")
    watch.assert_none()


def test_the_watch_sees_what_the_policy_refuses(watched, visit):
    """The checks above would be empty words if Chromium did not report refused inline code."""
    page, watch = watched("ki-rsk")
    check(page, watch, visit, "/stellen/")
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
                     var s = document.createElement("script");
                     s.textContent = "window.ran = 1";
                     document.body.append(s);""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    with pytest.raises(AssertionError, match="style-src"):
        watch.assert_none()
