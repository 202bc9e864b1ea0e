"""The audit page (/protokoll/): every change in the reader's county, for finance officers and administrators.

Figures of the demo data: the Rhein-Sieg position "Sachbearbeitung Ausländerbehörde (KIM Baustein 3)" has
0,75 VZÄ in E9a; Alfter has 2 CM days a week in "CM-Einsatz in den Kommunen 2021/2022".
"""
import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.filters import ChangeFilterForm
from audit.selectors import ChangeFilter, ChangeRows, change_rows, record_types
from audit.tables import ChangeLogTable
from programmes.models import Application, FundingRate
from staffing.models import Position
from tests.audit.conftest import login
from tests.staffing.test_views import allocation_data, rsk_allocation

pytestmark = pytest.mark.django_db
URL = reverse("audit:changelog")
POSITION = "Sachbearbeitung Ausländerbehörde (KIM Baustein 3)"
NEUSS_APPLICATION = "Kommunales Integrationsmanagement – Antrag Rhein-Kreis Neuss"


def rows(response) -> list[dict]:
    return [row.record for row in response.context["table"].page.object_list]


def delete_the_position(ki):
    position = Position.objects.get(county__slug="rhein-sieg-kreis", title=POSITION)
    position.actual_costs.all().delete()  # a position with actual costs is not deleted (actuals.models)
    assert ki.post(reverse("staffing:position_delete", args=[position.pk])).status_code == 302


def test_finance_officers_and_administrators_may_read_it_ki_staff_and_the_committee_may_not(demo_users):
    assert login("finanzen-rsk").get(URL).status_code == 200
    assert login("admin").get(URL).status_code == 200
    assert login("ki-rsk").get(URL).status_code == 403
    assert login("ausschuss-rsk").get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, demo):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


def test_a_deleted_position_is_listed_with_its_last_values(ki, finance):
    delete_the_position(ki)

    newest = rows(finance.get(URL, {"art": "staffing.position"}))[0]

    assert (newest["action"], newest["kind"], newest["object"]) == ("gelöscht", "Stelle", POSITION)
    assert newest["user"] == "Kira Integrationszentrum"
    assert ("Stellenanteil (VZÄ)", "", "0,75") in newest["changes"]
    assert ("Entgeltgruppe", "", "E9a") in newest["changes"]
    content = finance.get(URL, {"art": "staffing.position"}).content.decode()
    assert "Stellenanteil (VZÄ): 0,75" in content


def test_alfters_changed_days_are_listed_as_a_change_of_the_allocation(ki, finance):
    allocation = rsk_allocation()
    ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]), allocation_data(allocation, days={"Alfter": "1,5"}))

    newest = rows(finance.get(URL))[0]

    assert newest["kind"] == "CM-Einsatz einer Kommune"
    assert newest["object"] == "CM-Einsatz in den Kommunen 2021/2022 · Alfter"
    assert newest["changes"] == [("Tage pro Woche", "2,00", "1,50")]


def test_changes_of_another_county_are_not_shown(ki, finance):
    neuss = login("ki-neuss")
    application = Application.objects.get(title=NEUSS_APPLICATION)
    neuss.post(reverse("programmes:applicationstep_create", args=[application.pk]),
               {"kind": "other", "occurred_on": "01.09.2021"})

    assert not rows(finance.get(URL, {"eintrag": "Rhein-Kreis Neuss"}))
    assert rows(login("admin").get(URL, {"eintrag": "Rhein-Kreis Neuss"}))[0]["county"] == "Rhein-Kreis Neuss"


def test_an_administrator_sees_all_counties_or_the_one_chosen(demo_users):
    admin = login("admin")
    counties = {row["county"] for row in rows(admin.get(URL, {"art": "programmes.application"}))}
    assert counties == {"Rhein-Sieg-Kreis", "Rhein-Kreis Neuss"}
    rsk = admin.get(URL).context["filter"]["form"].fields["kreis"].queryset.get(slug="rhein-sieg-kreis")
    counties = {row["county"] for row in rows(admin.get(URL, {"art": "programmes.application", "kreis": rsk.pk}))}
    assert counties == {"Rhein-Sieg-Kreis"}


def test_finance_officers_get_no_county_choice(finance):
    assert "kreis" not in finance.get(URL).context["filter"]["form"].fields


def test_each_filter_narrows_the_list(ki, finance):
    # The demo data was recorded as loaded on 01.06.2021; the deletion happens today.
    Position.history.update(history_date=timezone.make_aware(datetime(2021, 6, 1, 12)))
    delete_the_position(ki)
    kira = finance.get(URL).context["filter"]["form"].fields["benutzer"].queryset.get(username="ki-rsk")
    today = timezone.localdate()

    # Deleting the position also deleted the scenario's assumption about it.
    assert [r["object"] for r in rows(finance.get(URL, {"benutzer": kira.pk}))] == [
        POSITION, "Baustein 3 – Variante 2 (3 × 1,0 VZÄ) · Stellen-Annahme Sachbearbeitung Ausländerbehörde "
                  "(KIM Baustein 3) (gelöscht)"]
    assert [r["action"] for r in rows(finance.get(URL, {"von": f"{today:%d.%m.%Y}", "art": "staffing.position"}))
            ] == ["gelöscht"]
    assert {r["action"] for r in rows(finance.get(URL, {"bis": "01.06.2021", "art": "staffing.position"}))
            } == {"angelegt"}
    assert rows(finance.get(URL, {"von": "02.06.2021", "bis": f"{today - timedelta(days=1):%d.%m.%Y}"})) == []
    assert {r["kind"] for r in rows(finance.get(URL, {"art": "budgeting.scenario"}))} == {"Szenario"}
    assert {r["object"] for r in rows(finance.get(URL, {"eintrag": "Ausländerbehörde", "art": "staffing.position"}))
            } == {POSITION}


