"""The staffing pages: positions (list, detail, create, edit, delete) and the case-management allocation page.

Figures are those of the demo data (Vorlage 002 of the Rhein-Sieg-Kreis): 19 KIM positions with
3,5 + 0,5 + 3 + 1 + 7 + 2,25 = 17,25 VZÄ, and a CM allocation of 7 VZÄ = 35 days per week.
"""
import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from kimportal import roles
from kimportal.models import Municipality, User
from kimportal.money import format_fte, format_number
from programmes.models import Module
from staffing.models import AllocationShare, CaseManagementAllocation, PayGrade, Position
from staffing.tables import AllocationTable, PositionTable
from tests.factories import (
    make_allocation, make_budget_line, make_county, make_funded_slot, make_module, make_partner, make_pay_grade,
    make_position,
)

PASSWORD = "kimportal-demo"
RSK = "rhein-sieg-kreis"
NO_DEMAND = {"Eitorf", "Ruppichteroth", "Siegburg"}
CAPACITY_MESSAGE = "Die verteilten Tage (36,00) übersteigen die Kapazität von 35,00 Tagen (7,0 VZÄ × 5)."
CONFLICT_START = "Die Stelle wurde inzwischen von jemand anderem geändert."


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def ki(client, demo_users):
    return login(client, "ki-rsk")


def rsk_position(title="Sachbearbeitung Ausländerbehörde (KIM Baustein 3)"):
    return Position.objects.get(county__slug=RSK, title=title)


def rsk_allocation():
    return CaseManagementAllocation.objects.get(county__slug=RSK, code="cm-kommunen-2021")


def position_data(position, **changes):
    """What the edit form posts for ``position`` as it is now, with ``changes`` typed in (German input)."""
    def day(value):
        return value.strftime("%d.%m.%Y") if value else ""

    data = {
        "title": position.title, "position_number": position.position_number, "holder_name": position.holder_name,
        "unit": position.unit, "module": position.module_id, "funded_slot": position.funded_slot_id or "",
        "pay_grade": position.pay_grade_id, "fte": format_fte(position.fte), "status": position.status,
        "status_since": day(position.status_since), "start_on": day(position.start_on), "end_on": day(position.end_on),
        "fixed_term_until": day(position.fixed_term_until), "employer": position.employer_id or "",
        "allocation": position.allocation_id or "", "own_share_budget_line": position.own_share_budget_line_id or "",
        "note": position.note, "version": position.version,
        "county_top_up": format_number(position.county_top_up, 2) if position.county_top_up is not None else "",
        **split_rows(position),
    }
    data.update(changes)
    return data


NO_SPLITS = {"aufteilung-TOTAL_FORMS": "0", "aufteilung-INITIAL_FORMS": "0"}


def split_rows(position, *rows):
    """The position page's rows "Aufteilung des Eigenanteils": the saved ones, then ``rows`` (dicts) added."""
    saved = [{"id": split.pk, "partner": split.partner_id, "days": format_number(split.days, 2) if split.days else "",
              "percent": format_number(split.percent, 2) if split.percent else "",
              "annual_amount": format_number(split.annual_amount, 2) if split.annual_amount else "",
              "agreement": split.agreement} for split in position.own_share_splits.all()] if position.pk else []
    data = {"aufteilung-TOTAL_FORMS": str(len(saved) + len(rows)), "aufteilung-INITIAL_FORMS": str(len(saved))}
    for i, row in enumerate(saved + list(rows)):
        data.update({f"aufteilung-{i}-{key}": value for key, value in row.items()})
    return data


def allocation_data(allocation, days=None, action="save", version=None):
    """The allocation page's POST: every municipality of the county with its saved values, ``days`` typed over."""
    shares = {share.municipality_id: share for share in allocation.shares.all()}
    municipalities = Municipality.objects.filter(county=allocation.county).order_by("name")
    data = {"action": action, "version": allocation.version if version is None else version,
            "shares-TOTAL_FORMS": len(municipalities), "shares-INITIAL_FORMS": len(municipalities),
            "shares-MIN_NUM_FORMS": 0, "shares-MAX_NUM_FORMS": 1000}
    for index, municipality in enumerate(municipalities):
        share = shares.get(municipality.pk)
        value = (days or {}).get(municipality.name, share.days if share else Decimal("0"))
        data[f"shares-{index}-municipality"] = municipality.pk
        data[f"shares-{index}-days"] = str(value).replace(".", ",")
        if share and share.no_demand:
            data[f"shares-{index}-no_demand"] = "on"
        data[f"shares-{index}-special_arrangement"] = share.special_arrangement if share else ""
    return data


