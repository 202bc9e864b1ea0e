"""Vacancies in the browser (issue 12 §4): KI staff and finance officers record, correct and delete a position's
vacancies; the forecast loses the grant, the plan stays. Real figures of the demo: Case Management in den Kommunen 7
(KI-B2-11) vacant 01.01.–31.03.2022 loses 3/12 × 55.000 € = 13.750 €; a second B2 post with 1,0 VZÄ vacant in May
2022 loses 1/12 × 55.000 € = 4.583,33 € more."""
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from actuals.forecast import case_forecasts
from actuals.models import Vacancy
from staffing.models import Position
from tests.conftest import logged_in_client

from .helpers import rsk

pytestmark = pytest.mark.usefixtures("demo_users")


def position(number: str) -> Position:
    return Position.objects.get(county=rsk(), position_number=number)


def demo_vacancy() -> Vacancy:
    return Vacancy.objects.get(position=position("KI-B2-11"))


def base_2022():
    return case_forecasts(rsk(), date(2022, 1, 1), date(2022, 12, 1), scenarios=[None])


def lost_grant_2022() -> D:
    return base_2022().forecasts[0].total("lost_grant")


def plan_own_share_2022() -> D:
    return base_2022().comparison.results[0].total("own_share")


def page_of(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def shown_messages(response) -> list[str]:
    return [m.strip() for m in re.findall(r'<li class="message[^"]*">(.*?)</li>', page_of(response), re.S)]


def create_url(pos: Position) -> str:
    return reverse("actuals:vacancy_create", args=[pos.pk])


def form_data(**fields) -> dict:
    """What the browser posts for a new vacancy."""
    return {"start_on": "", "end_on": "", "note": "", "version": "", **fields}


def test_a_vacancy_recorded_in_the_browser_costs_the_forecast_4583_33_euros_of_grant():
    plan = plan_own_share_2022()
    assert lost_grant_2022() == D("13750.00")
    cm6 = position("KI-B2-10")  # Case Management in den Kommunen 6, 1,0 VZÄ
    client = logged_in_client("ki-rsk")

    response = client.post(create_url(cm6), form_data(start_on="01.05.2022", end_on="31.05.2022",
                                                         note="Elternzeit ohne Vertretung"), follow=True)

    assert response.redirect_chain == [(reverse("staffing:position_detail", args=[cm6.pk]), 302)]
    assert shown_messages(response) == [
        "Vakanz gespeichert: Case Management in den Kommunen 6: unbesetzt 01.05.2022–31.05.2022. Hochrechnung: "
        "Vakanz Case Management in den Kommunen 6 05/2022: 1/12 × 55.000 € × 1,0 VZÄ = 4.583,33 € Förderung "
        "entfallen."]
    vacancy = Vacancy.objects.get(position=cm6)
    assert (vacancy.start_on, vacancy.end_on, vacancy.county, vacancy.version) == (
        date(2022, 5, 1), date(2022, 5, 31), rsk(), 1)
    assert lost_grant_2022() == D("18333.33")  # 13.750,00 € + 4.583,33 €
    assert plan_own_share_2022() == plan  # the plan stays as planned
    text = page_of(response)
    assert "<td>01.05.2022</td><td>31.05.2022</td><td>Elternzeit ohne Vertretung</td>" in text
    assert f'href="/ist-kosten/vakanzen/{vacancy.pk}/bearbeiten/"' in text


def test_the_position_page_lists_the_vacancies_and_offers_to_record_one():
    cm7 = position("KI-B2-11")
    text = page_of(logged_in_client("ki-rsk").get(reverse("staffing:position_detail", args=[cm7.pk])))
    assert '<h2 id="vacancies-heading">Vakanzen</h2>' in text
    assert ("<td>01.01.2022</td><td>31.03.2022</td><td>Kündigung zum 31.12.2021, Nachbesetzung zum 01.04.2022</td>"
            in text)
    assert f'<a class="button" href="/ist-kosten/stellen/{cm7.pk}/vakanzen/neu/">Vakanz erfassen</a>' in text
    # An open vacancy: "offen"
    Vacancy.objects.create(county=rsk(), position=cm7, start_on=date(2022, 10, 1))
    text = page_of(logged_in_client("ki-rsk").get(reverse("staffing:position_detail", args=[cm7.pk])))
    assert "<td>01.10.2022</td><td>offen</td><td>–</td>" in text
    other = position("KI-B2-10")
    text = page_of(logged_in_client("ki-rsk").get(reverse("staffing:position_detail", args=[other.pk])))
    assert "Für diese Stelle ist keine Vakanz erfasst." in text


def test_an_overlapping_vacancy_is_refused_and_nothing_is_saved():
    cm7 = position("KI-B2-11")
    response = logged_in_client("ki-rsk").post(create_url(cm7), form_data(start_on="01.03.2022"))
    assert response.status_code == 200
    assert shown_messages(response) == ["Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert."]
    assert ("Für diese Stelle ist in diesem Zeitraum schon eine Vakanz erfasst (01.01.2022–31.03.2022)."
            in page_of(response))
    assert Vacancy.objects.filter(position=cm7).count() == 1
    assert lost_grant_2022() == D("13750.00")


def test_a_vacancy_before_the_position_starts_is_refused_naming_the_term():
    cm7 = position("KI-B2-11")  # from 01.09.2021, without an end
    response = logged_in_client("ki-rsk").post(create_url(cm7), form_data(start_on="01.08.2021",
                                                                             end_on="31.08.2021"))
    assert response.status_code == 200
    assert ("Die Vakanz muss in der Laufzeit der Stelle liegen: Die Stelle läuft ab dem 01.09.2021 (ohne Ende)."
            in page_of(response))
    assert Vacancy.objects.filter(position=cm7).count() == 1


def test_a_vacancy_starting_after_the_position_ends_is_refused():
    cm6 = position("KI-B2-10")
    Position.objects.filter(pk=cm6.pk).update(end_on=date(2022, 12, 31))
    response = logged_in_client("ki-rsk").post(create_url(cm6), form_data(start_on="01.01.2023"))
    assert ("Die Vakanz muss in der Laufzeit der Stelle liegen: Die Stelle läuft vom 01.09.2021 bis 31.12.2022."
            in page_of(response))
    assert not Vacancy.objects.filter(position=cm6).exists()
    # The last day of the term is still in it.
    response = logged_in_client("ki-rsk").post(create_url(cm6), form_data(start_on="31.12.2022"))
    assert response.status_code == 302


@pytest.mark.parametrize("start_on, end_on, problem", [
    ("31.02.2022", "", "Bitte ein gültiges Datum eingeben."),
    ("", "", "Dieses Feld ist zwingend erforderlich."),
    ("01.06.2022", "31.05.2022", "„unbesetzt bis“ darf nicht vor „unbesetzt ab“ liegen."),
])
def test_bad_dates_are_named_in_german_and_nothing_is_saved(start_on, end_on, problem):
    cm6 = position("KI-B2-10")
    response = logged_in_client("ki-rsk").post(create_url(cm6), form_data(start_on=start_on, end_on=end_on))
    assert response.status_code == 200 and problem in page_of(response)
    assert not Vacancy.objects.filter(position=cm6).exists()


def test_the_form_shows_german_dates():
    text = page_of(logged_in_client("ki-rsk").get(reverse("actuals:vacancy_edit", args=[demo_vacancy().pk])))
    assert 'name="start_on" value="01.01.2022"' in text and 'name="end_on" value="31.03.2022"' in text
    assert 'type="date"' not in text
    assert "Die Stelle läuft ab dem 01.09.2021 (ohne Ende)." in text


def test_correcting_a_vacancy_moves_the_forecast_and_keeps_the_history():
    vacancy = demo_vacancy()
    client = logged_in_client("ki-rsk")
    url = reverse("actuals:vacancy_edit", args=[vacancy.pk])
    response = client.post(url, {"start_on": "01.01.2022", "end_on": "28.02.2022", "note": vacancy.note,
                                 "version": vacancy.version}, follow=True)
    assert "Vakanz gespeichert" in shown_messages(response)[0]
    assert "2/12 × 55.000 € × 1,0 VZÄ = 9.166,67 € Förderung entfallen" in shown_messages(response)[0]
    vacancy.refresh_from_db()
    assert (vacancy.end_on, vacancy.version) == (date(2022, 2, 28), 2)
    assert lost_grant_2022() == D("9166.67")  # 2/12 × 55.000 €
    history = page_of(client.get(url))
    assert "31.03.2022" in history and "28.02.2022" in history  # the change history shows the old and new end


def test_deleting_a_vacancy_asks_first_and_the_forecast_loses_no_grant():
    vacancy = demo_vacancy()
    client = logged_in_client("ki-rsk")
    url = reverse("actuals:vacancy_delete", args=[vacancy.pk])
    confirm = page_of(client.get(url))
    assert ("Soll die Vakanz „Case Management in den Kommunen 7: unbesetzt 01.01.2022–31.03.2022“ endgültig "
            "gelöscht werden?" in confirm)
    assert Vacancy.objects.filter(pk=vacancy.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("staffing:position_detail", args=[vacancy.position_id]), 302)]
    assert shown_messages(response) == [
        "„Case Management in den Kommunen 7: unbesetzt 01.01.2022–31.03.2022“ wurde gelöscht."]
    assert not Vacancy.objects.filter(pk=vacancy.pk).exists()
    assert lost_grant_2022() == 0