def test_it_searches_rows_by_their_parents_and_their_labels_name(ki, finance):
    allocation = rsk_allocation()
    ki.post(reverse("staffing:allocation_detail", args=[allocation.pk]), allocation_data(allocation, days={"Alfter": "1,5"}))

    by_municipality = rows(finance.get(URL, {"eintrag": "Alfter", "art": "staffing.allocationshare"}))
    by_parent = rows(finance.get(URL, {"eintrag": "CM-Einsatz in den Kommunen", "art": "staffing.allocationshare"}))

    assert by_municipality[0]["changes"] == [("Tage pro Woche", "2,00", "1,50")]
    assert {r["object"].split(" · ")[1] for r in by_municipality} == {"Alfter"}
    assert len(by_parent) > len(by_municipality)


def test_a_period_that_ends_before_it_starts_is_refused(demo_users):
    form = ChangeFilterForm({"von": "02.01.2022", "bis": "01.01.2022"}, county=None)
    assert form.errors == {"bis": ["„bis“ darf nicht vor „von“ liegen."]}


def test_the_csv_export_contains_the_filtered_rows(ki, finance):
    delete_the_position(ki)

    response = finance.get(URL, {"art": "staffing.position", "_export": "csv"})

    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Zeitpunkt", "Benutzer/in", "Aktion", "Art des Eintrags", "Eintrag", "Kreis", "Werte"]
    deleted = lines[1]
    assert deleted[1:6] == ["Kira Integrationszentrum", "gelöscht", "Stelle", POSITION, "Rhein-Sieg-Kreis"]
    assert "Stellenanteil (VZÄ): 0,75" in deleted[6]


def test_the_xlsx_export_contains_the_filtered_rows_with_real_dates(ki, finance):
    delete_the_position(ki)

    response = finance.get(URL, {"art": "staffing.position", "_export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    first = [cell.value for cell in sheet[2]]
    assert first[1:5] == ["Kira Integrationszentrum", "gelöscht", "Stelle", POSITION]
    assert first[0].date() == timezone.localdate()
    assert sheet.max_row == 1 + Position.history.filter(county_id=Position.history.first().county_id).count()


def test_the_names_of_position_holders_are_hidden_from_those_who_may_not_see_them(ki, finance):
    position = Position.objects.get(county__slug="rhein-sieg-kreis", title=POSITION)
    position.holder_name = "Erika Mustermann"
    position.save()

    assert "Erika Mustermann" not in finance.get(URL).content.decode()
    assert "Erika Mustermann" in login("admin").get(URL).content.decode()


def test_the_table_renders_every_column(ki, finance):
    delete_the_position(ki)
    data = ChangeRows(change_rows(ChangeFilter(county=Position.history.first().county_id,
                                               kinds=("staffing.position",))))
    html = ChangeLogTable(data[0:3]).as_html(finance.get(URL).wsgi_request)
    assert "<ul><li>Kreis: Rhein-Sieg-Kreis</li><li>Bezeichnung: " + POSITION in html
    assert "gelöscht" in html


QUERIES = 18


@pytest.mark.parametrize("changes", [3, 30])
def test_the_page_runs_the_same_queries_however_many_changes_there_are(ki, finance, django_assert_num_queries,
                                                                      changes):
    position = Position.objects.get(county__slug="rhein-sieg-kreis", title=POSITION)
    for number in range(changes):
        position.note = f"Notiz {number}"
        position.save()
    delete_the_position(ki)

    # Log-in and permissions, count and page, the positions' records and their predecessors, one query per
    # kind of record the changes name, the user choices: the same for 23 or 50 rows.
    with django_assert_num_queries(QUERIES):
        response = finance.get(URL, {"art": "staffing.position"})
    assert response.status_code == 200 and len(rows(response)) == min(changes + 20, 50)


@pytest.mark.parametrize("kind", [label for label, _ in record_types()])
def test_every_kind_of_record_can_be_listed_for_a_county_and_for_all(demo_users, kind):
    assert login("finanzen-rsk").get(URL, {"art": kind, "eintrag": "a"}).status_code == 200
    assert login("admin").get(URL, {"art": kind}).status_code == 200


def test_a_change_of_the_lands_reference_data_is_shown_to_every_county(demo_users):
    rate = FundingRate.objects.filter(module__programme__county__isnull=True, cost_type="personnel").first()
    rate.source = "Änderungsliste 2022"
    rate.save()

    newest = rows(login("finanzen-rsk").get(URL, {"art": "programmes.fundingrate"}))[0]

    assert (newest["county"], newest["action"]) == ("Land (alle Kreise)", "geändert")
    assert newest["changes"][0][1:] == (rate.history.all()[1].source or "–", "Änderungsliste 2022")
