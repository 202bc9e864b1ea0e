"""The proof-of-use pages (issue 12 §4, §5): the Rhein-Sieg-Kreis's KIM Baustein 2 grant for 2022 lost 13.750 € to
the case-management post vacant January to March; the Integrationspauschale's proof was submitted on 29.03.2023."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from programmes.models import GrantDecision, PassThrough
from proofs.models import ProofOfUse, RecipientProof
from tests.conftest import logged_in_client
from tests.test_lost_updates import loaded_form

pytestmark = pytest.mark.usefixtures("demo_users")

KIM_B2_2022 = "/verwendungsnachweise/bescheid/5/2022/"


def text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


@pytest.fixture
def lebensabend():
    """Guter Lebensabend NRW 2021–2022, 160.000 €, passed on to the Caritasverband Rhein-Sieg."""
    return GrantDecision.objects.get(county__slug="rhein-sieg-kreis", programme__code="guter-lebensabend")


def test_the_overview_shows_the_repayment_of_kim_baustein_2_for_2022():
    response = logged_in_client("finanzen-rsk").get("/verwendungsnachweise/", {"jahr": "2022"})
    assert response.status_code == 200
    page = text(response)
    row = next(r for r in response.context["table"].data.data if r["pk"] == 5)
    assert (row["granted"], row["received"], row["grant_due"], row["repayment"], row["still_to_call"]) == (
        D("605000"), D("605000"), D("591250"), D("13750"), D("0"))
    assert "605.000,00 €" in page and "591.250,00 €" in page and "13.750,00 €" in page
    assert "Für 2022 zurückzuzahlen: 13.750,00 €" in page
    assert "überfällig seit 30.06.2023" in page and f'href="{KIM_B2_2022}"' in page
    # The coverage sources' proofs below
    assert "Integrationspauschale (§ 14c TIntG)" in page and "eingereicht am 29.03.2023" in page


def test_without_a_year_the_newest_year_that_has_ended_is_shown_and_a_bad_one_is_explained():
    client = logged_in_client("ki-rsk")
    assert client.get("/verwendungsnachweise/").context["year"] == 2022  # decisions run 2020–2022
    response = client.get("/verwendungsnachweise/", {"jahr": "abc"})
    assert response.status_code == 200 and "„abc“ ist kein Haushaltsjahr; angezeigt wird 2022." in text(response)
    response = client.get("/verwendungsnachweise/", {"jahr": "1999"})
    assert "Für 1999 hat Ihr Kreis keine Zuwendungsbescheide; angezeigt wird 2022." in text(response)


def test_the_overview_exports_the_figures_as_numbers():
    response = logged_in_client("finanzen-rsk").get("/verwendungsnachweise/", {"jahr": "2022", "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    line = next(line for line in response.content.decode("utf-8-sig").splitlines() if "Baustein 2 – Case" in line)
    assert "605000" in line and "591250" in line and "13750" in line


def test_the_detail_page_shows_the_statement_and_the_settlement():
    response = logged_in_client("finanzen-rsk").get(KIM_B2_2022)
    assert response.status_code == 200
    page = text(response)
    assert "Verwendungsnachweis 2022: Kommunales Integrationsmanagement (KIM) – Baustein 2 – Case Management" in page
    # Settlement: granted, received, due after the vacancy, repayment
    assert "<dt>Bewilligt</dt><dd>605.000,00 €" in page
    assert "<dt>Erhalten</dt><dd>605.000,00 €" in page
    assert ("<strong>591.250,00 €</strong> (geplante Förderung 605.000,00 € abzüglich 13.750,00 €, die für "
            "unbesetzte Monate entfallen)") in page
    assert "<dt>Zurückzuzahlen</dt><dd><strong>13.750,00 €</strong>" in page
    # The statement: the grant as received (605.000), less the repayment of 13.750 (income adds up to spending)
    assert "Zuwendung des Landes (erhalten)" in page and "abzüglich Rückzahlung an das Land" in page
    assert "-13.750,00 €" in page
    assert "Ist bzw. Hochrechnung" in page and "Summe der Ausgaben" in page and "Summe der Einnahmen" in page
    # Actuals exist for January to June 2022 only
    assert "für 6 Monate liegen noch keine Ist-Kosten vor" in page
    assert "KI-B2-11 war nach einer Kündigung" in page  # the Sachbericht
    assert "überfällig seit 30.06.2023" in page


def test_the_sachbericht_is_saved_with_a_history_row():
    client = logged_in_client("ki-rsk")
    record = ProofOfUse.objects.get(decision_id=5, fiscal_year=2022)
    rows_before = record.history.count()
    url = f"{KIM_B2_2022}bearbeiten/"
    values = loaded_form(client, url)
    response = client.post(url, {**values, "factual_report": "Elf Stellen, eine davon drei Monate unbesetzt.",
                                 "submitted_on": "28.06.2023"})
    assert response.status_code == 302 and response["Location"] == KIM_B2_2022
    record.refresh_from_db()
    assert record.factual_report == "Elf Stellen, eine davon drei Monate unbesetzt."
    assert record.submitted_on == date(2023, 6, 28) and record.version == 2
    assert record.history.count() == rows_before + 1
    page = text(client.get(KIM_B2_2022))
    assert "Elf Stellen, eine davon drei Monate unbesetzt." in page and "eingereicht am 28.06.2023" in page
    edit = text(client.get(url))
    assert "Änderungsverlauf" in edit and "Sachbericht" in edit and "Elf Stellen" in edit


def test_a_checked_date_without_a_submitted_date_is_refused_and_nothing_is_saved():
    client = logged_in_client("finanzen-rsk")
    record = ProofOfUse.objects.get(decision_id=5, fiscal_year=2022)
    url = f"{KIM_B2_2022}bearbeiten/"
    values = loaded_form(client, url)
    response = client.post(url, {**values, "checked_on": "15.07.2023", "checked_by": "Bezirksregierung Arnsberg",
                                 "factual_report": "geändert"})
    assert response.status_code == 200
    page = text(response)
    assert "Geprüft werden kann nur ein eingereichter Nachweis; bitte „eingereicht am“ angeben." in page
    assert "es wurde nichts gespeichert" in page
    stored = ProofOfUse.objects.get(pk=record.pk)
    assert (stored.checked_on, stored.checked_by, stored.version) == (None, "", record.version)
    assert stored.factual_report == record.factual_report


def test_a_date_in_the_future_is_refused():
    client = logged_in_client("finanzen-rsk")
    url = f"{KIM_B2_2022}bearbeiten/"
    response = client.post(url, {**loaded_form(client, url), "submitted_on": "01.01.2099"})
    assert response.status_code == 200 and "Der 01.01.2099 liegt in der Zukunft." in text(response)
    assert ProofOfUse.objects.get(decision_id=5, fiscal_year=2022).submitted_on is None


def test_an_interim_proof_is_created_on_its_first_save(lebensabend):
    client = logged_in_client("ki-rsk")
    url = reverse("proofs:decision_edit", kwargs={"decision_pk": lebensabend.pk, "year": 2021})
    values = loaded_form(client, url)
    assert values["version"] == "0" and not ProofOfUse.objects.filter(decision=lebensabend).exists()
    response = client.post(url, {**values, "due_on": "30.04.2022", "submitted_on": "20.04.2022"})
    assert response.status_code == 302
    record = ProofOfUse.objects.get(decision=lebensabend, fiscal_year=2021)
    assert (record.county.slug, record.due_on, record.version) == ("rhein-sieg-kreis", date(2022, 4, 30), 1)
    page = text(client.get(response["Location"]))
    assert "Zwischennachweis 2021" in page and "eingereicht am 20.04.2022" in page


def test_a_proof_created_meanwhile_by_someone_else_is_a_conflict(lebensabend):
    url = reverse("proofs:decision_edit", kwargs={"decision_pk": lebensabend.pk, "year": 2022})
    first, second = logged_in_client("ki-rsk"), logged_in_client("finanzen-rsk")
    loaded_by_both = loaded_form(first, url)
    assert first.post(url, {**loaded_by_both, "factual_report": "Erste Speicherung"}).status_code == 302
    response = second.post(url, {**loaded_by_both, "factual_report": "Zweite Speicherung"})
    assert response.status_code == 409 and "inzwischen von jemand anderem geändert" in text(response)
    assert ProofOfUse.objects.get(decision=lebensabend, fiscal_year=2022).factual_report == "Erste Speicherung"


def test_a_recipients_proof_is_kept_and_what_it_did_not_use_is_repaid(lebensabend):
    passing = PassThrough.objects.get(decision=lebensabend)  # 160.000 € to the Caritasverband Rhein-Sieg
    client = logged_in_client("finanzen-rsk")
    detail = reverse("proofs:decision", kwargs={"decision_pk": lebensabend.pk, "year": 2022})
    page = text(client.get(detail))
    assert "Caritasverband Rhein-Sieg e.V." in page and "ausstehend" in page
    url = reverse("proofs:recipient_edit", kwargs={"pass_through_pk": passing.pk})
    assert f'href="{url}?jahr=2022"' in page
    values = loaded_form(client, url)
    response = client.post(f"{url}?jahr=2022", {**values, "received_on": "15.03.2023", "used": "160.000,01"})
    assert response.status_code == 200
    assert "Verwendet werden können höchstens die weitergeleiteten 160.000 €." in text(response)
    assert not RecipientProof.objects.filter(pass_through=passing).exists()
    response = client.post(f"{url}?jahr=2022", {**values, "received_on": "15.03.2023", "used": "150.000,00"})
    assert response.status_code == 302 and response["Location"] == detail
    page = text(client.get(detail))
    assert "eingegangen am 15.03.2023" in page and "150.000,00 €" in page
    assert "an den Kreis zurückzuzahlen: 10.000 €" in page  # the final statement (2022) counts it


def test_another_countys_decision_is_not_found():
    client = logged_in_client("ki-neuss")
    for url in (KIM_B2_2022, f"{KIM_B2_2022}bearbeiten/", "/verwendungsnachweise/deckungsmittel/1/",
                "/verwendungsnachweise/deckungsmittel/1/bearbeiten/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{KIM_B2_2022}bearbeiten/", {"factual_report": "fremd", "version": "1"}).status_code == 404
    assert ProofOfUse.objects.get(decision_id=5, fiscal_year=2022).factual_report != "fremd"
    # a year the decision's period does not touch
    assert logged_in_client("ki-rsk").get("/verwendungsnachweise/bescheid/5/2021/").status_code == 404


def test_committee_members_do_not_see_proofs_of_use():
    client = logged_in_client("ausschuss-rsk")
    for url in ("/verwendungsnachweise/", KIM_B2_2022, f"{KIM_B2_2022}bearbeiten/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{KIM_B2_2022}bearbeiten/", {"factual_report": "x", "version": "1"}).status_code == 403
    assert "Verwendungsnachweise</a>" not in text(client.get("/"))
    assert 'href="/verwendungsnachweise/">Verwendungsnachweise</a>' in text(logged_in_client("ki-rsk").get("/"))


def test_the_draw_down_page_shows_the_repayment_for_vacancies():
    page = text(logged_in_client("finanzen-rsk").get("/mittelabrufe/bescheid/5/"))
    assert "Rückzahlung wegen Vakanzen" in page
    assert "Für 2022 zurückzuzahlen: 13.750,00 €" in page
    assert "Förderung entfällt für unbesetzte Monate: 13.750,00 €" in page
    assert f'<a href="{KIM_B2_2022}">Verwendungsnachweis 2022</a>' in page


def test_a_decision_without_a_repayment_shows_none_on_its_draw_down_page(lebensabend):
    page = text(logged_in_client("finanzen-rsk").get(f"/mittelabrufe/bescheid/{lebensabend.pk}/"))
    assert "zurückzuzahlen" not in page
