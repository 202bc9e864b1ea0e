"""Who decides an unplanned provision (§ 83 GO NRW), by the stages of real budget statutes; no database.

Rhein-Kreis Neuss: "unerheblich" up to and including 5.000 € (voluntary) and 250.000 € (mandatory), the
treasurer; above, the Kreistag. A city: 500 / 2.500 / 30.000 €, the council above. A Städteregion: 40.000 €.
"bis" includes its amount (DOMAIN.md, "Rules real counties need").
"""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provisions.rules import (ALL, MANDATORY, VOLUNTARY, NoStagesError, Stage, applicable_stages, stage_errors,
                              stage_text, who_decides)

NEUSS = (
    Stage(VOLUNTARY, Decimal("5000.00"), "Kämmerer/in", "unerheblich"),
    Stage(VOLUNTARY, None, "Kreistag"),
    Stage(MANDATORY, Decimal("250000.00"), "Kämmerer/in", "unerheblich"),
    Stage(MANDATORY, None, "Kreistag"),
)
CITY = (
    Stage(ALL, Decimal("500"), "Fachbereich Finanzen / Kämmerei"),
    Stage(ALL, Decimal("2500"), "Kämmerer/in"),
    Stage(ALL, Decimal("30000"), "Bürgermeister/in"),
    Stage(ALL, None, "Rat"),
)
STAEDTEREGION = (Stage(ALL, Decimal("40000"), "Kämmerer/in"), Stage(ALL, None, "Städteregionstag"))


def text(stage, stages):
    return stage_text(stage, stages).replace("\u00a0", " ")


# --------------------------------------------------------------------------- Rhein-Kreis Neuss


def test_exactly_5000_euros_of_voluntary_spending_is_unerheblich_and_the_treasurers():
    stage = who_decides(Decimal("5000.00"), VOLUNTARY, NEUSS)
    assert stage.body == "Kämmerer/in" and stage.label == "unerheblich" and not stage.is_open
    assert text(stage, NEUSS) == "bis einschließlich 5.000 € (freiwillig, unerheblich): Kämmerer/in"


def test_5000_euros_and_one_cent_of_voluntary_spending_needs_the_kreistag():
    stage = who_decides(Decimal("5000.01"), VOLUNTARY, NEUSS)
    assert stage.body == "Kreistag" and stage.is_open
    assert text(stage, NEUSS) == "über 5.000 € (freiwillig): Kreistag"


def test_250000_euros_of_mandatory_spending_is_still_the_treasurers():
    assert who_decides(Decimal("250000"), MANDATORY, NEUSS).body == "Kämmerer/in"
    assert who_decides(Decimal("250000.01"), MANDATORY, NEUSS).body == "Kreistag"
    # The same 10.000 € are the council's as voluntary and the treasurer's as mandatory spending.
    assert who_decides(Decimal("10000"), VOLUNTARY, NEUSS).body == "Kreistag"
    assert who_decides(Decimal("10000"), MANDATORY, NEUSS).body == "Kämmerer/in"


# --------------------------------------------------------------------------- a city, a Städteregion


@pytest.mark.parametrize("amount, stage", [
    ("0.01", 0), ("500.00", 0), ("500.01", 1), ("2500", 1), ("2500.01", 2), ("30000.00", 2), ("30000.01", 3),
    ("1000000", 3),
])
def test_the_city_stages_500_2500_30000_include_their_amounts(amount, stage):
    assert who_decides(Decimal(amount), VOLUNTARY, CITY) == CITY[stage]
    assert who_decides(Decimal(amount), MANDATORY, CITY) == CITY[stage]  # one set for both kinds


def test_the_city_stages_are_named_with_their_range():
    assert [text(stage, CITY) for stage in CITY] == [
        "bis einschließlich 500 €: Fachbereich Finanzen / Kämmerei",
        "über 500 € bis einschließlich 2.500 €: Kämmerer/in",
        "über 2.500 € bis einschließlich 30.000 €: Bürgermeister/in",
        "über 30.000 €: Rat",
    ]


def test_the_staedteregion_decides_40000_euros_in_the_treasury():
    assert who_decides(Decimal("40000"), VOLUNTARY, STAEDTEREGION).body == "Kämmerer/in"
    assert who_decides(Decimal("40000.01"), MANDATORY, STAEDTEREGION).body == "Städteregionstag"


def test_a_statute_of_one_open_stage_gives_every_amount_to_that_body():
    stages = (Stage(ALL, None, "Kreistag"),)
    assert who_decides(Decimal("0.01"), VOLUNTARY, stages).body == "Kreistag"
    assert text(stages[0], stages) == "jeder Betrag: Kreistag"


# --------------------------------------------------------------------------- refusals


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError, match="nie negativ"):
        who_decides(Decimal("-0.01"), VOLUNTARY, NEUSS)


def test_a_float_is_refused():
    with pytest.raises(TypeError):
        who_decides(5000.0, VOLUNTARY, NEUSS)


