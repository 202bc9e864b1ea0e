"""The programme budget overview, the attachment "Zusammenstellung der geplanten Beträge" of Vorlage 000."""
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

import reports.papers.haushalt  # noqa: F401  (registers the report)
from kimportal.models import County
from programmes.models import FundedSlot, GrantDecision, GrantedSlot, PassThrough, Programme
from reports.registry import ReportParams, get_report
from reports.rendering import page_count, paper_html, render_pdf, write_first_page_png
from reports.selectors import paper_context
from staffing.models import Position

from .conftest import pdf_pages

PNG = Path(settings.BASE_DIR) / "var" / "reports" / "haushalt.png"
YEARS_2021_2022 = ReportParams(start=date(2021, 1, 1), end=date(2022, 12, 1))
KIM = "Kommunales Integrationsmanagement (KIM)"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def rows_of(data: dict, year: str) -> dict:
    """(programme, row label) -> row of one fiscal year."""
    table = next(item for item in data["years"] if item["year"] == year)
    return {(group["name"], row["label"]): row for group in table["groups"] for row in group["rows"]}


def build(county, params):
    return paper_context(get_report("haushalt"), county, params)["data"]


@pytest.fixture(scope="module")
def paper(django_db_setup, django_db_blocker):
    """The overview of the Rhein-Sieg-Kreis with its default parameters: data and PDF, rendered once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-users", verbosity=0)
        county = County.objects.get(slug="rhein-sieg-kreis")
        report = get_report("haushalt")
        params = report.default_params(county)
        context = paper_context(report, county, params)
        staffing = {year: paper_context(get_report("stellenplan"), county, ReportParams(fiscal_year=year))["data"]
                    for year in (2021, 2022)}
        pdf = render_pdf(paper_html(context))
        transaction.set_rollback(True)
    return {"params": params, "data": context["data"], "pdf": pdf, "pages": pdf_pages(pdf), "staffing": staffing}


def test_the_overview_opens_with_the_fiscal_years_2021_and_2022_of_vorlage_000(paper):
    assert paper["params"] == YEARS_2021_2022
    assert [year["year"] for year in paper["data"]["years"]] == ["2021", "2022"]
    assert paper["data"]["period"] == "01.01.2021 – 31.12.2022"


def test_a_valid_pdf_with_header_and_page_numbers_and_page_1_as_png(paper):
    pdf, pages = paper["pdf"], paper["pages"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pages) == page_count(pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text
        assert "Rhein-Sieg-Kreis · Kommunales Integrationszentrum" in text and "Vorlagen-Nr." in text
    assert "Mitteilungsvorlage" in pages[0] and "Erläuterungen:" in pages[0]
    text = "\n".join(pages)
    assert "Anlage: Zusammenstellung der geplanten Beträge" in text
    assert "Landeszuschüsse" in text and "Personal‐" in text or "Personalkosten" in text
    assert write_first_page_png(pdf, PNG).read_bytes().startswith(b"\x89PNG")


def test_kim_2021_is_the_own_share_engines_grant_of_the_positions_for_their_months(paper):
    """The grant is what the positions draw (DOMAIN.md "Vacancies cost grant"), not the decision's 11 granted FTE:
    the demo's Baustein 1 positions start 09/2021, the seven case managers 09/2021."""
    text = flat("\n".join(paper["pages"]))
    rows = rows_of(paper["data"], "2021")
    b1 = rows[(KIM, "Baustein 1 – Strategische Steuerung")]
    # PK: 3,5 × (3 × 4.583,33 → 13.750 + 4.583) = 64.166 + assistant 4 × 1.875 = 7.500; SK: 3,5 × 9.700 and 4.850
    # for four months 12.933 + the Jahrespauschalen of the 2021 decision 10.000 + 30.000.
    assert [Decimal(b1[key]) for key in ("personnel", "material", "pass_through", "own_share", "total")] == [
        71666, 52933, 64700, 51994, 176593]
    b2 = rows[(KIM, "Baustein 2 – Case Management")]
    assert [Decimal(b2[key]) for key in ("personnel", "own_share", "total")] == [348331, 200772, 549103]
    b3 = rows[(KIM, "Baustein 3 – Ausländer- und Einbürgerungsbehörden")]
    assert [Decimal(b3[key]) for key in ("personnel", "own_share", "total")] == [37500, 25394, 62894]
    for arithmetic in ("Sachausgaben Veranstaltungen: Jahrespauschale 10.000 € × 12/12 = 10.000 €, kostenneutral",
                       "Weiterleitung an Stadt Troisdorf 64.700 €", "Bescheid vom 22.02.2021"):
        assert arithmetic in text