def test_another_countys_position_and_vacancies_answer_404():
    cm7, vacancy = position("KI-B2-11"), demo_vacancy()
    client = logged_in_client("ki-neuss")
    assert client.get(create_url(cm7)).status_code == 404
    assert client.post(create_url(cm7), form_data(start_on="01.06.2022")).status_code == 404
    assert client.get(reverse("actuals:vacancy_edit", args=[vacancy.pk])).status_code == 404
    assert client.post(reverse("actuals:vacancy_edit", args=[vacancy.pk]), {
        "start_on": "01.01.2022", "end_on": "", "version": vacancy.version}).status_code == 404
    assert client.post(reverse("actuals:vacancy_delete", args=[vacancy.pk])).status_code == 404
    assert Vacancy.objects.filter(position=cm7).count() == 1
    vacancy.refresh_from_db()
    assert vacancy.end_on == date(2022, 3, 31)


def test_committee_members_may_not_record_vacancies():
    cm7, vacancy = position("KI-B2-11"), demo_vacancy()
    client = logged_in_client("ausschuss-rsk")
    assert client.get(create_url(cm7)).status_code == 403
    assert client.post(create_url(cm7), form_data(start_on="01.06.2022")).status_code == 403
    assert client.get(reverse("actuals:vacancy_edit", args=[vacancy.pk])).status_code == 403
    assert client.post(reverse("actuals:vacancy_delete", args=[vacancy.pk])).status_code == 403
    assert Vacancy.objects.filter(position=cm7).count() == 1


