"""The budgeting pages on the demo data: own shares, coverage sources, appropriations, scenarios."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import reset_queries
from django.urls import reverse

from budgeting.models import (
    Appropriation, BudgetLine, CoverageSource, Scenario, ScenarioPositionOverride, StatedFigure,
)
from kimportal.models import County
from staffing.models import Position

PASSWORD = "kimportal-demo"
NBSP = "\u00a0"
B1 = "kim-b1-koordination"
V1 = "Baustein 3 – Variante 1 (3 × 0,75 VZÄ)"
V2 = "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"


def euro(text: str) -> str:
    return text.replace(" €", f"{NBSP}€")


@pytest.fixture
def login(client, demo_users):
    def as_user(username):
        assert client.login(username=username, password=PASSWORD)
        return client
    return as_user


@pytest.fixture
def rsk():
    return County.objects.get(slug="rhein-sieg-kreis")


@pytest.fixture
def source(demo_users, rsk):
    return CoverageSource.objects.get(county=rsk, name="Integrationspauschale (§ 14c TIntG)")


@pytest.fixture
def scenario(demo_users, rsk):
    return Scenario.objects.get(county=rsk, name=V2)


def coverage_data(source, **changes):
    data = {
        "name": source.name, "kind": source.kind, "legal_basis": source.legal_basis,
        "amount": "1.900.000,00", "balance": "450.000,00", "balance_as_of": "27.05.2021",
        "balance_free_from": "01.12.2021",
        "usable_until": "30.11.2021", "extension_status": source.extension_status, "extended_until": "",
        "proof_of_use_due": "", "note": source.note, "version": str(source.version),
        **formset_management("fristen", 0, 0),
    }
    data.update(changes)
    return data


def formset_management(prefix, total, initial):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def scenario_data(scenario, **changes):
    overrides = list(scenario.position_overrides.order_by("pk"))
    data = {"name": scenario.name, "description": scenario.description, "position": str(scenario.position),
            "version": str(scenario.version),
            **formset_management("stellen", len(overrides), len(overrides)),
            **formset_management("deckung", 0, 0)}
    for index, override in enumerate(overrides):
        data.update({f"stellen-{index}-id": str(override.pk), f"stellen-{index}-scenario": str(scenario.pk),
                     f"stellen-{index}-position": str(override.position_id),
                     f"stellen-{index}-fte": "1,0"})
    data.update(changes)
    return data


# --------------------------------------------------------------------------- own-share page


def test_the_own_share_page_shows_the_figures_of_the_paper_and_the_risk_range(login):
    response = login("ki-rsk").get(reverse("budgeting:calculation"))
    assert response.status_code == 200
    text = response.content.decode()
    for figure in ("158.644 €", "10.335 €", "258.818 €", "82.533 €", "150.669 €"):
        assert euro(figure) in text
    assert euro("Risikospanne: 60.330 € – 578.466 €") in text
    assert euro("3,5 VZÄ × 70.091 € = 245.319 €") in text
    assert V1 in text and V2 in text


def test_the_own_share_page_shows_the_stated_figures_with_their_differences(login):
    text = login("finanzen-rsk").get(reverse("budgeting:calculation")).content.decode()
    assert euro("laut Vorlage 10.317 €, berechnet 10.335 €, Differenz -18 €") in text
    assert euro("laut Vorlage 258.820 €, berechnet 258.818 €, Differenz +2 €") in text


def test_finance_reads_the_own_shares_but_gets_no_form_for_stated_figures(login):
    response = login("finanzen-rsk").get(reverse("budgeting:calculation"))
    assert response.status_code == 200
    assert reverse("budgeting:statedfigure_create") not in response.content.decode()
    assert login("finanzen-rsk").post(reverse("budgeting:statedfigure_create"), {}).status_code == 403


def test_the_period_and_scenarios_can_be_chosen_and_a_german_month_is_accepted(login, scenario):
    response = login("ki-rsk").get(reverse("budgeting:calculation"),
                                   {"start": "12.2021", "end": "2022-12", "scenarios": [scenario.pk]})
    text = response.content.decode()
    assert response.status_code == 200
    assert euro("Risikospanne: 510.330 € – 578.466 €") in text
    assert [r.name for r in response.context["results"]] == ["Planstand", V2]


def test_without_scenarios_only_the_base_case_is_computed(login):
    response = login("ki-rsk").get(reverse("budgeting:calculation"), {"start": "2021-12", "end": "2022-12"})
    assert euro("Risikospanne: 510.330 €<") in response.content.decode()
    assert [r.name for r in response.context["results"]] == ["Planstand"]


@pytest.mark.parametrize("start, end", [("13.2021", "12.2022"), ("gestern", "2022-12"), ("2022-12", "2021-12"), ("", "")])
def test_a_bad_period_gives_a_german_error_not_a_server_error(login, start, end):
    response = login("ki-rsk").get(reverse("budgeting:calculation"), {"start": start, "end": end})
    assert response.status_code == 200
    assert "Bitte den Zeitraum korrigieren" in response.content.decode()


def test_the_default_period_is_the_papers_where_there_is_data_and_else_the_current_year(login, rsk):
    from budgeting.selectors import default_period

    assert default_period(rsk) == (date(2021, 12, 1), date(2022, 12, 1))
    empty = County.objects.create(slug="leerkreis", name="Leerkreis")
    year = date.today().year
    assert default_period(empty) == (date(year, 1, 1), date(year, 12, 1))
    assert login("ki-rsk").get(reverse("budgeting:calculation")).context["start"] == date(2021, 12, 1)


def test_recording_a_stated_figure_shows_its_difference(login, rsk):
    client = login("ki-rsk")
    response = client.post(reverse("budgeting:statedfigure_create"), {
        "start": "2021-12", "end": "2022-12", "scenario": "", "block_key": B1, "field": "own_share",
        "amount": "158.000", "source": "Vorlage 002, Seite 5",
    }, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert euro("berechnet 158.644 €, Differenz -644 €") in text
    figure = StatedFigure.objects.get(county=rsk, block_key=B1, field="own_share", scenario=None,
                                      period_start=date(2021, 12, 1), period_end=date(2022, 12, 31))
    assert figure.amount == Decimal("158000.00") and figure.source == "Vorlage 002, Seite 5"


def test_a_stated_figure_for_an_unknown_block_is_refused_with_a_german_error(login, rsk):
    before = StatedFigure.objects.count()
    response = login("ki-rsk").post(reverse("budgeting:statedfigure_create"), {
        "start": "2021-12", "end": "2022-12", "block_key": "erfunden", "field": "own_share", "amount": "1",
        "source": "x",
    })
    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert StatedFigure.objects.count() == before


def test_a_stated_figure_with_a_forged_period_saves_nothing(login):
    before = StatedFigure.objects.count()
    response = login("ki-rsk").post(reverse("budgeting:statedfigure_create"), {
        "start": "2021-99", "end": "2022-12", "block_key": B1, "field": "own_share", "amount": "1", "source": "x"},
        follow=True)
    assert "Der Zeitraum ist ungültig" in response.content.decode()
    assert StatedFigure.objects.count() == before


def test_the_committee_gets_403_on_the_own_share_page(login):
    assert login("ausschuss-rsk").get(reverse("budgeting:calculation")).status_code == 403


# --------------------------------------------------------------------------- coverage sources


def test_the_coverage_list_and_detail_show_balance_dates_and_extension(login, source):
    client = login("finanzen-rsk")
    assert source.name in client.get(reverse("budgeting:coverage_list")).content.decode()
    text = client.get(reverse("budgeting:coverage_detail", args=[source.pk])).content.decode()
    for expected in (euro("450.000,00 €"), "27.05.2021", "30.11.2021", "Verlängerung offen",
                     "Restbetrag im Zeitverlauf", "05/2021", "11/2021", "nutzbar bis 30.11.2021", "Änderungsverlauf"):
        assert expected in text


def test_the_balance_over_time_uses_the_engine_forecast(login, source):
    forecast = login("ki-rsk").get(reverse("budgeting:coverage_detail", args=[source.pk])).context["forecast"]
    rows = forecast["rows"]
    # The preview stops at the last usable month (nutzbar bis 30.11.2021; tests/provisions/test_coverage_preview.py).
    assert rows[0]["month"] == date(2021, 5, 1) and rows[-1]["month"] == date(2021, 11, 1)
    assert rows[-1]["remaining"] == source.balance - sum(row["used"] for row in rows)
    assert rows[-1]["remaining"] >= 0


def test_finance_can_edit_a_coverage_source_in_german_format(login, source):
    client = login("finanzen-rsk")
    response = client.post(reverse("budgeting:coverage_edit", args=[source.pk]),
                           coverage_data(source, balance="412.345,67", extension_status="granted",
                                         extended_until="31.12.2022"))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.balance == Decimal("412345.67") and source.extended_until == date(2022, 12, 31)
    assert source.version == 2
    text = client.get(reverse("budgeting:coverage_detail", args=[source.pk])).content.decode()
    assert euro("412.345,67 €") in text and "31.12.2022" in text
    assert "finanzen-rsk" in text or "geändert" in text


def test_the_committee_gets_403_on_editing_a_coverage_source(login, source):
    client = login("ausschuss-rsk")
    assert client.get(reverse("budgeting:coverage_edit", args=[source.pk])).status_code == 403
    assert client.post(reverse("budgeting:coverage_edit", args=[source.pk]), coverage_data(source)).status_code == 403
    assert client.get(reverse("budgeting:coverage_create")).status_code == 403


def test_a_stale_version_is_refused_with_the_current_values_and_nothing_saved(login, source):
    client = login("finanzen-rsk")
    stale = coverage_data(source, balance="300.000,00")
    assert client.post(reverse("budgeting:coverage_edit", args=[source.pk]),
                       coverage_data(source, balance="400.000,00")).status_code == 302
    response = client.post(reverse("budgeting:coverage_edit", args=[source.pk]), stale)
    assert response.status_code == 409
    text = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in text
    assert euro("400.000,00 €") in text
    source.refresh_from_db()
    assert source.balance == Decimal("400000.00") and source.version == 2


def test_a_coverage_source_with_an_extension_before_its_end_is_refused(login, source):
    response = login("ki-rsk").post(reverse("budgeting:coverage_edit", args=[source.pk]),
                                    coverage_data(source, extended_until="01.01.2021"))
    assert response.status_code == 200
    assert "Die Verlängerung muss nach dem bisherigen Ende liegen." in response.content.decode()


def test_ki_staff_can_create_a_coverage_source(login, rsk):
    response = login("ki-rsk").post(reverse("budgeting:coverage_create"), {
        "name": "Rücklage KI", "kind": "reserve", "balance": "25.000", "balance_as_of": "01.01.2023",
        "usable_until": "31.12.2024", "extension_status": "none", "version": "1", **formset_management("fristen", 0, 0)})
    created = CoverageSource.objects.get(county=rsk, name="Rücklage KI")
    assert response.status_code == 302 and response["Location"] == reverse("budgeting:coverage_detail",
                                                                           args=[created.pk])
    assert created.balance == Decimal("25000.00")


def test_neuss_gets_404_on_the_coverage_source_and_scenario_of_rhein_sieg(login, source, scenario):
    client = login("ki-neuss")
    for name in ("coverage_detail", "coverage_edit"):
        assert client.get(reverse(f"budgeting:{name}", args=[source.pk])).status_code == 404
    for name in ("scenario_detail", "scenario_edit", "scenario_delete"):
        assert client.get(reverse(f"budgeting:{name}", args=[scenario.pk])).status_code == 404
    assert client.post(reverse("budgeting:scenario_delete", args=[scenario.pk])).status_code == 404
    assert source.name not in client.get(reverse("budgeting:coverage_list")).content.decode()


def test_anonymous_users_are_sent_to_login(client, source):
    response = client.get(reverse("budgeting:coverage_detail", args=[source.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --------------------------------------------------------------------------- appropriations


def test_the_appropriations_are_listed_filtered_and_exported(login):
    client = login("finanzen-rsk")
    text = client.get(reverse("budgeting:appropriation_list")).content.decode()
    assert "31.10.01-KIM-CM" in text and euro("121.140,00 €") in text
    filtered = client.get(reverse("budgeting:appropriation_list"), {"fiscal_year": "2021"})
    assert list(filtered.context["table"].data) and all(a.fiscal_year == 2021 for a in filtered.context["table"].data)
    csv = client.get(reverse("budgeting:appropriation_list"), {"fiscal_year": "2022", "_export": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode()
    assert "121140" in body and "10095" not in body
    xlsx = client.get(reverse("budgeting:appropriation_list"), {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_finance_creates_and_edits_an_appropriation(login, rsk):
    client = login("finanzen-rsk")
    line = BudgetLine.objects.get(county=rsk, code="31.10.01-KIM-CM")
    assert client.post(reverse("budgeting:appropriation_create"), {
        "budget_line": line.pk, "fiscal_year": "2023", "amount": "130.500,50", "note": "", "version": "1",
    }).status_code == 302
    appropriation = Appropriation.objects.get(budget_line=line, fiscal_year=2023)
    assert appropriation.amount == Decimal("130500.50")
    assert client.post(reverse("budgeting:appropriation_edit", args=[appropriation.pk]), {
        "budget_line": line.pk, "fiscal_year": "2023", "amount": "131.000", "note": "Nachtrag", "version": "1",
    }).status_code == 302
    appropriation.refresh_from_db()
    assert appropriation.amount == Decimal("131000.00") and appropriation.version == 2


def test_a_second_appropriation_for_the_same_line_and_year_is_refused(login, rsk):
    line = BudgetLine.objects.get(county=rsk, code="31.10.01-KIM-CM")
    response = login("finanzen-rsk").post(reverse("budgeting:appropriation_create"), {
        "budget_line": line.pk, "fiscal_year": "2022", "amount": "1", "version": "1"})
    assert response.status_code == 200
    assert Appropriation.objects.filter(budget_line=line, fiscal_year=2022).count() == 1


def test_a_budget_line_of_another_county_cannot_be_chosen(login, rsk):
    line = BudgetLine.objects.get(county=rsk, code="31.10.01-KIM-CM")
    response = login("ki-neuss").post(reverse("budgeting:appropriation_create"), {
        "budget_line": line.pk, "fiscal_year": "2030", "amount": "1", "version": "1"})
    assert response.status_code == 200
    assert not Appropriation.objects.filter(fiscal_year=2030).exists()


# --------------------------------------------------------------------------- scenarios


def test_the_scenarios_are_listed_and_shown_with_their_overrides(login, scenario):
    client = login("finanzen-rsk")
    assert V2 in client.get(reverse("budgeting:scenario_list")).content.decode()
    text = client.get(reverse("budgeting:scenario_detail", args=[scenario.pk])).content.decode()
    assert "Stellen-Annahmen" in text and "1,0" in text and "Änderungsverlauf" in text


def test_a_scenario_is_saved_with_its_overrides_in_one_go(login, rsk):
    position = Position.objects.filter(county=rsk).order_by("pk").first()
    source = CoverageSource.objects.filter(county=rsk).first()
    data = {"name": "Stelle halbiert", "description": "", "position": "3",
            **formset_management("stellen", 1, 0), **formset_management("deckung", 1, 0),
            "stellen-0-position": str(position.pk), "stellen-0-fte": "0,5",
            "deckung-0-source": str(source.pk), "deckung-0-usable_until": "31.12.2023", "deckung-0-balance": ""}
    response = login("ki-rsk").post(reverse("budgeting:scenario_create"), data)
    created = Scenario.objects.get(county=rsk, name="Stelle halbiert")
    assert response.status_code == 302
    assert created.position_overrides.get().fte == Decimal("0.500")
    assert created.coverage_overrides.get().usable_until == date(2023, 12, 31)


def test_scenario_save_with_an_invalid_override_saves_nothing(login, scenario):
    data = scenario_data(scenario, name="Umbenannt", **{"stellen-0-fte": "1,5"})
    response = login("ki-rsk").post(reverse("budgeting:scenario_edit", args=[scenario.pk]), data)
    assert response.status_code == 200
    assert "höchstens 1 VZÄ" in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.name == V2
    assert sorted(scenario.position_overrides.values_list("fte", flat=True)) == [Decimal("1.000")] * 3


def test_a_position_of_another_county_cannot_be_overridden(login, rsk):
    template = Position.objects.filter(county=rsk).first()
    neuss_position = Position.objects.create(
        county=County.objects.get(slug="rhein-kreis-neuss"), title="Koordination", module=template.module,
        pay_grade=template.pay_grade, fte=Decimal("1"), start_on=date(2022, 1, 1))
    data = {"name": "Fremd", "description": "", "position": "0",
            **formset_management("stellen", 1, 0), **formset_management("deckung", 0, 0),
            "stellen-0-position": str(neuss_position.pk), "stellen-0-fte": "0,5"}
    response = login("ki-rsk").post(reverse("budgeting:scenario_create"), data)
    assert response.status_code == 200
    assert not Scenario.objects.filter(name="Fremd").exists()


def test_ki_staff_delete_a_scenario_and_the_committee_may_not(login, scenario):
    assert login("ausschuss-rsk").post(reverse("budgeting:scenario_delete", args=[scenario.pk])).status_code == 403
    assert login("ki-rsk").post(reverse("budgeting:scenario_delete", args=[scenario.pk])).status_code == 302
    assert not Scenario.objects.filter(pk=scenario.pk).exists()
    assert not ScenarioPositionOverride.objects.filter(scenario_id=scenario.pk).exists()


@pytest.mark.parametrize("name", ["scenario_create", "appropriation_create", "coverage_create"])
def test_the_committee_gets_403_on_create_pages(login, name):
    client = login("ausschuss-rsk")
    assert client.get(reverse(f"budgeting:{name}")).status_code == 403
    assert client.post(reverse(f"budgeting:{name}"), {}).status_code == 403


# --------------------------------------------------------------------------- deadlines page


def test_the_deadlines_page_lists_past_ones_on_request_and_exports_them(login):
    client = login("ki-rsk")
    text = client.get(reverse("budgeting:deadlines"), {"zeitraum": "alle"}).content.decode()
    assert "31.12.2022" in text and "Befristung endet" in text and "Ziel fällig" in text
    export = client.get(reverse("budgeting:deadlines"), {"zeitraum": "alle", "_export": "csv"})
    assert export["Content-Type"].startswith("text/csv") and "Befristung endet" in export.content.decode()
    assert client.get(reverse("budgeting:deadlines"), {"_export": "xlsx"}).content[:2] == b"PK"


def test_the_deadlines_page_shows_only_upcoming_ones_by_default(login):
    response = login("ki-rsk").get(reverse("budgeting:deadlines"))
    today = date.today()
    assert all(d.date >= today or d.overdue for d in response.context["table"].data)


# --------------------------------------------------------------------------- query counts


def grow(rsk, factor):
    """More positions, coverage sources, appropriations and scenarios with overrides for the county."""
    line = BudgetLine.objects.get(county=rsk, code="31.10.01-KIM-CM")
    positions = list(Position.objects.filter(county=rsk).order_by("pk")[:5])
    template = positions[0]
    for index in range(factor):
        Position.objects.create(county=rsk, title=f"Zusätzlich {index}", module=template.module,
                                funded_slot=template.funded_slot, pay_grade=template.pay_grade, fte=Decimal("0.5"),
                                start_on=date(2022, 1, 1), fixed_term_until=date(2024, 1, 1) + timedelta(index))
        CoverageSource.objects.create(county=rsk, name=f"Rücklage {index}", balance=Decimal("1000"),
                                      balance_as_of=date(2022, 1, 1), usable_until=date(2023, 12, 31) + timedelta(index))
        Appropriation.objects.create(budget_line=line, fiscal_year=2030 + index, amount=Decimal("1000"))
        scenario = Scenario.objects.create(county=rsk, name=f"Szenario {index}")
        for position in positions:
            ScenarioPositionOverride.objects.create(scenario=scenario, position=position, fte=Decimal("0.5"))


def shrink(rsk):
    CoverageSource.objects.filter(county=rsk, name__startswith="Rücklage ").delete()
    Appropriation.objects.filter(fiscal_year__gte=2030).delete()
    Scenario.objects.filter(county=rsk, name__startswith="Szenario ").delete()
    Position.objects.filter(county=rsk, title__startswith="Zusätzlich ").delete()


@pytest.mark.parametrize("url_name, needs, queries", [
    ("coverage_list", None, 7), ("appropriation_list", None, 8), ("scenario_list", None, 7),
    # calculation: the county's rollover scenarios once per comparison (rollover.selectors.scenario_additions), the
    # actual costs and the vacancies of the period once (the forecast, actuals.forecast), the municipalities' cost
    # shares once for all cases (issue 13)
    ("deadlines", None, 13), ("calculation", None, 33),
    # The scenario's history merges its assumptions' history (kimportal.history): 2 kinds of row, 1 name;
    # the source's, its deadlines by purpose; the engine reads the sources with their deadlines and the decisions once,
    # the decisions' pass-throughs, and the modules and rates of the blocks without positions (issue 11) once.
    ("coverage_detail", "source", 25), ("scenario_detail", "scenario", 13),
])
def test_list_and_detail_pages_run_the_same_queries_at_two_data_sizes(
        login, rsk, source, scenario, django_assert_num_queries, url_name, needs, queries):
    client = login("finanzen-rsk")
    url = reverse(f"budgeting:{url_name}", args=[{"source": source, "scenario": scenario}[needs].pk] if needs else [])
    if url_name == "calculation":
        # Each chosen case is one run of the engine's reads; the number of cases is the user's choice.
        url += f"?start=2021-12&end=2022-12&scenarios={scenario.pk}"
    for size in (10, 500):
        shrink(rsk)
        grow(rsk, size)
        reset_queries()  # growing ran more queries than Django's query log keeps, which would hide the count
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_stated_figure_address_opened_directly_shows_the_own_share_page_with_the_form(login):
    response = login("ki-rsk").get(reverse("budgeting:statedfigure_create"))
    assert response.status_code == 200
    assert "Betrag laut Vorlage erfassen" in response.content.decode()


def test_a_deadline_by_purpose_is_saved_with_the_source_and_a_wrong_one_saves_nothing(login, source):
    """Rhein-Kreis Neuss: the Integrationspauschale for KIM until 30.06.2020, everything else until 30.11.2020."""
    from budgeting.models import CoverageWindow
    from programmes.models import Module, Programme

    client = login("finanzen-rsk")
    kim, other = Programme.objects.get(code="kim"), Programme.objects.get(code="komm-an")
    wrong = coverage_data(source, **formset_management("fristen", 1, 0), **{
        "fristen-0-programme": str(kim.pk), "fristen-0-module": str(Module.objects.get(code="komm-an-1").pk),
        "fristen-0-usable_until": "30.06.2021"}, balance="400.000,00")
    response = client.post(reverse("budgeting:coverage_edit", args=[source.pk]), wrong)
    assert response.status_code == 200
    assert "Der Baustein gehört zu einem anderen Programm." in response.content.decode()
    source.refresh_from_db()
    assert source.balance == Decimal("450000.00") and not CoverageWindow.objects.exists()

    right = coverage_data(source, **formset_management("fristen", 1, 0), **{
        "fristen-0-programme": str(kim.pk), "fristen-0-module": "", "fristen-0-usable_until": "30.06.2021"})
    assert client.post(reverse("budgeting:coverage_edit", args=[source.pk]), right).status_code == 302
    (window,) = CoverageWindow.objects.filter(source=source)
    assert (window.programme, window.module, window.usable_until) == (kim, None, date(2021, 6, 30))
    assert other not in {w.programme for w in source.windows.all()}
