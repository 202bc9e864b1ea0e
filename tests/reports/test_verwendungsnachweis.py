"""The proof of use (Verwendungsnachweis) of 2022: the numerical statement with the 13.750 € repayment of the demo's
vacant case-management post, as PDF (production settings) and XLSX, from the command line and the report page."""
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from kimportal.models import County
from proofs.selectors import year_proofs

from .conftest import pdf_text

COUNTY = ["--county", "rhein-sieg-kreis"]
KIM_B2 = "Kommunales Integrationsmanagement (KIM) – Baustein 2 – Case Management, 01.01.2022–31.12.2022"


@pytest.fixture
def kim_b2_2022(demo):
    proofs = year_proofs(County.objects.get(slug="rhein-sieg-kreis"), 2022, today=date(2026, 12, 1))
    return next(p for p in proofs if p.label == KIM_B2)


def test_the_vacant_months_of_the_cm_post_are_repaid_in_the_proof_of_2022(kim_b2_2022):
    made = kim_b2_2022.statement
    assert kim_b2_2022.grant.amount == Decimal("605000")
    assert made.received == Decimal("605000.00")
    assert made.lost_grant == Decimal("13750.00")
    assert made.grant_due == Decimal("591250.00")
    assert made.repayment == Decimal("13750.00")
    assert made.still_to_call == 0
    assert made.notes[0].replace("\u00a0", " ") == ("Vakanz Case Management in den Kommunen 7 01/2022–03/2022: 3/12 × 55.000 € × 1,0 VZÄ = "
                             "13.750 € Förderung entfallen")


def test_the_statement_keeps_the_plans_own_share_and_counts_the_actuals_of_january_to_june(kim_b2_2022):
    made = kim_b2_2022.statement
    own = next(r for r in made.income if r.key == "own")
    assert own.plan == Decimal("360050")  # 121.140 € + 238.910 €, the plan's own shares of the county's CM posts
    assert made.open_months == 6 and made.months == 12
    assert made.spending_total.result == made.income_total.result
    assert kim_b2_2022.kind == "Verwendungsnachweis"
    assert kim_b2_2022.status == "überfällig seit 30.06.2023"
    assert "KI-B2-11" in kim_b2_2022.record.factual_report


def test_a_decision_running_past_the_year_gets_an_interim_proof_with_its_share_of_the_year(demo):
    proofs = year_proofs(County.objects.get(slug="rhein-sieg-kreis"), 2021)
    lebensabend = next(p for p in proofs if p.label.startswith("Guter Lebensabend"))
    assert lebensabend.kind == "Zwischennachweis"
    assert lebensabend.grant.amount == Decimal("80000")
    assert "über 160.000 €" in lebensabend.grant.basis.replace("\u00a0", " ")
    assert lebensabend.statement.received == Decimal("80000.00")  # the two rates of 2021
    # The recipients' proofs belong to the final proof over the whole period, not to the interim one.
    assert lebensabend.statement.recipients == []
    final = next(p for p in year_proofs(County.objects.get(slug="rhein-sieg-kreis"), 2022)
                 if p.label.startswith("Guter Lebensabend"))
    assert [r.recipient for r in final.statement.recipients] == ["Caritasverband Rhein-Sieg e.V."]
    assert final.grant.amount == Decimal("160000.00") and final.statement.received == Decimal("120000.00")


def test_render_report_writes_the_pdf_with_the_repayment_and_the_sachbericht(demo, tmp_path):
    target = tmp_path / "vn.pdf"
    out = StringIO()
    call_command("render_report", "verwendungsnachweis", *COUNTY, "--year", "2022", "-o", str(target), stdout=out)
    text = pdf_text(target.read_bytes())
    assert "zurückzuzahlen 13.750,00 €" in text
    assert "entfällt für unbesetzte Monate − 13.750,00 €" in text
    assert "Die Stelle KI-B2-11 war nach einer Kündigung" in text
    assert "Integrationspauschale (§ 14c TIntG)" in text and "eingereicht am 29.03.2023" in text
    assert out.getvalue().startswith(f"{target}: Verwendungsnachweis, Rhein-Sieg-Kreis, Haushaltsjahr 2022, ")