def saved_days(allocation):
    return {share.municipality.name: share.days for share in allocation.shares.select_related("municipality")}


# --- position list ----------------------------------------------------------------------------------


def test_ki_staff_see_the_rhein_sieg_positions_and_the_fte_total_of_the_demo(ki):
    response = ki.get(reverse("staffing:position_list"))

    assert response.status_code == 200
    table = response.context["table"]
    assert table.paginator.count == 19
    assert table.columns["fte"].footer == "17,25"
    content = response.content.decode()
    assert "Koordination Strategische Steuerung 1" in content
    assert "<td class=\"num\">17,25</td>" in content


def test_the_fte_total_sums_the_filtered_rows_not_the_page(ki):
    module = Module.objects.get(code="kim-b3")
    response = ki.get(reverse("staffing:position_list"), {"module": module.pk})

    assert response.context["table"].paginator.count == 3
    assert response.context["table"].columns["fte"].footer == "2,25"


def test_the_fte_total_covers_every_page_of_a_long_list(client, db):
    county = make_county()
    for number in range(30):
        make_position(county=county, title=f"Stelle {number:02}", fte="0.5")
    login_new_user(client, county)

    response = client.get(reverse("staffing:position_list"))

    table = response.context["table"]
    assert len(table.page.object_list) == 25
    assert table.columns["fte"].footer == "15,0"


@pytest.mark.parametrize("field, value, expected", [
    ("programme", lambda: Module.objects.get(code="kim-b1").programme_id, 19),
    ("module", lambda: Module.objects.get(code="kim-b1").pk, 5),
    ("unit", lambda: "Einbürgerungsbehörde", 2),
    ("pay_grade", lambda: PayGrade.objects.get(code="E9a").pk, 3),
    ("status", lambda: "filled", 4),
])
def test_each_filter_narrows_the_position_list(ki, field, value, expected):
    response = ki.get(reverse("staffing:position_list"), {field: value()})

    assert response.status_code == 200
    assert response.context["table"].paginator.count == expected


def test_the_fixed_term_filter_takes_a_date_range(ki):
    Position.objects.filter(pk=rsk_position().pk).update(fixed_term_until="2023-06-30")
    url = reverse("staffing:position_list")

    assert ki.get(url, {"fixed_term_until_von": "2023-01-01"}).context["table"].paginator.count == 1
    # German dates typed by hand are accepted as well; Troisdorf's position has no fixed term.
    response = ki.get(url, {"fixed_term_until_von": "01.01.2022", "fixed_term_until_bis": "31.12.2022"})
    assert response.context["table"].paginator.count == 17


def test_filter_choices_show_only_the_users_county(client, demo_users):
    login(client, "ki-neuss")
    form = client.get(reverse("staffing:position_list")).context["filter"].form

    programmes = {programme.code for programme in form.fields["programme"].queryset}
    assert "kim" in programmes and "rsk-projektmittel" not in programmes
    assert "rsk-projektmittel" not in {module.code for module in form.fields["module"].queryset}
    # Neuss's own units only (its workbook's positions sit in "KI"), none of the Rhein-Sieg-Kreis's.
    assert list(form.fields["unit"].choices) == [("", "alle"), ("KI", "KI")]


