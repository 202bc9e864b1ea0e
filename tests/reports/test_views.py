"""The report pages: preview, PDF download, texts, issuing, issued papers; roles and counties."""
import re

import pytest
from django.urls import reverse

from kimportal.models import County
from reports.models import IssuedReport, ReportSetup
from staffing.models import Position

from .conftest import pdf_text

PASSWORD = "kimportal-demo"
PERIOD = {"start": "2021-12", "end": "2022-12"}
B1_COORDINATION = "kim-b1-koordination"
V2 = "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"
HOLDER = "Erika Mustermann"

pytestmark = pytest.mark.usefixtures("demo_users")


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def preview(slug="kim"):
    return reverse("reports:report_preview", kwargs={"slug": slug})


def setup_texts(**fields):
    data = {"paper_number": "50/2021", "paper_date": "27.05.2021", "paper_kind": "mitteilung",
            "committee": "Ausschuss für Soziales und Integration", "meeting_date": "07.06.2021",
            "subject": "Kommunales Integrationsmanagement (KIM)", "preliminary_remarks": "Seit dem 01.01.2020 …",
            "explanations": "I. Bisheriges Umsetzungsverfahren", "coverage_text": "Deckung durch Mehrerträge",
            "resolution": "", "signatory": "(Dezernent Schmitz)"}
    data.update(fields)
    return data


@pytest.mark.parametrize("username", ["ki-rsk", "finanzen-rsk", "ausschuss-rsk"])
def test_every_role_of_the_county_sees_the_kim_preview_with_158_644(client, username):
    response = login(client, username).get(preview(), PERIOD)
    assert response.status_code == 200
    content = response.content.decode()
    assert "158.644\u00a0€" in content and "Risikospanne: 60.330\u00a0€ – 578.466\u00a0€" in content
    assert "PDF herunterladen" in content


def test_the_report_list_links_every_report(client):
    content = login(client, "finanzen-rsk").get(reverse("reports:report_list")).content.decode()
    assert preview("kim") in content and preview("stellenplan") in content


