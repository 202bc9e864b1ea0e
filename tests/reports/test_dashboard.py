"""The dashboard's figures on the demo data, and the start page for every role."""
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.policy import requires_two_factor
from budgeting.models import CoverageSource
from budgeting.selectors import own_share_comparison
from kimportal.models import County, User
from programmes.models import FundedSlot
from reports.dashboard import dashboard, dashboard_charts, fiscal_year_period, fiscal_years
from reports.dashboard_figures import allocation_days, coverage_status, own_share_figures, staffing_by_module
from staffing.models import PayGrade, Position

from ..conftest import pass_second_factor

TODAY = date(2026, 11, 23)
V1 = "Baustein 3 – Variante 1 (3 × 0,75 VZÄ)"
V2 = "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"
STAFF_NAME = "Erika Mustermann"


@pytest.fixture
def rsk(demo_users):
    return County.objects.get(slug="rhein-sieg-kreis")


def start_page(client, username, **params):
    """The start page as the demo user sees it."""
    user = User.objects.get(username=username)
    client.force_login(user)
    if requires_two_factor(user):
        pass_second_factor(client, user)  # administrators log in with TOTP (tests/accounts)
    return client.get(reverse("home"), params)


# --------------------------------------------------------------------------- figures


def test_the_own_share_for_2022_is_what_the_own_share_page_computes_for_january_to_december(rsk):
    figures = own_share_figures(rsk, *fiscal_year_period(2022))
    page = own_share_comparison(rsk, date(2022, 1, 1), date(2022, 12, 1))

    # KIM's 592.215 € and the Projektmittel's 50.000 € of own funds (Vorlage 000; every programme, issue 11).
    assert figures.own_share == page.results[0].total("own_share") == Decimal("642215")
    assert figures.unplanned_provision == page.results[0].unplanned_provision == Decimal("471075")
    assert (figures.comparison.risk_low, figures.comparison.risk_high) == (page.risk_low, page.risk_high)
    # Extended to 30.11.2022, the 450.000 € pay December 2021 first, then 2022 until spent: 60.330 € stay.
    assert figures.comparison.risk_range_text == "60.330\u00a0€ – 533.970\u00a0€"
    assert [(c.name, c.unplanned_provision) for c in figures.cases] == [
        ("Planstand", Decimal("471075")), (V1, Decimal("471075")), (V2, Decimal("533970")),
        ("Integrationspauschale verlängert bis 30.11.2022", Decimal("60330"))]


def test_for_the_paper_period_the_blocks_are_the_committee_figures(rsk):
    figures = own_share_figures(rsk, date(2021, 12, 1), date(2022, 12, 1))

    own_shares = {block.key: block.own_share for block in figures.blocks}
    assert own_shares["kim-b1-koordination"] == Decimal("158644")
    assert own_shares["kim-b1-assistenz"] == Decimal("10335")
    assert own_shares["kim-b2-case-management:cm-kommunen-2021"] == Decimal("258818")
    assert own_shares["kim-b3-abh-ebh"] == Decimal("82533")
    variant_2 = figures.comparison.results[2]
    assert variant_2.name == V2 and variant_2.block("kim-b3-abh-ebh").own_share == Decimal("150669")
    assert figures.comparison.risk_range_text == "60.330\u00a0€ – 578.466\u00a0€"


def test_the_own_share_per_module_adds_up_its_blocks_and_splits_off_the_uncovered_part(rsk):
    modules = {m.module: m for m in own_share_figures(rsk, *fiscal_year_period(2022)).modules}

    # Baustein 2: the three CM posts of 2020 are covered by the appropriation of 121.140 €,
    # Troisdorf bears its own post, the seven CM posts in the municipalities stay uncovered.
    assert modules["kim-b2"].own_share == Decimal("360050")
    assert modules["kim-b2"].covered == Decimal("121140")
    assert modules["kim-b2"].uncovered == Decimal("238910")
    assert modules["kim-b1"].own_share == modules["kim-b1"].uncovered == Decimal("155980")


def test_funded_fte_come_from_the_decisions_and_filled_fte_from_the_filled_positions(rsk):
    rows = {row.module: row for row in staffing_by_module(rsk, *fiscal_year_period(2022))}

    # KI-Grundförderung (3,5 posts, Vorlage 001) and KOMM-AN I (2 posts, assumed) are funded without recorded positions.
    assert list(rows) == ["ki-personal", "komm-an-1", "kim-b1", "kim-b2", "kim-b3"]
    assert (rows["ki-personal"].funded_fte, rows["ki-personal"].planned_fte) == (Decimal("3.5"), 0)
    assert rows["komm-an-1"].funded_fte == 2 and not rows["komm-an-1"].carried_forward  # decided for 2021-2022
    rows = {module: row for module, row in rows.items() if module.startswith("kim-")}
    assert (rows["kim-b1"].funded_fte, rows["kim-b1"].planned_fte, rows["kim-b1"].filled_fte) == (4, 4, 0)
    assert (rows["kim-b2"].funded_fte, rows["kim-b2"].planned_fte, rows["kim-b2"].filled_fte) == (11, 11, 4)
    assert rows["kim-b2"].open_fte == 7
    assert (rows["kim-b3"].funded_fte, rows["kim-b3"].filled_fte) == (Decimal("2.25"), 0)
    # Baustein 2 has its decision for 2022 (fixtures/80_proofs.yaml); for Bausteine 1 and 3 none is recorded: the
    # 2021 decisions are carried forward, and said so.
    assert not rows["kim-b2"].carried_forward and rows["kim-b2"].funded_source == "Bescheid 2022"
    assert all(row.carried_forward and row.funded_source == "Bescheid 2021"
               for module, row in rows.items() if module != "kim-b2")