def test_finance_officers_record_vacancies_too():
    cm6 = position("KI-B2-10")
    response = logged_in_client("finanzen-rsk").post(create_url(cm6), form_data(start_on="01.05.2022",
                                                                                   end_on="31.05.2022"))
    assert response.status_code == 302
    assert lost_grant_2022() == D("18333.33")


def test_the_later_of_two_edits_is_refused_and_the_first_stays():
    vacancy = demo_vacancy()
    url = reverse("actuals:vacancy_edit", args=[vacancy.pk])
    first, second = logged_in_client("ki-rsk"), logged_in_client("ki-rsk")
    loaded = {"start_on": "01.01.2022", "end_on": "31.03.2022", "note": vacancy.note, "version": vacancy.version}

    assert first.post(url, {**loaded, "end_on": "28.02.2022"}).status_code == 302
    refused = second.post(url, {**loaded, "end_on": "30.04.2022"})

    assert refused.status_code == 409
    text = page_of(refused)
    assert "inzwischen von jemand anderem geändert" in text and "Aktueller Stand in der Datenbank" in text
    assert "Ihre Eingabe: 30.04.2022" in text
    vacancy.refresh_from_db()
    assert (vacancy.end_on, vacancy.version) == (date(2022, 2, 28), 2)
    assert lost_grant_2022() == D("9166.67")


def test_an_edit_without_the_loaded_version_is_refused():
    vacancy = demo_vacancy()
    response = logged_in_client("ki-rsk").post(reverse("actuals:vacancy_edit", args=[vacancy.pk]), {
        "start_on": "01.01.2022", "end_on": "28.02.2022", "note": ""})
    assert response.status_code == 200 and "Die geladene Fassung fehlt" in page_of(response)
    vacancy.refresh_from_db()
    assert vacancy.end_on == date(2022, 3, 31)