def test_the_pdf_button_downloads_a_pdf_named_after_report_county_and_period(client):
    response = login(client, "finanzen-rsk").get(reverse("reports:report_pdf", kwargs={"slug": "kim"}), PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kim_rhein-sieg-kreis_2021-12-bis-2022-12.pdf"'
    assert "258.818 €" in pdf_text(response.content)


@pytest.mark.parametrize("url, query, message", [
    ("reports:report_preview", {"start": "2021-13", "end": "2022-12"}, "Bitte einen Monat als MM.JJJJ angeben"),
    ("reports:report_pdf", {"start": "2022-12", "end": "2021-12"}, "Der letzte Monat liegt vor dem ersten."),
    ("reports:report_pdf", {"scenario": "Variante 9"}, "Unbekanntes Szenario „Variante 9“"),
    ("reports:report_preview", {"start": "2021-12"}, "Bitte ersten und letzten Monat angeben"),
])
def test_bad_parameters_give_a_german_message_and_no_pdf(client, url, query, message):
    response = login(client, "ki-rsk").get(reverse(url, kwargs={"slug": "kim"}), query)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_a_staffing_plan_year_that_is_no_number_gives_a_german_message(client):
    response = login(client, "ki-rsk").get(preview("stellenplan"), {"fiscal_year": "zweitausend"})
    assert response.status_code == 400
    assert "Bitte das Haushaltsjahr als Zahl angeben" in response.content.decode()


def test_data_the_engine_cannot_compute_with_gives_a_german_message(client):
    from staffing.models import WorkplaceCost

    WorkplaceCost.objects.all().delete()
    response = login(client, "ki-rsk").get(preview(), PERIOD)
    assert response.status_code == 400
    assert "Die Berechnung ist mit diesen Daten nicht möglich" in response.content.decode()


def test_an_unknown_report_is_404(client):
    assert login(client, "ki-rsk").get(preview("haushaltsrede")).status_code == 404


def test_the_staffing_plan_names_holders_for_ki_staff_only(client):
    Position.objects.filter(county__slug="rhein-sieg-kreis", funded_slot__code=B1_COORDINATION).update(
        holder_name=HOLDER)
    assert HOLDER in login(client, "ki-rsk").get(preview("stellenplan")).content.decode()
    for username in ("ausschuss-rsk", "finanzen-rsk"):
        client.logout()
        login(client, username)
        assert HOLDER not in client.get(preview("stellenplan")).content.decode()
        pdf = client.get(reverse("reports:report_pdf", kwargs={"slug": "stellenplan"})).content
        text = pdf_text(pdf)
        assert "Koordination Strategische Steuerung 1" in text and HOLDER not in text


def test_committee_members_neither_edit_texts_nor_issue_papers(client):
    login(client, "ausschuss-rsk")
    content = client.get(preview(), PERIOD).content.decode()
    assert "Texte bearbeiten" not in content and "An Ausschuss ausgeben" not in content
    setup = reverse("reports:setup_edit", kwargs={"slug": "kim"})
    assert client.get(setup).status_code == 403
    assert client.post(setup, setup_texts()).status_code == 403
    assert client.post(reverse("reports:issuedreport_create", kwargs={"slug": "kim"}), PERIOD).status_code == 403
    assert not ReportSetup.objects.exists() and not IssuedReport.objects.exists()


def test_ki_staff_write_the_texts_and_they_appear_in_preview_and_pdf(client):
    login(client, "ki-rsk")
    setup = reverse("reports:setup_edit", kwargs={"slug": "kim"})
    form = client.get(setup).content.decode()
    assert "Seit dem 01.01.2020 führt das Land NRW" in form  # the report's default text to start from
    response = client.post(setup, setup_texts(preliminary_remarks="Der Ausschuss wurde am 04.03.2021 informiert."))
    assert response.status_code == 302 and response["Location"] == preview()
    saved = ReportSetup.objects.get(county__slug="rhein-sieg-kreis", report="kim")
    assert saved.paper_number == "50/2021" and saved.version == 1
    text = pdf_text(client.get(reverse("reports:report_pdf", kwargs={"slug": "kim"}), PERIOD).content)
    assert "Der Ausschuss wurde am 04.03.2021 informiert." in text
    assert "Vorlagen-Nr. 50/2021 · Datum 27.05.2021" in text and "Sitzung am 07.06.2021" in text
    assert "(Dezernent Schmitz)" in text and "Deckung durch Mehrerträge" in text


def test_texts_saved_meanwhile_by_someone_else_are_not_overwritten(client):
    login(client, "ki-rsk")
    setup = reverse("reports:setup_edit", kwargs={"slug": "kim"})
    client.post(setup, setup_texts())
    client.post(setup, setup_texts(subject="Erste Fassung", version="1"))
    response = client.post(setup, setup_texts(subject="Zweite Fassung", version="1"))
    assert response.status_code == 409
    assert ReportSetup.objects.get(report="kim").subject == "Erste Fassung"


def test_issuing_needs_a_paper_number_first(client):
    login(client, "ki-rsk")
    response = client.post(reverse("reports:issuedreport_create", kwargs={"slug": "kim"}), PERIOD, follow=True)
    assert "Bitte zuerst unter „Texte bearbeiten“ die Vorlagen-Nr. eintragen." in response.content.decode()
    assert not IssuedReport.objects.exists()


def issue_kim(client):
    login(client, "ki-rsk")
    client.post(reverse("reports:setup_edit", kwargs={"slug": "kim"}), setup_texts())
    response = client.post(reverse("reports:issuedreport_create", kwargs={"slug": "kim"}), PERIOD)
    issued = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:issuedreport_detail", kwargs={"pk": issued.pk})
    return issued


def test_an_issued_paper_keeps_its_data_and_pdf_and_lists_what_changed_since(client):
    issued = issue_kim(client)
    assert issued.paper_number == "50/2021" and issued.params == PERIOD and issued.page_count >= 4
    assert issued.snapshot["data"]["comparison"]["risk_range"] == "60.330\u00a0€ – 578.466\u00a0€"
    detail = reverse("reports:issuedreport_detail", kwargs={"pk": issued.pk})
    assert "Seit der Ausgabe hat sich an den Zahlen der Vorlage nichts geändert." in client.get(detail).content.decode()
    stored = bytes(issued.pdf)

    # One coordinator goes from 0,5 to 1,0 VZÄ: 4,0 VZÄ, but the decision of 22.02.2021 grants 3,5 VZÄ for December
    # 2021: 35.512 € − 3,5 × 5.391 € = 16.643 €, then 2022: 426.160 € − 4,0 × 64.700 € = 167.360 €; 184.003 €.
    Position.objects.filter(county__slug="rhein-sieg-kreis", funded_slot__code=B1_COORDINATION,
                            fte="0.5").update(fte="1.0")
    content = re.sub(r"[ \t\n]+", " ", client.get(detail).content.decode())
    assert ("Eigenanteil Baustein 1 – Strategische Steuerung: Koordination (Strategische Steuerung): "
            "158.644\u00a0€ → 184.003\u00a0€") in content
    assert "Risikospanne: 60.330\u00a0€ – 578.466\u00a0€ → 85.689\u00a0€ – 603.825\u00a0€" in content
    assert "158.644\u00a0€" in content  # the paper as issued, below the list
    response = client.get(reverse("reports:issuedreport_pdf", kwargs={"pk": issued.pk}))
    assert response.content == stored and response["Content-Type"] == "application/pdf"
    assert "158.644 €" in pdf_text(response.content) and "181.308 €" not in pdf_text(response.content)


def test_committee_members_read_issued_papers_without_who_issued_them(client):
    issued = issue_kim(client)
    assert "Kira" in client.get(reverse("reports:issuedreport_list")).content.decode()
    client.logout()
    login(client, "ausschuss-rsk")
    listing = client.get(reverse("reports:issuedreport_list")).content.decode()
    assert "50/2021" in listing and "Kira" not in listing  # Kira Integrationszentrum issued it
    detail = client.get(reverse("reports:issuedreport_detail", kwargs={"pk": issued.pk}))
    assert detail.status_code == 200 and "Kira" not in detail.content.decode()
    assert client.get(reverse("reports:issuedreport_pdf", kwargs={"pk": issued.pk})).status_code == 200


def test_another_countys_issued_paper_is_404(client):
    issued = issue_kim(client)
    client.logout()
    login(client, "ki-neuss")
    for name in ("reports:issuedreport_detail", "reports:issuedreport_pdf"):
        assert client.get(reverse(name, kwargs={"pk": issued.pk})).status_code == 404
    assert "50/2021" not in client.get(reverse("reports:issuedreport_list")).content.decode()


def test_a_neuss_preview_shows_neuss_and_not_rhein_sieg(client):
    content = login(client, "ki-neuss").get(preview()).content.decode()
    assert County.objects.get(slug="rhein-kreis-neuss").name in content
    assert "Ausschuss für Soziales und Integration" in content and "158.644" not in content


def test_an_issued_staffing_plan_never_names_holders_even_when_ki_staff_issue_it(client):
    Position.objects.filter(county__slug="rhein-sieg-kreis", funded_slot__code=B1_COORDINATION).update(
        holder_name=HOLDER)
    login(client, "ki-rsk")
    client.post(reverse("reports:setup_edit", kwargs={"slug": "stellenplan"}), setup_texts(paper_number="12/2022"))
    client.post(reverse("reports:issuedreport_create", kwargs={"slug": "stellenplan"}), {"fiscal_year": "2022"})
    issued = IssuedReport.objects.get(report="stellenplan")
    assert issued.params == {"fiscal_year": "2022"}
    assert HOLDER not in str(issued.snapshot) and HOLDER not in pdf_text(bytes(issued.pdf))