def test_a_decision_covering_the_year_is_not_marked_as_carried_forward(rsk):
    rows = {row.module: row for row in staffing_by_module(rsk, *fiscal_year_period(2021))}

    assert rows["kim-b2"].funded_fte == 11
    assert not rows["kim-b2"].carried_forward


def test_the_allocation_gives_35_days_to_the_municipalities_with_notes_for_those_without(rsk):
    allocation = allocation_days(rsk, *fiscal_year_period(2022))

    days = {row.municipality: row for row in allocation.rows}
    assert len(days) == 19
    assert allocation.total == allocation.capacity_days == 35
    assert days["Swisttal"].days == 3 and days["Hennef (Sieg)"].days == 1
    assert days["Eitorf"].note == "kein Bedarf"
    assert "gesondert gezählt" in days["Troisdorf"].note


def test_the_integrationspauschale_expires_in_29_days_on_1_november_2021(rsk):
    source, = coverage_status(rsk, date(2021, 11, 1))

    assert (source.usable_until, source.days_left, source.expired) == (date(2021, 11, 30), 29, False)
    assert coverage_status(rsk, TODAY)[0].expired


def test_the_balance_of_450000_euros_is_free_only_from_december_2021_so_it_lapses_unused(rsk):
    """Vorlage 002: 450.000 € "nach abgeschlossener Planung für 2021" – the own shares until November are
    commitments paid as planned; from December the balance would be free, but the source expires on 30.11.2021."""
    board = dashboard(rsk, *fiscal_year_period(2022), today=TODAY)

    balance = board.coverage_balance
    series, = balance.series
    assert series.points == ((date(2021, 5, 27), Decimal("450000")),)
    assert (balance.start, balance.end) == (date(2021, 5, 1), date(2022, 12, 31))
    assert [m.label for m in balance.markers] == ["verwendbar bis 30.11.2021"]


def test_a_granted_extension_moves_the_expiry_of_the_coverage_source(rsk):
    CoverageSource.objects.filter(county=rsk).update(extension_status="granted", extended_until=date(2022, 11, 30))

    board = dashboard(rsk, *fiscal_year_period(2022), today=date(2022, 11, 1))

    assert board.next_expiry.days_left == 29
    assert board.own_share.unplanned_provision < Decimal("471075")


def test_the_default_year_is_the_latest_planned_one_when_the_current_year_has_no_data(rsk):
    neuss = County.objects.get(slug="rhein-kreis-neuss")

    assert fiscal_years(rsk, TODAY).default == 2022
    assert fiscal_years(rsk, TODAY).years == (2026, 2022, 2021, 2020)
    assert fiscal_years(rsk, date(2021, 6, 1)).default == 2021
    assert fiscal_years(neuss, TODAY).default == 2022  # its workbook (fixtures/60_rhein-kreis-neuss.xlsx) plans 2022


def test_the_charts_carry_the_dashboard_figures(rsk):
    charts = dashboard_charts(dashboard(rsk, *fiscal_year_period(2022), today=TODAY))

    assert "360.050\u00a0€" in charts.own_share.svg
    # Programmes paid by their grant alone have no own share to chart; the Projektmittel's 50.000 € are budgeted.
    assert charts.own_share.table.rows[-2:] == (("Projektmittel", "50.000\u00a0€", "0\u00a0€", "50.000\u00a0€"),
                                                ("Summe", "171.140\u00a0€", "471.075\u00a0€", "642.215\u00a0€"))
    assert "11,0\u00a0VZÄ" in charts.staffing.svg
    assert ("Swisttal", "3,0\u00a0Tage", "") in charts.allocation.table.rows
    assert "verwendbar bis 30.11.2021" in charts.coverage.svg
    assert [chart.id for chart in charts] == ["eigenanteil", "stellen", "cm-einsatz", "deckungsmittel"]


# --------------------------------------------------------------------------- the page


def hrefs(response) -> list[str]:
    return re.findall(r'href="([^"]*)"', response.content.decode())


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, demo_users):
    response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_administrator_without_county_is_pointed_to_the_admin(client, demo_users):
    response = start_page(client, "admin")

    assert response.status_code == 200
    assert "Kein Kreis zugeordnet" in response.content.decode()
    assert reverse("admin:index") in hrefs(response)


