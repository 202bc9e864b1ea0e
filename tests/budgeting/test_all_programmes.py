"""Every programme of Vorlage 000 in the engine (issue 11 §1): the grant of each for 2022, the Land totals as
stated figures, and KIM's figures unchanged.

Amounts come from fixtures/10_reference.yaml (the Land's rates with their sources) and fixtures/30_rsk_programmes.yaml
(the county's decisions; amounts marked "Annahme" where neither paper nor guideline gives one).
"""
import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from budgeting import calculations as calc
from budgeting.engine_lump_sums import calculate_lump_sums
from programmes.models import FundingRate

YEAR_2022 = ["--county", "rhein-sieg-kreis", "--from", "2022-01", "--to", "2022-12"]
PAPER = ["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12"]
V1 = "Baustein 3 – Variante 1 (3 × 0,75 VZÄ)"


def run(*args) -> str:
    out = StringIO()
    call_command("own_share", *args, stdout=out)
    return out.getvalue().replace("\u00a0", " ")  # money is printed with a no-break space


def base_blocks(*args) -> dict:
    case = json.loads(run(*args, "--format", "json"))["cases"][0]  # amounts in JSON are plain decimals
    return {block["key"]: block for block in case["blocks"]}


@pytest.mark.usefixtures("demo")
class TestTheDemoCounty:
    def test_each_of_the_six_programmes_has_its_2022_grant(self):
        blocks = base_blocks(*YEAR_2022)
        grants = {key: Decimal(block["grant"]) for key, block in blocks.items()}
        # KI-Grundförderung: Festbetrag bis zu 170.000 € for at most 3,5 posts (Vorlage 001) and the
        # Sprachmittlerpool's 50.000 € a year (Bezirksregierung Arnsberg, guideline).
        assert grants["pauschal:ki-personal"] == 170000 and grants["pauschal:ki-sprachmittlerpool"] == 50000
        # KOMM-AN: Programmteil I 2 posts × 57.000 € (at most 114.000 €); Programmteil II the decision's 60.000 €.
        assert grants["pauschal:komm-an-1"] == 114000 and grants["pauschal:komm-an-2"] == 60000
        # IfKuF: Rucksack Kita bis zu 33.300 € a year (Förderdatenbank); Rucksack Schule the decision's 10.000 €.
        assert grants["pauschal:rucksack-kita"] == 33300 and grants["pauschal:rucksack-schule"] == 10000
        # Durchstarten: four Bausteine, 60.000 € each for 2021-2022.
        assert [grants[f"pauschal:durchstarten-{n}"] for n in range(1, 5)] == [30000] * 4
        # Guter Lebensabend: 160.000 € for 2021-2022, all passed on to the Caritasverband.
        assert grants["pauschal:guter-lebensabend"] == 80000
        # KIM: the rates for the positions (no decision for 2022 recorded; Bausteine 2 and 3 "ohne Antrag").
        assert grants["kim-b1-koordination"] == 226450 and grants["kim-b3-abh-ebh"] == 112500

    def test_the_command_prints_a_grant_for_every_programme(self):
        text = run(*YEAR_2022, "--scenario", V1)
        for name in ("KI-Grundförderung (inkl. Sprachmittlerpool): Personalkostenzuschuss KI",
                     "Baustein 1 – Strategische Steuerung", "KOMM-AN NRW: Programmteil I",
                     "Integrationschancen für Kinder und Familien (IfKuF): Rucksack Kita",
                     "Durchstarten in Ausbildung und Arbeit: Baustein 1", "Guter Lebensabend NRW"):
            assert name in text
        source = FundingRate.objects.get(module__code="komm-an-1").source
        assert ("Personalkosten: Personalstelle KOMM-AN (Programmteil I): 2 Stellen × 57.000 € × 12/12 = 114.000 €, "
                f"kostenneutral: Ausgaben in Höhe der Förderung; Quelle: {source}") in text
        assert "Weiterleitung an Caritasverband Rhein-Sieg e.V.: 160.000 € für 01.01.2021–31.12.2022" in text

    def test_the_projektmittel_are_own_funds_covered_by_their_appropriation(self):
        block = base_blocks(*YEAR_2022)["eigenmittel:rsk-projektmittel"]
        assert (block["total"], block["grant"], block["own_share"], block["uncovered"]) == ("50000", "0", "50000",
                                                                                           "0")

    def test_the_new_programmes_leave_the_kim_figures_and_the_risk_range_as_they_were(self):
        blocks = base_blocks(*PAPER)
        assert blocks["kim-b1-koordination"]["own_share"] == "158644"
        assert blocks["kim-b2-case-management:cm-kommunen-2021"]["own_share"] == "258818"
        # Paid by their decisions or their appropriation: nothing of theirs is unplanned.
        assert all(block["uncovered"] == "0" for key, block in blocks.items()
                   if key.startswith(("pauschal:", "eigenmittel:")))
        assert "Risikospanne: 60.330 € – 578.466 €" in run(*PAPER)

    def test_vorlage_000s_land_totals_are_compared_with_all_programmes(self):
        text = run(*YEAR_2022, "--scenario", V1)
        # 1.216.500 € = KIM 932.500 (3,5 × 55.000 + 22.500 + 11 × 55.000 + 3 × 37.500) + 170.000 + 114.000.
        assert ("Alle Programme, Förderung Personalkosten: laut Vorlage 1.412.200 €, berechnet 1.216.500 €, "
                "Differenz +195.700 €") in text
        # 432.100 € = KIM 38.800 + Jahrespauschalen 10.000 + 30.000 + 50.000 + 60.000 + 33.300 + 10.000
        # + 4 × 30.000 + 80.000.
        assert ("Alle Programme, Förderung Sach- und Fortbildungskosten: laut Vorlage 652.900 €, berechnet "
                "432.100 €, Differenz +220.800 €") in text
        assert ("Erklärung: berechnet aus den erfassten Stellen, Fördersätzen und Bescheiden: Sachkostensätze der "
                "Stellen 38.800 €; Jahrespauschalen und Beträge der Bescheide 393.300 € (darin 270.000 € ohne "
                "Aufteilung nach Kostenarten, als Sachkosten gezählt).") in text.replace("\u00a0", " ")