def test_amounts_are_compared_in_cents_rounded_half_up():
    assert who_decides(Decimal("5000.004"), VOLUNTARY, NEUSS).body == "Kämmerer/in"
    assert who_decides(Decimal("5000.005"), VOLUNTARY, NEUSS).body == "Kreistag"
    assert who_decides("5000.00", VOLUNTARY, NEUSS).body == "Kämmerer/in"  # a string, as from a form


def test_the_kind_of_spending_is_voluntary_or_mandatory():
    with pytest.raises(ValueError, match="freiwillig oder pflichtig"):
        who_decides(Decimal("1"), ALL, CITY)


def test_without_stages_for_a_kind_nobody_can_be_named():
    with pytest.raises(NoStagesError, match="pflichtige Aufwendungen"):
        who_decides(Decimal("1"), MANDATORY, NEUSS[:2])
    with pytest.raises(NoStagesError):
        who_decides(Decimal("1"), VOLUNTARY, ())


def test_an_invalid_set_of_stages_is_refused_rather_than_read_one_way():
    with pytest.raises(ValueError, match="mehr als eine Stufe ohne Obergrenze"):
        who_decides(Decimal("1"), VOLUNTARY, (Stage(ALL, None, "Rat"), Stage(ALL, None, "Kreistag")))


def test_own_stages_of_a_kind_come_before_those_for_both_kinds():
    assert applicable_stages(MANDATORY, NEUSS) == (NEUSS[2], NEUSS[3])
    assert applicable_stages(VOLUNTARY, reversed(CITY)) == CITY


# --------------------------------------------------------------------------- validation, in German


def test_valid_statutes_have_no_errors():
    assert stage_errors(NEUSS) == stage_errors(CITY) == stage_errors(STAEDTEREGION) == stage_errors(()) == []


@pytest.mark.parametrize("stages, message", [
    ((Stage(ALL, Decimal("500"), "Kämmerer/in"), Stage(ALL, Decimal("500"), "Landrat"), Stage(ALL, None, "Kreistag")),
     "Die Obergrenze 500\u00a0€ steht bei den Stufen für freiwillige und pflichtige Aufwendungen mehr als einmal."),
    ((Stage(VOLUNTARY, Decimal("5000"), "Kämmerer/in"),),
     "Bei den Stufen für freiwillige Aufwendungen fehlt die letzte Stufe ohne Obergrenze"),
    ((Stage(ALL, None, "Rat"), Stage(ALL, None, "Kreistag")), "mehr als eine Stufe ohne Obergrenze"),
    ((Stage(ALL, Decimal("40000"), "Kämmerer/in"), Stage(ALL, None, "Kreistag"), Stage(VOLUNTARY, None, "Kreistag")),
     "schließen sich aus"),
    ((Stage(ALL, Decimal("30000"), "Landrat"), Stage(ALL, Decimal("2500"), "Kämmerer/in"), Stage(ALL, None, "Rat")),
     "Bitte die Stufen für freiwillige und pflichtige Aufwendungen aufsteigend eintragen: 2.500\u00a0€ steht nach "
     "30.000\u00a0€."),
    ((Stage(ALL, None, "Rat"), Stage(ALL, Decimal("2500"), "Kämmerer/in")),
     "Die Stufe ohne Obergrenze muss die letzte der Stufen für freiwillige und pflichtige Aufwendungen sein."),
    ((Stage(ALL, Decimal("0"), "Kämmerer/in"), Stage(ALL, None, "Rat")), "muss über 0 € liegen"),
    ((Stage(ALL, None, " "),), "Bitte bei jeder Stufe angeben, wer entscheidet."),
])
def test_stages_with_an_error_are_refused_in_german(stages, message):
    assert any(message in error for error in stage_errors(stages))


def test_the_order_of_entry_matters_only_in_forms():
    stages = (Stage(ALL, None, "Rat"), Stage(ALL, Decimal("2500"), "Kämmerer/in"))
    assert stage_errors(stages) and stage_errors(stages, entered_order=False) == []


# --------------------------------------------------------------------------- properties

limits = st.lists(st.integers(min_value=1, max_value=10_000_000), min_size=0, max_size=6, unique=True).map(
    lambda cents: tuple(Decimal(c).scaleb(-2) for c in sorted(cents)))
amounts = st.integers(min_value=0, max_value=20_000_000).map(lambda cents: Decimal(cents).scaleb(-2))


def statute(upper_limits):
    return tuple(Stage(ALL, limit, f"Stufe {index}") for index, limit in enumerate(upper_limits)) + (
        Stage(ALL, None, "Rat"),)


@given(limits, amounts, amounts)
def test_the_deciding_stage_never_falls_as_the_amount_rises(upper_limits, first, second):
    stages = statute(upper_limits)
    low, high = sorted((first, second))
    assert stages.index(who_decides(low, VOLUNTARY, stages)) <= stages.index(who_decides(high, MANDATORY, stages))


@given(limits, amounts)
def test_the_deciding_stage_is_the_first_whose_limit_includes_the_amount(upper_limits, amount):
    stages = statute(upper_limits)
    stage = who_decides(amount, VOLUNTARY, stages)
    assert stage.upper_limit is None or amount <= stage.upper_limit
    assert all(amount > other.upper_limit for other in stages[:stages.index(stage)])