def test_kim_2022_without_a_decision_is_paid_by_the_rates_as_the_engine_pays_it(paper):
    rows = rows_of(paper["data"], "2022")
    b1 = rows[(KIM, "Baustein 1 – Strategische Steuerung")]
    # 3,5 × 55.000 + 22.500 personnel; 3,5 × 9.700 + 4.850 + 10.000 + 30.000 material; own share 146.440 + 9.540.
    assert b1["grant_status"] == "split" and (b1["personnel"], b1["material"], b1["own_share"]) == (
        "215000", "78800", "155980")
    assert "Kein Bescheid für 01/2022–12/2022: Förderung nach den Fördersätzen" in b1["details"]
    kim = next(group for group in next(y for y in paper["data"]["years"] if y["year"] == "2022")["groups"]
               if group["code"] == "kim")
    assert (kim["total"]["personnel"], kim["total"]["own_share"]) == ("932500", "592215")


def test_every_programme_of_vorlage_000_has_its_amounts_in_both_years(paper):
    """Issue 11: the rates of the guidelines (10_reference.yaml) and the decisions of 30_rsk_programmes.yaml."""
    text = flat("\n".join(paper["pages"]))
    ki = "KI-Grundförderung (inkl. Sprachmittlerpool)"
    ifkuf = "Integrationschancen für Kinder und Familien (IfKuF)"
    for year in ("2021", "2022"):
        rows = rows_of(paper["data"], year)
        # Festbetrag bis zu 170.000 € for 3,5 posts (Vorlage 001) and the Sprachmittlerpool's 50.000 € (guideline).
        assert (rows[(ki, ki)]["personnel"], rows[(ki, ki)]["material"]) == ("170000", "50000")
        # KOMM-AN Programmteil I: 2 posts × 57.000 €; Programmteil II: the decision's amount (assumed), not split.
        assert rows[("KOMM-AN NRW", "Programmteil I")]["personnel"] == "114000"
        assert rows[("KOMM-AN NRW", "Programmteil II")]["grant_amount"] == "60000"
        assert rows[(ifkuf, "Rucksack Kita")]["material"] == "33300"  # bis zu 33.300 € im Jahr
        assert rows[(ifkuf, "Rucksack Schule")]["grant_amount"] == "10000"
        durchstarten = "Durchstarten in Ausbildung und Arbeit"
        assert rows[(durchstarten, "Baustein 1 – Individuelles Coaching")]["grant_amount"] == "30000"  # of 60.000 €
        lebensabend = rows[("Guter Lebensabend NRW", "Guter Lebensabend NRW")]
        assert lebensabend["grant_amount"] == lebensabend["pass_through"] == "80000"  # all to the Caritasverband
    assert "Betrag laut Bescheid nicht erfasst" not in text and not paper["data"]["not_shown"]
    assert "Weiterleitung an Caritasverband Rhein-Sieg e.V. 80.000 €" in text