# --------------------------------------------------------------------------- the pure rules

JAN, DEC = date(2022, 1, 1), date(2022, 12, 31)
MONTHS = calc.months_between(JAN, date(2022, 12, 1))


def decision(amount=None, start=JAN, end=DEC):
    return calc.DecisionInput("decision-1", "Bescheid vom 01.02.2022", start, end, amount=amount)


def block(*lump_sums, decisions=(), needed=True):
    return calc.BlockInput("pauschal:x", "X", "x", calc.PER_FTE, (), lump_sums=lump_sums, decisions=decisions,
                           decision_needed=needed)


def test_a_decisions_amount_bounds_the_lump_sums():
    kita = calc.LumpSumInput("kita", "Rucksack Kita", "material", Decimal("33300"))
    school = calc.LumpSumInput("schule", "Rucksack Schule", "material", Decimal("10000"))
    result = calculate_lump_sums(block(kita, school, decisions=(decision(Decimal("33300")),)), MONTHS)
    assert (result.total, result.grant, result.own_share) == (33300, 33300, 0)
    assert result.limits == ["begrenzt durch Bescheid vom 01.02.2022: 33.300\u00a0€"]
    assert sum(month.grant for month in result.months) == 33300


def test_posts_are_cut_to_the_rates_maximum():
    posts = calc.LumpSumInput("ka", "KOMM-AN I", "personnel", Decimal("57000"), units=Decimal("2.5"),
                              max_units=Decimal("2"), cap=Decimal("114000"))
    result = calculate_lump_sums(block(posts, decisions=(decision(),)), MONTHS)
    assert result.grant == 114000 and result.grant_by_cost_type == {"personnel": Decimal("114000")}


def test_without_a_decision_a_lump_sum_pays_nothing_and_says_so():
    pool = calc.LumpSumInput("pool", "Sprachmittlerpool", "material", Decimal("50000"))
    half = calculate_lump_sums(block(pool, decisions=(decision(start=date(2022, 7, 1)),)), MONTHS)
    assert half.grant == 25000  # July-December: 50.000 × 6/12
    assert half.notes == ["kein Bescheid für 01/2022–06/2022: keine Förderung"]
    assert calculate_lump_sums(block(pool, needed=False), MONTHS).grant == 50000  # "ohne Antrag"


def test_own_funds_are_cost_and_own_share_without_grant():
    funds = calc.LumpSumInput("ansatz", "Haushaltsansatz", "measures", Decimal("50000"), JAN, DEC, funded=False)
    result = calculate_lump_sums(block(funds, needed=False), MONTHS)
    assert (result.total, result.grant, result.own_share) == (50000, 0, 50000)
