"""The actual-cost pages: KI staff and finance officers of the county; upload, mapping, preview, confirm, undo,
the month grid. Committee members get 403, another county's user 404."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse

from actuals.models import ActualCost, ImportBatch
from staffing.models import Position
from tests.conftest import logged_in_client

from .helpers import csv, rsk

pytestmark = pytest.mark.usefixtures("demo_users")
JAN = date(2022, 1, 1)


def upload(client, content: bytes, name="ist.csv"):
    buffer = BytesIO(content)
    buffer.name = name
    return client.post(reverse("actuals:upload"), {"file": buffer})


def coordinator():
    return Position.objects.get(county=rsk(), position_number="KI-B1-01")


def test_ki_staff_and_finance_officers_open_the_pages_the_committee_gets_403():
    batch = ImportBatch.objects.get(county=rsk())
    urls = [reverse("actuals:import_list"), reverse("actuals:upload"),
            reverse("actuals:import_detail", args=[batch.pk]), reverse("actuals:position_actuals", args=[coordinator().pk])]
    for username in ("ki-rsk", "finanzen-rsk"):
        client = logged_in_client(username)
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
    committee = logged_in_client("ausschuss-rsk")
    for url in urls:
        assert committee.get(url).status_code == 403
    assert committee.post(reverse("actuals:import_undo", args=[batch.pk])).status_code == 403
    neuss = logged_in_client("ki-neuss")
    assert neuss.get(urls[2]).status_code == 404 and neuss.get(urls[3]).status_code == 404
    assert neuss.post(reverse("actuals:import_undo", args=[batch.pk])).status_code == 404
    assert ImportBatch.objects.get(pk=batch.pk).undone_at is None


def test_the_navigation_and_the_position_page_link_to_the_actuals():
    client = logged_in_client("finanzen-rsk")
    page = client.get(reverse("staffing:position_detail", args=[coordinator().pk])).content.decode()
    assert reverse("actuals:import_list") in page and reverse("actuals:position_actuals", args=[coordinator().pk]) in page
    # Committee members read the dashboard's forecast, but get no link to the actual-cost pages.
    assert reverse("actuals:import_list") not in logged_in_client("ausschuss-rsk").get("/").content.decode()


def test_upload_preview_and_confirm():
    client = logged_in_client("ki-rsk")
    preview = upload(client, csv("KI-B1-01;01.2022;Personalkosten;9.000,00", "KI-B1-02;07.2022;PK;9.100,00"))
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "2 Zeilen: 1 neu, 1 ersetzt, 0 unverändert" in text and "8.878,33\u00a0€" in text
    assert ImportBatch.objects.count() == 1
    done = client.post(reverse("actuals:confirm"))
    batch = ImportBatch.objects.latest("pk")
    assert done.status_code == 302 and done["Location"] == reverse("actuals:import_detail", args=[batch.pk])
    assert batch.user.username == "ki-rsk" and batch.totals == {"2022-01": "9000.00", "2022-07": "9100.00"}
    assert ActualCost.objects.get(position=coordinator(), month=JAN).amount == Decimal("9000")
    assert client.post(reverse("actuals:confirm")).status_code == 302  # the file is gone: nothing imported twice
    assert ImportBatch.objects.count() == 2


def test_a_bad_file_shows_every_error_and_saves_nothing():
    client = logged_in_client("ki-rsk")
    response = upload(client, csv("KI-B1-01;13.2022;PK;1", "KI-B1-01;01.2022;PK;abc"))
    text = response.content.decode()
    assert response.status_code == 422 and "(2 Fehler)" in text
    assert "Zeile 2, Spalte Monat: „13.2022“ ist kein Monat (MM.JJJJ)." in text
    assert client.post(reverse("actuals:confirm")).status_code == 302 and ImportBatch.objects.count() == 1


def test_other_headers_are_mapped_on_the_page():
    client = logged_in_client("finanzen-rsk")
    content = "Stelle;Buchungsmonat;Ist-Betrag\r\nKI-B3-01;08.2022;5.300,00\r\n".encode()
    response = upload(client, content)
    assert response.status_code == 200 and "Spalten zuordnen" in response.content.decode()
    preview = client.post(reverse("actuals:mapping"), {"position_number": "0", "month": "1", "amount": "2",
                                                       "cost_type": "fixed:personnel"})
    assert "1 Zeile: 1 neu" in preview.content.decode()
    client.post(reverse("actuals:confirm"))
    figure = ActualCost.objects.get(position__position_number="KI-B3-01", month=date(2022, 8, 1))
    assert (figure.cost_type, figure.amount) == ("personnel", Decimal("5300"))


def test_the_undo_button_restores_the_values():
    client = logged_in_client("ki-rsk")
    upload(client, csv("KI-B1-01;01.2022;PK;9.000,00"))
    client.post(reverse("actuals:confirm"))
    batch = ImportBatch.objects.latest("pk")
    detail = client.get(reverse("actuals:import_detail", args=[batch.pk])).content.decode()
    assert f'href="{reverse("actuals:import_undo", args=[batch.pk])}"' in detail
    # The button leads to a confirmation page first: what comes back, what goes; nothing changes yet.
    confirm = client.get(reverse("actuals:import_undo", args=[batch.pk]))
    text = confirm.content.decode().replace("\u00a0", " ")
    assert confirm.status_code == 200 and "Monate 01.2022." in text
    assert confirm.context["undo"].summary() == "1 Wert wiederhergestellt, 0 entfernt"
    assert '<td class="num">1</td><td class="num">9.000,00 €</td><td class="num">8.878,33 €</td>' in text
    assert ActualCost.objects.get(position=coordinator(), month=JAN).amount == Decimal("9000")
    response = client.post(reverse("actuals:import_undo", args=[batch.pk]), follow=True)
    assert "wurde rückgängig gemacht: 1 Wert wiederhergestellt, 0 entfernt." in response.content.decode()
    assert ActualCost.objects.get(position=coordinator(), month=JAN).amount == Decimal("8878.33")
    again = client.get(reverse("actuals:import_undo", args=[batch.pk]), follow=True)
    assert "ist schon rückgängig gemacht" in again.content.decode()


def test_the_month_grid_enters_and_corrects_figures_by_hand():
    client = logged_in_client("ki-rsk")
    url = reverse("actuals:position_actuals", args=[coordinator().pk])
    page = client.get(url)
    form = page.context["form"]
    data = {"jahr": "2022", "loaded": form.initial["loaded"]}
    data.update({name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
                 if name != "loaded"})
    data.update({"m01_personnel": "8.900,00", "m02_personnel": "", "m01_material": "808,33"})
    response = client.post(url, data)
    assert response.status_code == 302
    figures = dict(ActualCost.objects.filter(position=coordinator(), month__lte=date(2022, 2, 1))
                   .values_list("month", "amount").order_by("month", "cost_type"))
    assert ActualCost.objects.get(position=coordinator(), month=JAN, cost_type="personnel").amount == Decimal("8900")
    assert date(2022, 2, 1) not in figures
    # The same page again (it still shows 8.878,33 for January): refused, the later value stays.
    stale = client.post(url, {**data, "m01_personnel": "1,00"})
    assert stale.status_code == 409 and "inzwischen geändert" in stale.content.decode()
    assert ActualCost.objects.get(position=coordinator(), month=JAN, cost_type="personnel").amount == Decimal("8900")
    bad = client.post(url, {**data, "m03_personnel": "-5"})
    assert bad.status_code == 400 and "Der Betrag darf nicht negativ sein." in bad.content.decode()
    assert logged_in_client("ausschuss-rsk").post(url, data).status_code == 403


def grid_data(form, year: int) -> dict:
    data = {"jahr": str(year), "loaded": form.initial["loaded"]}
    data.update({name: "" if form[name].value() is None else str(form[name].value()) for name in form.fields
                 if name != "loaded"})
    return data


def test_the_month_grid_refuses_months_outside_the_positions_term_and_in_the_future_like_the_import():
    client = logged_in_client("finanzen-rsk")
    position = Position.objects.get(county=rsk(), position_number="KI-B2-11")  # runs from 01.09.2021
    url = reverse("actuals:position_actuals", args=[position.pk])
    form = client.get(url, {"jahr": "2021"}).context["form"]
    before = client.post(url, {**grid_data(form, 2021), "m08_personnel": "4.000,00"})
    text = before.content.decode()
    assert before.status_code == 400
    assert "„08.2021“ liegt außerhalb der Laufzeit der Stelle (01.09.2021–…)." in text
    assert not ActualCost.objects.filter(position=position, month__year=2021).exists()
    next_year = date.today().year + 1
    form = client.get(url, {"jahr": str(next_year)}).context["form"]
    future = client.post(url, {**grid_data(form, next_year), "m01_personnel": "4.000,00"})
    assert future.status_code == 400 and f"„01.{next_year}“ liegt in der Zukunft" in future.content.decode()
    assert not ActualCost.objects.filter(position=position, month__year=next_year).exists()
