"""What a decision passes on is not the county's: a decision of 300.000 € of which 55.000 € go to Stadt Troisdorf
leaves at most 245.000 € for the county's own posts (Nr. 12 VV zu § 44 LHO), and the limit's text says so."""
from datetime import date
from decimal import Decimal as D

import pytest

from budgeting import calculations as calc
from budgeting.selectors import own_share_comparison
from kimportal.models import Partner
from programmes.models import GrantDecision, PassThrough
from tests.factories import make_partner

NBSP = "\u00a0"
COSTS = {"E11": {2020: D("106540")}}
B1_RATE = (calc.RateInput("personnel", D("55000"), date(2021, 1, 1)),)
YEAR = dict(start=date(2021, 1, 1), end=date(2021, 12, 1))


def euro(text: str) -> str:
    return text.replace(" €", f"{NBSP}€")


def positions(*ftes):
    return tuple(calc.PositionInput(str(i), D(str(f)), "E11") for i, f in enumerate(ftes))


def decision(**fields):
    return calc.DecisionInput("decision-1", "Bescheid vom 22.02.2021", date(2021, 1, 1), date(2021, 12, 31),
                              units_key="decision-1:slot", **fields)


def run(*blocks):
    return calc.calculate(calc.CalculationInput("Test", YEAR["start"], YEAR["end"], blocks, COSTS)).blocks


def county_block(*decisions, ftes=(1, 1, 1, 1, 1)):
    return calc.BlockInput("b1", "Koordination", "kim-b1", calc.PER_FTE, positions(*ftes), B1_RATE,
                           decisions=decisions)


def test_the_county_keeps_245_000_of_a_300_000_decision_that_passes_55_000_to_troisdorf():
    # 5 FTE × 55.000 € = 275.000 € would fit the 300.000 €; what Troisdorf gets does not belong to the county.
    block = county_block(decision(amount=D("300000"), passed_on=(("Stadt Troisdorf", D("55000")),)))
    result = run(block)[0]
    assert result.grant == D("245000")
    assert result.own_share == D("532700") - D("245000")
    assert result.limits == [euro("begrenzt durch Bescheid vom 22.02.2021: 300.000 € − 55.000 € weitergeleitet "
                                  "an Stadt Troisdorf = 245.000 €")]
    limited = [line.text for line in result.lines if line.label.startswith("Förderung, begrenzt")]
    assert limited == [euro("275.000 €, begrenzt durch Bescheid vom 22.02.2021: 300.000 € − 55.000 € weitergeleitet "
                            "an Stadt Troisdorf = 245.000 € → 245.000 €")]


def test_without_the_pass_through_the_same_decision_does_not_bind():
    result = run(county_block(decision(amount=D("300000"))))[0]
    assert (result.grant, result.limits) == (D("275000"), [])


def test_two_pass_throughs_are_both_deducted_and_one_without_amount_is_named_but_not_deducted():
    block = county_block(decision(amount=D("300000"), passed_on=(
        ("Stadt Troisdorf", D("55000")), ("Caritasverband Rhein-Sieg e.V.", D("20000")),
        ("Diakonie", None))))
    result = run(block)[0]
    assert result.grant == D("225000")
    assert result.limits == [euro(
        "begrenzt durch Bescheid vom 22.02.2021: 300.000 € − 55.000 € weitergeleitet an Stadt Troisdorf − 20.000 € "
        "weitergeleitet an Caritasverband Rhein-Sieg e.V. = 225.000 € (Weiterleitung an Diakonie ohne erfassten "
        "Betrag: nicht abgezogen)")]


def test_a_post_troisdorf_employs_draws_on_the_55_000_passed_to_it_and_the_county_keeps_its_245_000():
    county = county_block(decision(amount=D("300000"), passed_on=(("Stadt Troisdorf", D("55000")),)))
    troisdorf = calc.BlockInput(
        "b1:troisdorf", "Koordination, Anstellungsträger Stadt Troisdorf", "kim-b1", calc.PER_FTE, positions(1.2),
        B1_RATE, borne_by="Stadt Troisdorf",
        decisions=(calc.DecisionInput("decision-1:an-7", "Bescheid vom 22.02.2021", date(2021, 1, 1),
                                      date(2021, 12, 31), amount=D("55000"), units_key="decision-1:slot",
                                      received=(("Stadt Troisdorf", D("55000")),)),))
    first, second = run(county, troisdorf)
    assert (first.grant, second.grant) == (D("245000"), D("55000"))  # 1,2 × 55.000 € = 66.000 € capped
    assert second.limits == [euro("begrenzt durch Bescheid vom 22.02.2021: 55.000 € weitergeleitet an Stadt "
                                  "Troisdorf")]
    assert first.grant + second.grant == D("300000")


# --------------------------------------------------------------------------- from the stored decision


@pytest.fixture
def b1_decision(rsk):
    """The Rhein-Sieg-Kreis' Baustein 1 decision of 22.02.2021 with an amount of 300.000 € and 55.000 € for Troisdorf."""
    decision = GrantDecision.objects.get(county=rsk, module__code="kim-b1", issued_on=date(2021, 2, 22))
    decision.amount = D("300000")
    decision.save()
    PassThrough.objects.filter(decision=decision).update(amount=D("55000"))
    return decision


def b1_blocks(rsk):
    comparison = own_share_comparison(rsk, date(2021, 1, 1), date(2021, 12, 1), scenarios=[None])
    return [b for b in comparison.results[0].blocks if b.module == "kim-b1" and not b.lump_sum]


@pytest.mark.django_db
def test_the_own_share_page_caps_the_rhein_sieg_baustein_1_at_245_000_and_says_why(rsk, b1_decision):
    blocks = b1_blocks(rsk)
    texts = [line.text for block in blocks for line in block.lines if line.label.startswith("Förderung, begrenzt")]
    assert texts and all(euro("300.000 € − 55.000 € weitergeleitet an Stadt Troisdorf = 245.000 €") in text
                         for text in texts)
    # September–December 2021: 4/12 of 245.000 € = 81.666,67 €, split by the blocks' whole-euro rounding.
    assert [b.grant for b in blocks] == [D("75482"), D("6185")]
    assert sum((b.grant for b in blocks), D(0)) == D("81667")


@pytest.mark.django_db
def test_a_troisdorf_employed_post_draws_on_what_the_decision_passes_to_troisdorf(rsk, b1_decision):
    from budgeting.selectors import _decisions, block_decisions
    from staffing.models import Position

    troisdorf = Partner.objects.get(county=rsk, name="Stadt Troisdorf")
    position = Position.objects.filter(county=rsk, module__code="kim-b1").first()
    own = block_decisions(_decisions(rsk), position, "per_fte")
    assert [(d.key, d.amount, d.available) for d in own] == [
        (f"decision-{b1_decision.pk}", D("300000"), D("245000"))]
    position.employer = troisdorf
    theirs = block_decisions(_decisions(rsk), position, "per_fte")
    assert [(d.key, d.amount, d.received) for d in theirs] == [
        (f"decision-{b1_decision.pk}:an-{troisdorf.pk}", D("55000"), (("Stadt Troisdorf", D("55000")),))]
    # Another employer without a pass-through shares the county's rest.
    position.employer = make_partner(county=rsk, name="Diakonisches Werk An Sieg und Rhein e.V.")
    other = block_decisions(_decisions(rsk), position, "per_fte")
    assert [d.available for d in other] == [D("245000")]