def test_the_csv_export_contains_the_filtered_rows(ki):
    module = Module.objects.get(code="kim-b3")
    response = ki.get(reverse("staffing:position_list"), {"module": module.pk, "_export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('filename="stellen.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Bezeichnung"] for row in rows] == [
        "Sachbearbeitung Ausländerbehörde (KIM Baustein 3)", "Sachbearbeitung Einbürgerung 1 (KIM Baustein 3)",
        "Sachbearbeitung Einbürgerung 2 (KIM Baustein 3)"]
    assert {row["VZÄ"] for row in rows} == {"0.75"}


def test_the_xlsx_export_contains_the_filtered_rows(ki):
    response = ki.get(reverse("staffing:position_list"), {"status": "filled", "_export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "Bezeichnung" in header and "VZÄ" in header
    assert len(body) == 4
    assert "Case Management Stadt Troisdorf" in {row[header.index("Bezeichnung")] for row in body}


def test_names_of_staff_show_only_to_those_who_may_change_positions(client, demo_users):
    position = rsk_position()
    Position.objects.filter(pk=position.pk).update(holder_name="Erika Mustermann")

    login(client, "ki-rsk")
    assert "Erika Mustermann" in client.get(reverse("staffing:position_list")).content.decode()
    assert "Erika Mustermann" in client.get(reverse("staffing:position_detail", args=[position.pk])).content.decode()

    login(client, "finanzen-rsk")
    for url in (reverse("staffing:position_list"), reverse("staffing:position_detail", args=[position.pk]),
                reverse("staffing:position_list") + "?_export=csv"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Erika Mustermann" not in response.content.decode()
        assert "Stelleninhaber" not in response.content.decode()


def test_the_position_table_renders_every_column(demo, rf):
    table = PositionTable(Position.objects.for_table().filter(county__slug=RSK))
    html = table.as_html(rf.get("/"))

    for header in ("Bezeichnung", "Stellennummer", "Stelleninhaber/in", "Baustein", "Förderstelle",
                   "Entgeltgruppe", "VZÄ", "Status", "Beginn", "Befristet bis", "Anstellungsträger"):
        assert header in html
    assert "Stadt Troisdorf" in html and "31.12.2022" in html


# --- position detail, create, edit, delete -----------------------------------------------------------


def test_the_detail_page_shows_every_field_in_german_format(ki):
    position = rsk_position("Case Management Stadt Troisdorf")
    response = ki.get(reverse("staffing:position_detail", args=[position.pk]))

    content = response.content.decode()
    for text in ("Case Management Stadt Troisdorf", "1,0 VZÄ", "S12", "besetzt seit 01.07.2020", "01.07.2020", "Stadt Troisdorf",
                 "Kommunales Integrationsmanagement (KIM)", "Änderungsverlauf", "unbefristet"):
        assert text in content


def test_changing_a_positions_fte_to_0_75_shows_in_the_list_and_in_the_history(ki):
    position = rsk_position("Koordination Strategische Steuerung 1")

    response = ki.post(reverse("staffing:position_edit", args=[position.pk]), position_data(position, fte="0,75"))

    assert response.status_code == 302
    assert response["Location"] == reverse("staffing:position_detail", args=[position.pk])
    position.refresh_from_db()
    assert position.fte == Decimal("0.750")
    assert position.version == 2
    listing = ki.get(reverse("staffing:position_list"))
    assert listing.context["table"].columns["fte"].footer == "17,0"
    assert "0,75" in listing.content.decode()
    history = ki.get(reverse("staffing:position_detail", args=[position.pk])).context["history"]
    assert history[0]["action"] == "geändert"
    assert history[0]["user"] == User.objects.get(username="ki-rsk").get_full_name()
    assert ("Stellenanteil (VZÄ)", "1,0", "0,75") in [tuple(c) for c in history[0]["changes"]]


def test_the_history_shows_the_fte_change_from_old_to_new(client, db):
    county = make_county()
    login_new_user(client, county)
    position = make_position(county=county, fte="1")

    client.post(reverse("staffing:position_edit", args=[position.pk]), position_data(position, fte="0,75"))

    content = client.get(reverse("staffing:position_detail", args=[position.pk])).content.decode()
    assert "Stellenanteil (VZÄ): 1,0 → 0,75" in content
    assert "version" not in content


def test_a_stale_version_gets_the_conflict_message_and_keeps_the_first_save(ki):
    position = rsk_position("Koordination Strategische Steuerung 4")
    note = position.note
    url = reverse("staffing:position_edit", args=[position.pk])
    loaded_by_both = position_data(position)

    first = ki.post(url, loaded_by_both | {"fte": "1,0"})
    second = ki.post(url, loaded_by_both | {"fte": "0,25", "note": "später gespeichert"})

    assert first.status_code == 302
    assert second.status_code == 409
    errors = second.context["form"].non_field_errors()
    assert errors[0].startswith(CONFLICT_START)
    assert "Ihre Änderungen wurden nicht gespeichert" in second.content.decode()
    current = {row["label"]: row for row in second.context["conflict"]}
    assert current["Stellenanteil (VZÄ)"]["current"] == "1,0" and current["Status"]["current"] == "geplant"
    # Both changed the FTE: the form keeps the user's 0,25 and marks it.
    assert current["Stellenanteil (VZÄ)"]["mine"] == "0,25"
    position.refresh_from_db()
    assert (position.fte, position.note, position.version) == (Decimal("1.000"), note, 2)


@pytest.mark.parametrize("typed", ["0", "-0,5", "1,25", "abc"])
def test_it_refuses_an_fte_outside_0_to_1_next_to_the_field(ki, typed):
    position = rsk_position()

    response = ki.post(reverse("staffing:position_edit", args=[position.pk]), position_data(position, fte=typed))

    assert response.status_code == 200
    assert response.context["form"].errors["fte"]
    assert not response.context["form"].non_field_errors()
    position.refresh_from_db()
    assert position.fte == Decimal("0.750") and position.version == 1


def test_it_creates_a_position_for_the_users_county(ki):
    module = Module.objects.get(code="kim-b3")
    data = {"title": "Sachbearbeitung Einbürgerung 3", "unit": "Einbürgerungsbehörde", "module": module.pk,
            "pay_grade": PayGrade.objects.get(code="E9a").pk, "fte": "0,5", "status": "planned",
            "start_on": "01.01.2022", "fixed_term_until": "31.12.2022", **NO_SPLITS}

    response = ki.post(reverse("staffing:position_create"), data)

    position = Position.objects.get(title="Sachbearbeitung Einbürgerung 3")
    assert response["Location"] == reverse("staffing:position_detail", args=[position.pk])
    assert position.county.slug == RSK
    assert position.fte == Decimal("0.500")
    assert position.history.get().history_user.username == "ki-rsk"


def test_form_choices_are_limited_to_the_county_and_others_are_refused(client, demo_users):
    login(client, "ki-neuss")
    form = client.get(reverse("staffing:position_create")).context["form"]
    assert "rsk-projektmittel" not in {module.code for module in form.fields["module"].queryset}
    assert not form.fields["employer"].queryset.filter(county__slug=RSK).exists()
    assert not form.fields["allocation"].queryset.exists()
    assert not form.fields["own_share_budget_line"].queryset.filter(county__slug=RSK).exists()

    data = {"title": "Fremd", "unit": "KI", "module": Module.objects.get(code="kim-b2").pk,
            "pay_grade": PayGrade.objects.get(code="S12").pk, "fte": "1", "status": "planned",
            "start_on": "01.01.2022", "allocation": rsk_allocation().pk,
            "employer": make_partner(county=rsk_allocation().county, name="Stadt Troisdorf").pk, **NO_SPLITS}
    response = client.post(reverse("staffing:position_create"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"allocation", "employer"}
    assert not Position.objects.filter(title="Fremd").exists()


def test_a_position_with_actual_costs_is_not_deleted(ki):
    position = rsk_position()
    assert position.actual_costs.exists()  # the demo's payroll figures of 01–06/2022
    response = ki.post(reverse("staffing:position_delete", args=[position.pk]), follow=True)
    assert "kann nicht gelöscht werden, weil noch andere Einträge darauf verweisen: Ist-Kosten" in \
        response.content.decode()
    assert Position.objects.filter(pk=position.pk).exists()


def test_deleting_a_position_removes_it_and_keeps_its_history(ki):
    position = rsk_position()
    position.actual_costs.all().delete()  # a position without actual costs

    assert ki.get(reverse("staffing:position_delete", args=[position.pk])).status_code == 200
    response = ki.post(reverse("staffing:position_delete", args=[position.pk]))

    assert response["Location"] == reverse("staffing:position_list")
    assert not Position.objects.filter(pk=position.pk).exists()
    assert Position.history.filter(id=position.pk, history_type="-").exists()


# --- roles and counties --------------------------------------------------------------------------


def test_a_neuss_user_gets_404_on_a_rhein_sieg_position_and_allocation(client, demo_users):
    login(client, "ki-neuss")
    position = rsk_position()

    for name in ("position_detail", "position_edit", "position_delete"):
        assert client.get(reverse(f"staffing:{name}", args=[position.pk])).status_code == 404
    assert client.post(reverse("staffing:position_edit", args=[position.pk]), position_data(position)).status_code == 404
    assert client.get(reverse("staffing:allocation_detail", args=[rsk_allocation().pk])).status_code == 404
    assert client.post(reverse("staffing:allocation_detail", args=[rsk_allocation().pk]),
                       allocation_data(rsk_allocation())).status_code == 404
    # The list shows Neuss's own positions (from its workbook), none of the Rhein-Sieg-Kreis's.
    listed = client.get(reverse("staffing:position_list")).context["table"].data.data
    assert listed and {position.county.slug for position in listed} == {"rhein-kreis-neuss"}


def test_the_committee_gets_403_on_edit_get_and_post(client, demo_users):
    login(client, "ausschuss-rsk")
    position = rsk_position()

    for url in (reverse("staffing:position_create"), reverse("staffing:position_edit", args=[position.pk]),
                reverse("staffing:position_delete", args=[position.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, position_data(position, fte="0,5")).status_code == 403
    allocation_url = reverse("staffing:allocation_detail", args=[rsk_allocation().pk])
    assert client.post(allocation_url, allocation_data(rsk_allocation(), {"Hennef (Sieg)": "0"})).status_code == 403
    position.refresh_from_db()
    assert position.fte == Decimal("0.750")
    assert rsk_allocation().version == 1


def test_finance_reads_positions_and_allocations_but_may_not_change_them(client, demo_users):
    login(client, "finanzen-rsk")
    position = rsk_position()

    assert client.get(reverse("staffing:position_list")).status_code == 200
    assert client.get(reverse("staffing:position_edit", args=[position.pk])).status_code == 403
    page = client.get(reverse("staffing:allocation_detail", args=[rsk_allocation().pk]))
    assert page.status_code == 200
    assert "Speichern" not in page.content.decode()
    assert client.post(reverse("staffing:allocation_detail", args=[rsk_allocation().pk]),
                       allocation_data(rsk_allocation())).status_code == 403


@pytest.mark.parametrize("name, with_pk", [("position_list", False), ("position_create", False),
                                           ("position_detail", True), ("position_edit", True),
                                           ("position_delete", True), ("allocation_list", False),
                                           ("allocation_detail", True)])
def test_anonymous_users_are_sent_to_the_login_page(client, demo, name, with_pk):
    pk = (rsk_allocation() if name.startswith("allocation") else rsk_position()).pk
    response = client.get(reverse(f"staffing:{name}", args=[pk] if with_pk else []))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- query counts ----------------------------------------------------------------------------------


def login_new_user(client, county, role=roles.KI_STAFF):
    user = User.objects.create_user(username=f"user-{county.slug}", password=PASSWORD, county=county)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def many_positions(county, count):
    """``count`` positions across modules, pay grades, partners and an allocation, as a real list has them."""
    modules = [make_module(), make_module(code="kim-b1", name="Baustein 1")]
    grades = [make_pay_grade(), make_pay_grade(code="S12")]
    partner = make_partner(county=county)
    slot, allocation, line = make_funded_slot(module=modules[0]), make_allocation(county=county), make_budget_line(
        county=county)
    for number in range(count):
        make_position(county=county, title=f"Stelle {number:03}", module=modules[number % 2],
                      pay_grade=grades[number % 2], fte="0.5", funded_slot=slot if number % 2 == 0 else None,
                      employer=partner if number % 3 == 0 else None, allocation=allocation,
                      own_share_budget_line=line, fixed_term_until="2022-12-31", status="filled")


LIST_QUERIES = 12
DETAIL_QUERIES = 10  # with the own-share split rows and their history (staffing.splits), the vacancies (actuals)


@pytest.mark.parametrize("count", [10, 500])
def test_the_position_list_runs_the_same_queries_for_10_and_500_positions(client, db, django_assert_num_queries,
                                                                          count):
    county = make_county()
    many_positions(county, count)
    login_new_user(client, county)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("staffing:position_list"), {"status": "filled"})

    assert response.context["table"].paginator.count == count


@pytest.mark.parametrize("count", [10, 500])
def test_the_position_detail_runs_the_same_queries_for_10_and_500_positions(client, db, django_assert_num_queries,
                                                                            count):
    county = make_county()
    many_positions(county, count)
    login_new_user(client, county)
    position = Position.objects.filter(county=county, employer__isnull=False, funded_slot__isnull=False).first()

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("staffing:position_detail", args=[position.pk]))

    assert response.status_code == 200


# --- case-management allocation ------------------------------------------------------------------


def test_the_allocation_list_shows_the_countys_allocations(ki):
    response = ki.get(reverse("staffing:allocation_list"))

    assert response.status_code == 200
    assert "CM-Einsatz in den Kommunen 2021/2022" in response.content.decode()
    row = response.context["table"].rows[0]
    assert row.get_cell("allocated_days") == "35,0"
    assert row.get_cell("capacity_days") == "35,0"


def test_the_allocation_table_exports_as_csv(ki):
    response = ki.get(reverse("staffing:allocation_list"), {"_export": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Bezeichnung"], row["verteilt (Tage pro Woche)"]) for row in rows] == [
        ("CM-Einsatz in den Kommunen 2021/2022", "35")]


def test_the_allocation_table_renders(demo, rf):
    html = AllocationTable(CaseManagementAllocation.objects.all()).as_html(rf.get("/"))
    assert "Kapazität (Tage pro Woche)" in html


def test_the_allocation_page_shows_every_municipality_with_capacity_total_and_rest(ki):
    allocation = rsk_allocation()
    response = ki.get(reverse("staffing:allocation_detail", args=[allocation.pk]))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 19
    assert [row["municipality"].name for row in rows][:3] == ["Alfter", "Bad Honnef", "Bornheim"]
    assert response.context["capacity_days"] == Decimal("35")
    assert response.context["total_days"] == Decimal("35")
    assert response.context["left_days"] == Decimal("0")
    content = response.content.decode()
    # German text inputs (1,5): a number input follows the browser's locale and drops typed letters.
    assert 'name="shares-0-days" value="2,0" inputmode="decimal"' in content
    assert 'type="number"' not in content
    assert "kimportal/allocation.js" in content
    assert "Vorschlag nach Einwohnerzahl" in content
    assert 'id="allocation-total"' in content


def test_the_proposal_by_population_sums_to_35_days_in_half_days_without_saving(ki):
    allocation = rsk_allocation()
    before = saved_days(allocation)

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, action="propose"))

    assert response.status_code == 200
    proposal = {row["municipality"].name: row["form"].initial["days"] for row in response.context["rows"]}
    assert sum(proposal.values()) == Decimal("35")
    assert response.context["total_days"] == Decimal("35")
    assert all(days % Decimal("0.5") == 0 for days in proposal.values())
    assert all(days == 0 or days >= Decimal("2.5") for days in proposal.values())
    assert {name for name in NO_DEMAND} <= {name for name, days in proposal.items() if days == 0}
    assert proposal["Troisdorf"] == 0
    assert proposal["Sankt Augustin"] > proposal["Much"]
    assert saved_days(allocation) == before
    assert rsk_allocation().version == 1


def test_a_saved_proposal_is_kept(ki):
    allocation = rsk_allocation()
    url = reverse("staffing:allocation_detail", args=[allocation.pk])
    proposal = {row["municipality"].name: row["form"].initial["days"]
                for row in ki.post(url, allocation_data(allocation, action="propose")).context["rows"]}

    response = ki.post(url, allocation_data(allocation, proposal))

    assert response.status_code == 302
    assert saved_days(allocation) == proposal
    assert rsk_allocation().version == 2


def test_saving_36_days_is_refused_and_keeps_35(ki):
    allocation = rsk_allocation()
    before = saved_days(allocation)

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, {"Hennef (Sieg)": "2"}))

    assert response.status_code == 200
    assert response.context["errors"] == [CAPACITY_MESSAGE]
    assert CAPACITY_MESSAGE in response.content.decode()
    assert response.context["total_days"] == Decimal("36")
    assert saved_days(allocation) == before
    assert rsk_allocation().allocated_days() == Decimal("35")
    assert rsk_allocation().version == 1


def test_moving_a_day_between_municipalities_saves_all_of_them(ki):
    allocation = rsk_allocation()

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, {"Hennef (Sieg)": "1,5", "Niederkassel": "2,5"}))

    assert response.status_code == 302
    days = saved_days(allocation)
    assert (days["Hennef (Sieg)"], days["Niederkassel"]) == (Decimal("1.50"), Decimal("2.50"))
    assert rsk_allocation().version == 2
    assert AllocationShare.history.filter(municipality__name="Hennef (Sieg)", history_type="~").exists()