def test_the_committee_sees_the_2022_figures_without_staff_names_and_without_edit_links(client, rsk):
    Position.objects.filter(county=rsk).update(holder_name=STAFF_NAME)

    response = start_page(client, "ausschuss-rsk")

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["year"] == 2022
    assert "Übersicht Haushaltsjahr 2022" in content
    assert "642.215\u00a0€" in content
    assert "60.330\u00a0€ – 533.970\u00a0€" in content
    assert content.count("<svg") == 4
    assert STAFF_NAME not in content
    links = hrefs(response)
    assert not [h for h in links if "bearbeiten" in h or "/neu/" in h or "loeschen" in h]
    # Lists and detail pages the committee may not open are not linked either.
    assert not [h for h in links if h.startswith(("/stellen/", "/haushalt/", "/programme/"))]


def test_ki_staff_get_links_to_the_pages_behind_the_figures(client, demo_users):
    response = start_page(client, "ki-rsk")

    links = hrefs(response)
    assert reverse("staffing:position_create") in links
    assert reverse("staffing:position_list") in links
    assert any(h.startswith(reverse("budgeting:calculation") + "?start=2022-01&amp;end=2022-12") for h in links)
    assert "/programme/ziele/1000/" in links


def test_the_finance_officer_chooses_2021_and_sees_its_own_share(client, rsk):
    response = start_page(client, "finanzen-rsk", jahr="2021")

    expected = own_share_figures(rsk, *fiscal_year_period(2021))
    assert response.context["board"].start == date(2021, 1, 1)
    assert response.context["board"].own_share.own_share == expected.own_share
    assert "Übersicht Haushaltsjahr 2021" in response.content.decode()
    # Finance officers keep coverage sources but not positions.
    source = CoverageSource.objects.get(county=rsk)
    assert reverse("budgeting:coverage_detail", args=[source.pk]) in hrefs(response)
    assert reverse("staffing:position_create") not in hrefs(response)


def test_a_year_that_is_not_offered_is_refused_with_a_message_and_the_default_year_shown(client, demo_users):
    response = start_page(client, "ki-rsk", jahr="1999")

    assert response.status_code == 200
    assert response.context["year"] == 2022
    assert "Bitte ein Haushaltsjahr aus der Liste wählen." in response.content.decode()


def test_a_neuss_user_sees_only_neuss_data(client, demo_users):
    response = start_page(client, "ki-neuss")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Rhein-Kreis Neuss" in content
    for rhein_sieg in ("Rhein-Sieg", "Integrationspauschale", "Swisttal", "Troisdorf", "642.215"):
        assert rhein_sieg not in content
    # Baustein 1 decided for 2022 (3,5 + 0,5 VZÄ), Baustein 2's six posts carried forward from 2020; the
    # half coordination post is planned, not filled. Its decision arrived: no application step is overdue.
    assert "9,5 von 10,0 VZÄ besetzt" in content
    assert "überfällig" not in content


# --------------------------------------------------------------------------- query counts


def grow(county, count):
    """``count`` more positions in all three KIM modules, half of them filled."""
    slots = list(FundedSlot.objects.filter(code__in=["kim-b1-koordination", "kim-b2-case-management",
                                                      "kim-b3-abh-ebh"]).select_related("module"))
    grade = PayGrade.objects.get(code="E11")
    Position.objects.bulk_create(
        Position(county=county, title=f"Zusätzlich {n}", module=slots[n % 3].module, funded_slot=slots[n % 3],
                 pay_grade=grade, fte=Decimal("0.5"), start_on=date(2022, 1, 1),
                 status="filled" if n % 2 else "planned", fixed_term_until=date(2022, 12, 31))
        for n in range(count))


# four cases (the demo's three scenarios) and the chart's run; own-share splits once; the decisions' pass-throughs
# and the modules and rates of the blocks without positions (issue 11) once per engine run without a shared cache;
# the allocations once, for the modules with positions but no decision (their funded FTE, issue 11 §5); the
# county's rollover scenarios once for the comparison (rollover.selectors.scenario_additions); the base case's
# forecast (issue 12 §2): actuals and vacancies once; the comparison through actuals.forecast.case_forecasts shares
# its sources, decisions, splits and the municipalities' cost shares (issue 13) with the chart's run (``loaded``)
DASHBOARD_QUERIES = 64


@pytest.mark.parametrize("count", [10, 60])
def test_the_start_page_runs_the_same_queries_for_10_and_60_more_positions(
        client, rsk, django_assert_num_queries, count):
    grow(rsk, count)
    client.force_login(User.objects.get(username="ki-rsk"))

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("home"), {"jahr": "2022"})

    assert response.context["board"].planned_fte == Decimal("17.25") + Decimal("0.5") * count
