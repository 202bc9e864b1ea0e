"""The Kreisumlage of the demo: the Rhein-Sieg-Kreis' own shares split over its 19 municipalities by their
Umlagegrundlagen (fixtures/45_levy.yaml, an approximation, see there) on the command line, the own-share page
and the KIM paper; a kreisfreie Stadt has none; a year without bases is said so."""
import csv
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from kimportal.models import County, Municipality
from levy.models import LevyBasis
from levy.rules import split
from levy.selectors import SCOPE_ALL, levy_bases, levy_overview
from levy.presentation import CSV_HEADER
from tests.cities.test_city_pages import BONN, build_bonn
from tests.factories import make_county, make_municipality

from ..reports.conftest import pdf_text

PASSWORD = "kimportal-demo"
PERIOD = ["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12"]
# What is split, 01.12.2021–31.12.2022 (issue 11 §4): the page and own_share split the own share of all programmes
# (KIM 641.565 € plus the Projektmittel 54.167 €), the KIM paper only the KIM positions' (Vorlage 002).
ALL_PROGRAMMES = Decimal("695732")
KIM_POSITIONS = Decimal("641565")
KIM_SCOPE = "Eigenanteil der Stellen: Kommunales Integrationsmanagement (KIM), Bausteine 1–3"


def own_share(*args) -> str:
    out = StringIO()
    call_command("own_share", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rsk(demo):
    return County.objects.get(slug="rhein-sieg-kreis")


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_demo_has_the_bases_of_all_19_municipalities_for_2021_and_2022_with_their_source(rsk):
    bases = levy_bases(rsk)
    assert sorted(bases) == [2021, 2022]
    assert all(len(bases[year]) == 19 for year in bases)
    # The sums follow from the published totals: 271 Mio. € ÷ 29,77 % and 11,2 Mio. € ÷ 1,20 %-Punkte.
    assert sum(b.amount for b in bases[2021]) == Decimal("910312395")
    assert sum(b.amount for b in bases[2022]) == Decimal("933333333")
    assert not LevyBasis.objects.filter(source="").exists()
    assert LevyBasis.objects.filter(source__startswith="Näherung").count() == 38


def test_loading_the_demo_again_duplicates_no_bases(rsk):
    call_command("load_demo", "--no-users", verbosity=0)
    assert LevyBasis.objects.count() == 38


@pytest.mark.usefixtures("rsk")
def test_baustein_1s_158644_euro_over_the_2022_bases_gives_troisdorf_19682_euro():
    bases = levy_bases(County.objects.get(slug="rhein-sieg-kreis"))[2022]
    parts = {p.municipality: p for p in split(Decimal("158644"), bases)}
    assert parts["Troisdorf"].share == Decimal("0.1241")
    assert parts["Troisdorf"].amount == Decimal("19682")  # exact 19.682,13 €
    assert parts["Ruppichteroth"].amount == Decimal("2770")
    assert sum(p.amount for p in parts.values()) == Decimal("158644")


def test_json_carries_each_cases_split_and_it_adds_up_to_the_cases_own_share(rsk):
    data = json.loads(own_share(*PERIOD, "--format", "json"))
    assert len(data["cases"]) > 1
    for case in data["cases"]:
        levy = case["kreisumlage"]
        assert len(levy) == 19
        assert sum(Decimal(entry["amount"]) for entry in levy) == Decimal(case["totals"]["own_share"])
        assert case["kreisumlage_notes"] == []
    # What was split, as the page says it: the own share of all programmes, 695.732 € in the Planstand.
    assert data["cases"][0]["kreisumlage_basis"] == {"scope": SCOPE_ALL, "own_share": str(ALL_PROGRAMMES)}
    assert all(case["kreisumlage_basis"]["own_share"] == case["totals"]["own_share"] for case in data["cases"])
    troisdorf = next(e for e in data["cases"][0]["kreisumlage"] if e["municipality"] == "Troisdorf")
    assert set(troisdorf) >= {"municipality", "basis", "share", "amount"}
    assert troisdorf["basis"] == "115793767" and troisdorf["share"] == "0.1241"
    assert [y["fiscal_year"] for y in troisdorf["years"]] == [2021, 2022]
    assert Decimal(troisdorf["amount"]) == sum(Decimal(y["amount"]) for y in troisdorf["years"])


def test_csv_has_the_split_as_a_block_of_its_own_after_an_empty_row(rsk):
    rows = list(csv.reader(StringIO(own_share(*PERIOD, "--format", "csv"))))
    gap = rows.index([])
    assert rows[gap + 1] == CSV_HEADER
    block_sums = {row[0]: Decimal(row[7]) for row in rows[:gap] if row[2] == "Summe"}
    levy_rows = rows[gap + 2:]
    levy_sums = {row[0]: Decimal(row[7]) for row in levy_rows if row[2] == "Summe"}
    assert levy_sums == block_sums  # the own share (column 7 of the blocks' Summe rows) of every case
    planstand = [row for row in levy_rows if row[0] == "Planstand" and row[2] != "Summe"]
    assert len(planstand) == 38  # 19 municipalities × 2 fiscal years
    assert ["Planstand", "kreisumlage", "Troisdorf", "2022", "2022", "115793767", "0.1241"] == \
        next(r for r in planstand if r[2] == "Troisdorf" and r[3] == "2022")[:7]


def test_text_shows_a_short_section_per_case(rsk):
    text = own_share(*PERIOD)
    assert text.count("Kreisumlage: Eigenanteil aller Programme") == text.count("== ") - 1  # each case, not the comparison
    assert f"Kreisumlage: {SCOPE_ALL} 695.732\u00a0€, aufgeteilt nach Umlagegrundlagen 2021, 2022:" in text
    assert "12,41\u00a0% / 12,41\u00a0%" in text


def test_the_own_share_page_shows_the_split_with_table_and_chart(client, demo_users):
    response = login(client, "finanzen-rsk").get(reverse("budgeting:calculation"), {"start": "2021-12",
                                                                                    "end": "2022-12"})
    content = response.content.decode()
    assert "Aufteilung über die Kreisumlage" in content
    assert "115.793.767\u00a0€" in content and "12,41\u00a0%" in content
    assert '<svg' in content and 'id="kreisumlage-0-title"' in content
    assert "<script" not in content.split('id="kreisumlage-section"')[1].split("</section>")[0]
    planstand = response.context["levy"]["cases"][0]["table"]
    assert planstand["total"] == planstand["own_share"] == response.context["base"].total("own_share") == ALL_PROGRAMMES
    # It says which own share it splits, and that the KIM paper splits another (issue 11 §4).
    section = content.split('id="kreisumlage-section"')[1].split("</section>")[0]
    assert f"Aufgeteilt wird der <strong>{SCOPE_ALL}</strong>" in section
    assert "Die Anlage der KIM-Sitzungsvorlage teilt dagegen nur den Eigenanteil der Stellen auf." in section
    assert f"Umgelegt: <strong>695.732\u00a0€</strong> von 695.732\u00a0€ ({SCOPE_ALL})." in section
    # A proper disclosure: the summary holds text only, no block heading that pushes its marker onto a line of
    # its own (the stray "▼" of issue 11 §5).
    summaries = re.findall(r"<summary>(.*?)</summary>", section, re.S)
    assert summaries[0] == "<strong>Planstand</strong>: 695.732\u00a0€ Eigenanteil"
    assert not any("<h" in summary for summary in summaries)
    assert "▼" not in section
    # The demo's bases are an approximation, and the page says so (a fresh user's trial of issue 11).
    assert "Quelle der Umlagegrundlagen – 2021: Näherung, keine amtliche Zahl" in content


def test_the_kim_paper_has_the_anlage_with_table_and_chart(client, demo_users):
    client = login(client, "finanzen-rsk")
    html = client.get(reverse("reports:report_preview", kwargs={"slug": "kim"}),
                      {"start": "2021-12", "end": "2022-12"}).content.decode()
    assert "Anlage: Aufteilung des Eigenanteils über die Kreisumlage" in html
    assert "Abbildung: Aufteilung über die Kreisumlage: Planstand" in html
    # The paper splits the KIM positions' own share, 641.565 €, and says so (not the page's 695.732 €).
    assert f"Aufgeteilt wird der <strong>{KIM_SCOPE}</strong>, wie ihn diese Vorlage berechnet" in html
    assert "die Seite „Eigenanteile“ teilt den Eigenanteil aller Programme auf" in html
    assert f"{KIM_SCOPE}: 641.565\u00a0€." in html
    # Variante 1 changes no own share: its split is the base case's, said in one sentence instead of a table.
    assert "Eigenanteil und Aufteilung wie im Planstand." in html
    assert "Quelle der Umlagegrundlagen – 2021: Näherung, keine amtliche Zahl" in html
    pdf = client.get(reverse("reports:report_pdf", kwargs={"slug": "kim"}), {"start": "2021-12", "end": "2022-12"})
    text = pdf_text(pdf.content)
    assert "Anlage: Aufteilung des Eigenanteils über die Kreisumlage" in text
    anlage = text[text.index("Anlage: Aufteilung des Eigenanteils"):]
    assert re.search(r"Kommune 2021 2022 Summe", anlage)
    # Troisdorf: its 2021 and 2022 bases and shares; the Summe row splits exactly the paper's own share (IV.).
    assert re.search(r"Troisdorf 112\.937\.680 € ?12,41 % [\d.]+ € 115\.793\.767 € ?12,41 % [\d.]+ € [\d.]+ €", anlage)
    own_share_total = re.search(r"Eigenanteil gesamt ([\d.]+ €)", text).group(1)
    assert own_share_total == "641.565 €"
    assert re.search(rf"Summe 910\.312\.395 € ?100,00 % [\d.]+ € 933\.333\.333 € ?100,00 % [\d.]+ € "
                     rf"{re.escape(own_share_total)}", anlage)


def test_a_kreisfreie_stadt_has_no_kreisumlage(db):
    city = make_county(slug="stadt-bonn", name="Stadt Bonn", kind=County.Kind.KREISFREIE_STADT)
    district = make_municipality(county=city, name="Bonn-Beuel", kind=Municipality.Kind.DISTRICT)
    LevyBasis.objects.create(municipality=district, fiscal_year=2022, amount=Decimal("1000"))
    data = json.loads(own_share("--county", "stadt-bonn", "--from", "2022-01", "--to", "2022-12", "--format", "json"))
    assert data["cases"][0]["kreisumlage"] == []
    assert data["cases"][0]["kreisumlage_notes"] == [
        "Stadt Bonn ist eine kreisfreie Stadt und erhebt keine Kreisumlage; der Eigenanteil wird nicht auf "
        "Kommunen umgelegt."]
    assert "erhebt keine Kreisumlage" in own_share("--county", "stadt-bonn", "--from", "2022-01", "--to", "2022-12")
    csv_text = own_share("--county", "stadt-bonn", "--from", "2022-01", "--to", "2022-12", "--format", "csv")
    assert "kreisumlage" not in csv_text


def test_a_kreisfreie_stadt_has_no_kreisumlage_section_on_the_page_nor_an_anlage_in_the_kim_paper(client,
                                                                                                 demo_users):
    """Issue 11 §6, with the Bundesstadt Bonn of tests/cities: four Stadtbezirke, no Umlagegrundlagen."""
    build_bonn()
    client = login(client, "ki-bonn")
    page = client.get(reverse("budgeting:calculation"), {"start": "2022-01", "end": "2022-12"})
    assert page.status_code == 200 and page.context["county"].slug == BONN
    content = page.content.decode()
    assert "Eigenanteil" in content  # the page itself is there …
    assert "kreisumlage" not in content.lower()  # … but no Kreisumlage section, not even an empty one
    html = client.get(reverse("reports:report_preview", kwargs={"slug": "kim"}),
                      {"start": "2022-01", "end": "2022-12"}).content.decode()
    assert "Eigenanteil" in html and "Kreisumlage" not in html
    data = json.loads(own_share("--county", BONN, "--from", "2022-01", "--to", "2022-12", "--format", "json"))
    assert [case["kreisumlage"] for case in data["cases"]] == [[], []]
    assert [case["kreisumlage_basis"] for case in data["cases"]] == [None, None]


def test_only_cities_and_municipalities_pay_not_districts_or_offices(rsk):
    office = make_municipality(county=rsk, name="Kreishaus Siegburg", kind=Municipality.Kind.OFFICE)
    LevyBasis.objects.create(municipality=office, fiscal_year=2022, amount=Decimal("5000000"))
    assert len(levy_bases(rsk)[2022]) == 19


def test_a_year_without_bases_is_split_by_the_year_before_and_says_so(rsk):
    LevyBasis.objects.filter(municipality__county=rsk, fiscal_year=2022).delete()
    data = json.loads(own_share(*PERIOD, "--format", "json"))
    case = data["cases"][0]
    assert case["kreisumlage_notes"] == [
        "Für 2022 sind keine Umlagegrundlagen erfasst; aufgeteilt nach den Umlagegrundlagen 2021."]
    assert sum(Decimal(e["amount"]) for e in case["kreisumlage"]) == Decimal(case["totals"]["own_share"])


def test_without_any_bases_nothing_is_split_and_the_page_says_so(rsk, client, demo_users):
    LevyBasis.objects.filter(municipality__county=rsk).delete()
    data = json.loads(own_share(*PERIOD, "--format", "json"))
    assert data["cases"][0]["kreisumlage"] == []
    assert data["cases"][0]["kreisumlage_notes"] == [
        "Für 2021 sind keine Umlagegrundlagen erfasst; der Eigenanteil 2021 wird nicht aufgeteilt.",
        "Für 2022 sind keine Umlagegrundlagen erfasst; der Eigenanteil 2022 wird nicht aufgeteilt."]
    content = login(client, "finanzen-rsk").get(reverse("budgeting:calculation"),
                                                {"start": "2021-12", "end": "2022-12"}).content.decode()
    assert "Für 2022 sind keine Umlagegrundlagen erfasst" in content


def test_levy_overview_reads_the_bases_once_whatever_the_number_of_cases(rsk, django_assert_num_queries):
    from budgeting.selectors import own_share_comparison
    from datetime import date

    comparison = own_share_comparison(rsk, date(2021, 12, 1), date(2022, 12, 1))
    with django_assert_num_queries(1):
        overview = levy_overview(rsk, comparison)
    assert len(overview.cases) == len(comparison.results) > 1


def test_the_umlagegrundlagen_are_kept_in_the_admin():
    assert LevyBasis in admin.site._registry
