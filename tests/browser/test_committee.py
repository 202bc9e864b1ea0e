def test_a_committee_member_reaches_the_start_page_but_not_an_edit_page(login, demo_site, screenshot):
    page = login("ausschuss-rsk")
    assert page.url == f"{demo_site.url}/"
    assert "Rhein-Sieg-Kreis" in page.content()
    screenshot(page, "start-ausschuss")
    response = page.goto(f"{demo_site.url}/stellen/1/bearbeiten/")
    assert response.status == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(browser, demo_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{demo_site.url}/stellen/")
    assert "/anmelden/" in page.url
    assert page.get_by_role("button", name="Anmelden").is_visible()
    context.close()