def test_render_report_writes_the_workbook_with_number_cells(demo, tmp_path):
    target = tmp_path / "vn.xlsx"
    out = StringIO()
    call_command("render_report", "verwendungsnachweis", *COUNTY, "--year", "2022", "-o", str(target), stdout=out)
    assert out.getvalue().strip().endswith("Excel-Datei")
    book = load_workbook(target)
    overview = book["Übersicht"]
    rows = {row[0]: row for row in overview.iter_rows(values_only=True) if row and row[0]}
    assert rows[KIM_B2][3:8] == (605000, 605000, 591250, 13750, 0)
    sheet = next(book[name] for name in book.sheetnames if book[name]["A1"].value == f"Verwendungsnachweis 2022: {KIM_B2}")
    assert sheet.title.startswith("11. Kommunales")
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["zurückzuzahlen"] == 13750 and values["entfällt wegen unbesetzter Monate"] == 13750


def test_a_report_without_a_workbook_refuses_an_xlsx_target_in_one_line(demo, tmp_path):
    with pytest.raises(CommandError, match=r"^Den Bericht 'kim' gibt es nur als PDF; bitte -o mit der Endung \.pdf\.$"):
        call_command("render_report", "kim", *COUNTY, "-o", str(tmp_path / "kim.xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_finance_officers_download_the_workbook_and_the_pdf_in_production(client, demo_users, production):
    assert client.login(username="finanzen-rsk", password="kimportal-demo")
    xlsx = client.get(reverse("reports:report_xlsx", args=["verwendungsnachweis"]), {"fiscal_year": "2022"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('verwendungsnachweis_rhein-sieg-kreis_2022.xlsx"')
    assert load_workbook(BytesIO(xlsx.content))["Übersicht"]["A1"].value == "Verwendungsnachweise 2022 – Rhein-Sieg-Kreis"
    pdf = client.get(reverse("reports:report_pdf", args=["verwendungsnachweis"]), {"fiscal_year": "2022"})
    assert pdf.status_code == 200 and "zurückzuzahlen 13.750,00 €" in pdf_text(pdf.content)
    assert client.get(reverse("reports:report_xlsx", args=["kim"])).status_code == 404


def test_the_preview_offers_the_excel_file(client, demo_users):
    assert client.login(username="ki-rsk", password="kimportal-demo")
    page = client.get(reverse("reports:report_preview", args=["verwendungsnachweis"]), {"fiscal_year": "2022"})
    html = page.content.decode().replace("\u00a0", " ")
    assert "Excel-Datei (XLSX)" in html and "13.750,00 €" in html


def test_a_target_that_is_neither_pdf_nor_xlsx_is_refused(demo, tmp_path):
    with pytest.raises(CommandError, match=r"^Bitte eine Zieldatei mit der Endung \.pdf"):
        call_command("render_report", "verwendungsnachweis", *COUNTY, "--year", "2022", "-o", str(tmp_path / "vn.docx"))
    assert list(tmp_path.iterdir()) == []


def test_the_final_proof_of_a_two_year_decision_covers_its_whole_period(demo):
    proofs = year_proofs(County.objects.get(slug="rhein-sieg-kreis"), 2022)
    komm_an = next(p for p in proofs if p.label.startswith("KOMM-AN NRW – Programmteil II"))
    assert komm_an.kind == "Verwendungsnachweis" and (komm_an.start, komm_an.end) == (date(2021, 1, 1),
                                                                                       date(2022, 12, 31))
    assert komm_an.grant.amount == Decimal("120000.00") and komm_an.statement.received == Decimal("120000.00")
    assert komm_an.statement.repayment == 0
    assert komm_an.status.endswith("(übliche Frist; im Bescheid nicht erfasst)")
    assert "30.06.2023" in komm_an.status