@pytest.mark.parametrize("days, error", [("0,3", "halben Tagen"), ("-1", "größer oder gleich 0")])
def test_it_refuses_days_that_are_not_half_days(ki, days, error):
    allocation = rsk_allocation()

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, {"Hennef (Sieg)": days}))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert saved_days(allocation)["Hennef (Sieg)"] == Decimal("1.00")


@pytest.mark.parametrize("typed, message", [
    ("abc", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),
    ("2a", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),
    ("", "Bitte die Tage angeben – 0, wenn die Kommune keine erhält."),
    ("   ", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),
    # Python's Decimal reads these; a page once answered 500 for them (fresh-user trial of issue 9).
    ("NaN", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),
    ("Infinity", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),
    ("sNaN", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),
])
def test_unreadable_or_empty_days_are_refused_next_to_the_field_and_nothing_is_saved(ki, typed, message):
    # Issue 9, §6: letters in Alfter's days once reached the server as an empty field and were saved as 0.
    allocation = rsk_allocation()
    before = saved_days(allocation)
    assert before["Alfter"] == Decimal("2.00")

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, {"Alfter": typed, "Hennef (Sieg)": "0,5"}))

    assert response.status_code == 200
    alfter = next(row for row in response.context["rows"] if row["municipality"].name == "Alfter")
    assert alfter["form"].errors["days"] == [message]
    assert response.context["errors"] == [f"Alfter: {message}"]
    content = response.content.decode()
    # The message stands in Alfter's cell, right after the input that keeps what was typed.
    cell = content.split('name="shares-0-days"', 1)[1].split("</td>", 1)[0]
    assert message in cell
    assert 'aria-invalid="true"' in cell
    assert f'value="{typed}"' in cell or not typed.strip()
    assert saved_days(allocation) == before
    assert rsk_allocation().version == 1