def test_vorlage_000s_land_totals_are_set_against_the_overview(paper):
    text = flat("\n".join(paper["pages"]))
    stated = {row["label"]: row for row in rows_of_stated(paper["data"], "2022")}
    personnel = stated["Förderung Personalkosten"]
    # 1.216.500 € = KIM 932.500 + KI 170.000 + KOMM-AN I 114.000: own_share's figure for 2022 (test_all_programmes).
    assert (personnel["stated"], personnel["computed"], personnel["difference"]) == ("1412200.00", "1216500",
                                                                                      "195700.00")
    material = stated["Förderung Sach- und Fortbildungskosten"]
    # 432.100 € = KIM 38.800 + 40.000 Jahrespauschalen + Sprachmittlerpool 50.000 + Rucksack Kita 33.300 + 270.000
    # of decided amounts not split.
    assert (material["computed"], material["difference"]) == ("432100", "220800.00")
    assert "darin 270.000\u00a0€ ohne Aufteilung nach Kostenarten" in material["explanation"]
    assert "Förderung Personalkosten 1.412.200 € 1.216.500 € +195.700 €" in text
    assert "Förderung Sach- und Fortbildungskosten 652.900 € 432.100 € +220.800 €" in text
    assert "Differenz Förderung Personalkosten: berechnet aus den erfassten Stellen" in text
    # 2021: the positions from 09/2021 draw 457.497 € of personnel grant.
    stated_2021 = {row["label"]: row for row in rows_of_stated(paper["data"], "2021")}
    assert (stated_2021["Förderung Personalkosten"]["computed"], stated_2021["Förderung Sach- und Fortbildungskosten"]
            ["computed"]) == ("741497", "406233")


def test_the_overview_and_the_own_share_command_print_the_same_berechnet_figures(demo):
    import json
    from io import StringIO

    from django.core.management import call_command

    data = build(County.objects.get(slug="rhein-sieg-kreis"), YEARS_2021_2022)
    for year in ("2021", "2022"):
        out = StringIO()
        call_command("own_share", "--county", "rhein-sieg-kreis", "--from", f"{year}-01", "--to", f"{year}-12",
                     "--scenario", "Baustein 3 – Variante 1 (3 × 0,75 VZÄ)", "--format", "json", stdout=out)
        differences = {d["field"]: d for d in json.loads(out.getvalue())["cases"][0]["differences"]
                       if d["block_key"] == "*"}
        rows = rows_of_stated(data, year)
        assert len(rows) == 2
        for row in rows:
            field = "grant_personnel" if row["label"] == "Förderung Personalkosten" else "grant_material"
            assert (differences[field]["computed"], differences[field]["explanation"]) == (row["computed"],
                                                                                          row["explanation"])


def rows_of_stated(data: dict, year: str) -> list:
    return next(item for item in data["years"] if item["year"] == year)["stated"]


def test_own_funds_projektmittel_and_the_totals_per_year(paper):
    text = flat("\n".join(paper["pages"]))
    for year in ("2021", "2022"):
        row = rows_of(paper["data"], year)[("Projektmittel", "Projektmittel")]
        assert Decimal(row["own_share"]) == Decimal(row["total"]) == 50000
        assert f"Haushaltsansatz {year} (rsk-projektmittel) 50.000 €" in text
    # 270.000 € of the Land grants are stated amounts not split by cost type (KOMM-AN II, Rucksack Schule,
    # Durchstarten, Guter Lebensabend): a column of their own, "Aufteilung nicht erfasst".
    assert "2021 741.497 € 136.233 € 270.000 € 144.700 € 328.160 € 1.475.890 € 2022" in text
    assert "2022 1.216.500 € 162.100 € 270.000 € 80.000 € 642.215 € 2.290.815 €" in text
    assert Decimal(paper["data"]["summary"]["total"]["total"]) == 1475890 + 2290815


def test_own_shares_are_the_staffing_plans_own_shares_of_each_year(paper):
    for year in ("2021", "2022"):
        kim = next(group for group in next(item for item in paper["data"]["years"] if item["year"] == year)["groups"]
                   if group["code"] == "kim")
        assert kim["total"]["own_share"] == paper["staffing"][int(year)]["totals"]["own_share"]
    assert paper["staffing"][2022]["totals"]["own_share"] == "592215"


def test_financial_effects_come_from_the_own_share_engine(paper):
    effects = paper["data"]["financial_effects"]
    assert effects["provision_needed"] is True
    text = flat("\n".join(paper["pages"]))
    assert "Finanzielle Auswirkungen" in text and f"Planstand: {effects['amount_text']}".replace("\u00a0", " ") in text


def test_no_names_of_position_holders(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    Position.objects.filter(county=county).update(holder_name="Erika Mustermann")
    context = paper_context(get_report("haushalt"), county, YEARS_2021_2022, show_names=True)
    assert "Mustermann" not in paper_html(context)


def test_a_stated_amount_is_counted_pro_rata_unsplit_and_pass_through_by_year(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    GrantDecision.objects.filter(pk=1005).update(amount=Decimal("100000.00"))  # KOMM-AN II 2021-2022
    PassThrough.objects.filter(pk=1000).update(amount=Decimal("24000.00"))  # Caritas, Guter Lebensabend 2021-2022
    data = build(county, YEARS_2021_2022)
    for year in ("2021", "2022"):
        rows = rows_of(data, year)
        komm_an = rows[("KOMM-AN NRW", "Programmteil II")]
        assert komm_an["grant_status"] == "unsplit" and komm_an["grant_amount"] == "50000"
        assert komm_an["total"] == "50000" and komm_an["grant_text"] == "Aufteilung nicht erfasst"
        lebensabend = rows[("Guter Lebensabend NRW", "Guter Lebensabend NRW")]
        assert lebensabend["pass_through"] == "12000" and lebensabend["pass_through_text"] == ""
    html = paper_html(paper_context(get_report("haushalt"), county, YEARS_2021_2022))
    # The decision's note calls its amounts assumptions ("Annahme"): never "laut Bescheid".
    assert "Angenommener Betrag 50.000\u00a0€ × 12/12 = 50.000\u00a0€" in html
    # With Durchstarten 120.000, Guter Lebensabend 80.000 and Rucksack Schule 10.000 a year, also stated amounts only.
    assert "Die Landeszuschüsse 2021 enthalten 260.000\u00a0€, deren Aufteilung" in html


def test_a_period_within_a_year_counts_its_months(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    data = build(county, ReportParams(start=date(2021, 12, 1), end=date(2022, 12, 1)))
    first = data["years"][0]
    assert first["partial"] and first["months"] == 1 and first["window"] == "01.12.2021 – 31.12.2021"
    b1 = rows_of(data, "2021")[(KIM, "Baustein 1 – Strategische Steuerung")]
    # One month: 3,5 × 4.583 = 16.040,5 → 16.041 plus 1 × 1.875 (assistant) = 17.916.
    assert b1["personnel"] == "17916"
    assert rows_of(data, "2021")[("Projektmittel", "Projektmittel")]["own_share"] == "4167"  # 50.000 × 1/12


def test_rates_valid_in_each_month_are_used_57000_and_5700_from_2023(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    kim = Programme.objects.get(code="kim")
    decision = GrantDecision.objects.create(county=county, programme=kim, module=kim.modules.get(code="kim-b1"),
                                            period_start=date(2022, 7, 1), period_end=date(2023, 6, 30),
                                            issued_on=date(2022, 6, 1))
    GrantedSlot.objects.create(decision=decision, funded_slot=FundedSlot.objects.get(code="kim-b1-koordination"),
                               count=Decimal("2"), nominal_fte=Decimal("1"))
    data = build(county, ReportParams(start=date(2023, 1, 1), end=date(2023, 12, 1)))
    row = rows_of(data, "2023")[(KIM, "Baustein 1 – Strategische Steuerung")]
    # January-June the decision grants 2 FTE and no assistant: 2 × 28.500 = 57.000; July-December no decision, the
    # rates for the positions: 3,5 × 28.500 = 99.750 and the assistant 11.250 (57.000 € and 5.700 € from 2023).
    # Material: 2 × 2.850 + 3,5 × 2.850 → 9.975 + 2.425 + the Jahrespauschalen 10.000 + 30.000.
    assert row["personnel"] == "168000" and row["material"] == "58100"


def test_a_fixed_amount_up_to_a_cap_counts_once_whatever_the_slots(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    programme = Programme.objects.get(code="ki-grundfoerderung")
    decision = GrantDecision.objects.create(county=county, programme=programme,
                                            module=programme.modules.get(code="ki-personal"),
                                            period_start=date(2022, 1, 1), period_end=date(2022, 12, 31))
    GrantedSlot.objects.create(decision=decision, funded_slot=FundedSlot.objects.get(code="ki-grundfoerderung-stellen"),
                               count=Decimal("3.5"), nominal_fte=Decimal("1"))
    data = build(county, ReportParams(start=date(2022, 1, 1), end=date(2022, 12, 1)))
    row = rows_of(data, "2022")[("KI-Grundförderung (inkl. Sprachmittlerpool)", "Personalkostenzuschuss KI")]
    assert row["personnel"] == "170000" and row["material"] is None  # no material of this kind: "—"
    assert "KI-Grundförderung (inkl. Sprachmittlerpool)" not in data["not_shown"]


@pytest.mark.usefixtures("demo_users")
def test_the_committee_sees_the_preview(client):
    assert client.login(username="ausschuss-rsk", password="kimportal-demo")
    response = client.get(reverse("reports:report_preview", kwargs={"slug": "haushalt"}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "176.593\u00a0€" in content and "Landeszuschüsse 2021 laut Vorlage" in content
    assert "PDF herunterladen" in content
    pdf = client.get(reverse("reports:report_pdf", kwargs={"slug": "haushalt"}), {"start": "2021-01", "end": "2021-12"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="haushalt_rhein-sieg-kreis_2021-01-bis-2021-12.pdf"'


def test_the_second_level_is_named_with_its_first_recipient_and_not_added_to_the_county_budget(demo):
    county = County.objects.get(slug="rhein-sieg-kreis")
    troisdorf = PassThrough.objects.get(decision__county=county, recipient__name="Stadt Troisdorf",
                                        decision__period_start=date(2021, 1, 1))
    GrantDecision.objects.filter(pk=troisdorf.decision_id).update(pass_through_permitted=True,
                                                                  second_level_permitted=True)
    caritas = PassThrough.objects.filter(decision__county=county).exclude(pk=troisdorf.pk).first().recipient
    PassThrough.objects.create(decision_id=troisdorf.decision_id, parent=troisdorf, recipient=caritas,
                               amount=Decimal("20000"))
    data = build(county, YEARS_2021_2022)
    row = rows_of(data, "2021")[(KIM, "Baustein 1 – Strategische Steuerung")]
    assert Decimal(row["pass_through"]) == 64700  # the county passes on 64.700 €; Troisdorf passes 20.000 € of it on
    assert (f"Weiterleitung an Stadt Troisdorf 64.700\u00a0€ (leitet davon weiter an {caritas.name} 20.000\u00a0€)"
            in row["details"])


def cells_of(html: str, label: str) -> list[str]:
    """The figure cells of the table row whose first cell starts with ``label`` (money with plain spaces)."""
    row = re.search(rf"<tr[^>]*>\s*<td>{re.escape(label)}.*?</tr>", html, re.S)
    assert row, label
    return [re.sub(r"<[^>]+>", "", cell).replace("\u00a0", " ").strip()
            for cell in re.findall(r'<td class="num"[^>]*>(.*?)</td>', row[0], re.S)]


def test_no_subtotal_reads_zero_for_money_that_is_there_unsplit_amounts_have_their_own_column(demo):
    """A fresh user's finding: "Summe Durchstarten in Ausbildung und Arbeit: 0 € · 0 € · 0 € · 0 € · 120.000 €"."""
    county = County.objects.get(slug="rhein-sieg-kreis")
    year_2022 = ReportParams(start=date(2022, 1, 1), end=date(2022, 12, 1))
    context = paper_context(get_report("haushalt"), county, year_2022)
    html = paper_html(context)
    # Columns: Personalkosten, Sachkosten, Aufteilung nicht erfasst, davon Weiterleitung, Eigenmittel, Gesamt.
    assert cells_of(html, "Summe Durchstarten in Ausbildung und Arbeit") == [
        "—", "—", "120.000 €", "—", "—", "120.000 €"]
    # Programmteil I: 2 × 57.000 € personnel; Programmteil II: the decision's 60.000 €, its split not recorded.
    assert cells_of(html, "Summe KOMM-AN NRW") == ["114.000 €", "—", "60.000 €", "—", "—", "174.000 €"]
    # Rucksack Kita: up to 33.300 € a year, counted as material: nothing of personnel ("—", not "0 €").
    assert cells_of(html, "Rucksack Kita") == ["—", "33.300 €", "—", "—", "—", "33.300 €"]
    assert cells_of(html, "Baustein 2 – Case Management") == ["605.000 €", "—", "—", "—", "360.050 €", "965.050 €"]
    assert cells_of(html, "Summe 2022") == ["1.216.500 €", "162.100 €", "270.000 €", "80.000 €", "642.215 €",
                                            "2.290.815 €"]
    assert ">0\u00a0€<" not in html


def test_the_year_totals_are_the_own_share_engines_grant_and_own_share(demo):
    """Landeszuschüsse 2022 = 1.216.500 + 162.100 + 270.000 = 1.648.600 €, Eigenmittel 642.215 €: own_share's."""
    import json
    from io import StringIO

    out = StringIO()
    call_command("own_share", "--county", "rhein-sieg-kreis", "--from", "2022-01", "--to", "2022-12",
                 "--format", "json", stdout=out)
    totals = json.loads(out.getvalue())["cases"][0]["totals"]
    data = build(County.objects.get(slug="rhein-sieg-kreis"), ReportParams(start=date(2022, 1, 1),
                                                                            end=date(2022, 12, 1)))
    (year,) = data["years"]
    land = sum(Decimal(year["total"][key]) for key in ("personnel", "material", "unsplit"))
    assert (land, Decimal(year["total"]["own_share"])) == (Decimal("1648600"), Decimal("642215"))
    assert (land, Decimal(year["total"]["own_share"])) == (Decimal(totals["grant"]), Decimal(totals["own_share"]))
    assert Decimal(year["total"]["total"]) == land + Decimal("642215") == Decimal("2290815")


def test_the_integrationspauschale_line_says_what_is_left_and_until_when(paper):
    """Not "verwendbar bis 30.11.2021, Restbetrag 450.000 €, nach diesem Zeitraum 450.000 €"."""
    lines = paper["data"]["financial_effects"]["lines"]
    assert [line.replace("\u00a0", " ") for line in lines if line.startswith("Integrationspauschale")] == [
        "Integrationspauschale (§ 14c TIntG): Restbetrag 450.000 € (Stand 27.05.2021); nach dem 30.11.2021 nicht "
        "mehr verwendbar, sofern nicht verlängert (Verlängerung offen)"]
    assert "nach diesem Zeitraum" not in flat("\n".join(paper["pages"]))


def test_a_coverage_line_names_what_was_used_and_a_deadline_after_the_period():
    from budgeting import calculations as calc
    from reports.papers.common import coverage_line

    usage = calc.SourceUsage("Integrationspauschale", Decimal("450000"), date(2022, 11, 30),
                             used={date(2022, 1, 1): Decimal("100000")})
    assert coverage_line(usage, None, date(2022, 12, 31)).replace("\u00a0", " ") == (
        "Integrationspauschale: Restbetrag 450.000 €; bis zum Ende des Zeitraums verwendet 100.000 €, danach "
        "verbleiben 350.000 €; nach dem 30.11.2022 nicht mehr verwendbar, sofern nicht verlängert")
    assert coverage_line(usage, None, date(2022, 6, 30)).endswith("; verwendbar bis 30.11.2022")