def test_days_are_read_as_german_numbers(ki):
    allocation = rsk_allocation()

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, {"Alfter": "1,5", "Hennef (Sieg)": "1.5"}))

    assert response.status_code == 302
    days = saved_days(allocation)
    assert (days["Alfter"], days["Hennef (Sieg)"]) == (Decimal("1.50"), Decimal("1.50"))


def test_days_for_a_municipality_without_demand_are_refused(ki):
    allocation = rsk_allocation()

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                       allocation_data(allocation, {"Eitorf": "1", "Hennef (Sieg)": "0"}))

    assert "Eine Kommune ohne Bedarf erhält keine Tage." in response.content.decode()
    assert saved_days(allocation)["Eitorf"] == 0


def test_a_stale_allocation_version_is_refused_with_the_current_values(ki):
    allocation = rsk_allocation()
    url = reverse("staffing:allocation_detail", args=[allocation.pk])
    loaded = allocation_data(allocation)
    hennef = next(key for key, value in loaded.items()
                  if key.endswith("-municipality") and value == Municipality.objects.get(name="Hennef (Sieg)").pk)
    days_key = hennef.replace("-municipality", "-days")

    assert ki.post(url, loaded | {days_key: "0"}).status_code == 302
    response = ki.post(url, loaded | {days_key: "0,5"})

    assert response.status_code == 409
    assert response.context["errors"][0].startswith(
        "Die CM-Einsatzplanung wurde inzwischen von jemand anderem geändert. Aktuelle Werte: Alfter 2,0")
    assert "Summe 34,0 von 35,0 Tagen" in response.context["errors"][0]
    assert saved_days(allocation)["Hennef (Sieg)"] == 0
    assert rsk_allocation().version == 2


def test_a_tampered_municipality_list_is_refused(ki):
    allocation = rsk_allocation()
    data = allocation_data(allocation)
    neuss_municipality = Municipality.objects.exclude(county=allocation.county).first()
    data["shares-0-municipality"] = neuss_municipality.pk

    response = ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]), data)

    assert response.status_code == 200
    assert "Die Liste der Kommunen ist nicht mehr aktuell" in response.content.decode()
    assert not AllocationShare.objects.filter(municipality=neuss_municipality).exists()
