"""The Kreisumlage split (levy.rules): shares by Umlagegrundlagen, rounded so the amounts add up; no database.

Vorlage 001, Anhang 2: the KI's extra cost of about 80.000 € a year reaches the municipalities through the
Kreisumlage, each paying its Umlagegrundlagen divided by their sum (DOMAIN.md, "Kreisumlage").
"""
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levy.rules import Basis, LevyError, bases_for, own_share_by_year, split, split_case


def test_the_80000_euro_of_vorlage_001_split_by_bases_of_one_two_and_five():
    parts = split(Decimal("80000"), [Basis("Alfter", Decimal("100")), Basis("Bornheim", Decimal("200")),
                                     Basis("Troisdorf", Decimal("500"))])
    assert [(p.municipality, p.amount, p.share) for p in parts] == [
        ("Alfter", Decimal("10000"), Decimal("0.1250")),
        ("Bornheim", Decimal("20000"), Decimal("0.2500")),
        ("Troisdorf", Decimal("50000"), Decimal("0.6250")),
    ]


def test_a_euro_left_over_goes_to_the_largest_remainder():
    # 100 € over 1 : 1 : 1 is 33,33… each: the euro left goes to the largest remainder; all remainders tie,
    # so the tie rule decides: equal bases, then the name — Alfter.
    parts = split(Decimal("100"), [Basis("Windeck", Decimal("1")), Basis("Alfter", Decimal("1")),
                                   Basis("Much", Decimal("1"))])
    assert {p.municipality: p.amount for p in parts} == {"Windeck": 33, "Alfter": 34, "Much": 33}


def test_ties_go_to_the_larger_basis_before_the_name():
    # 1 € over 2 : 3 exact is 0,4 / 0,6: no tie, the larger remainder (0,6) gets it.
    parts = split(Decimal("1"), [Basis("Alfter", Decimal("2")), Basis("Windeck", Decimal("3"))])
    assert [p.amount for p in parts] == [0, 1]
    # 3 € over 1 : 1 : 2 is 0,75 / 0,75 / 1,5: Windeck's 1 € floor, remainders 0,75 0,75 0,5 → Alfter and Bonn.
    parts = split(Decimal("3"), [Basis("Bonn", Decimal("1")), Basis("Alfter", Decimal("1")),
                                 Basis("Windeck", Decimal("2"))])
    assert {p.municipality: p.amount for p in parts} == {"Bonn": 1, "Alfter": 1, "Windeck": 1}


def test_the_result_does_not_depend_on_the_order_of_the_input():
    bases = [Basis(name, Decimal(value)) for name, value in
             (("Much", "14546"), ("Alfter", "23897"), ("Eitorf", "19347"), ("Lohmar", "30244"))]
    forward = {p.municipality: p.amount for p in split(Decimal("1001"), bases)}
    backward = {p.municipality: p.amount for p in split(Decimal("1001"), list(reversed(bases)))}
    assert forward == backward


def test_an_amount_with_cents_is_split_in_cents():
    parts = split(Decimal("10.01"), [Basis("A", Decimal("1")), Basis("B", Decimal("1"))])
    assert sum(p.amount for p in parts) == Decimal("10.01")
    assert sorted(p.amount for p in parts) == [Decimal("5.00"), Decimal("5.01")]


def test_a_negative_amount_is_split_like_its_absolute_value():
    parts = split(Decimal("-100"), [Basis("A", Decimal("1")), Basis("B", Decimal("2"))])
    assert [p.amount for p in parts] == [Decimal("-33"), Decimal("-67")]


def test_the_shares_add_up_to_one_exactly():
    parts = split(Decimal("0"), [Basis(str(i), Decimal(1)) for i in range(3)])
    assert [p.share for p in parts] == [Decimal("0.3334"), Decimal("0.3333"), Decimal("0.3333")]
    assert [p.amount for p in parts] == [0, 0, 0]


@pytest.mark.parametrize("bases, message", [
    ([], "keine Umlagegrundlagen erfasst"),
    ([Basis("Alfter", Decimal("0")), Basis("Much", Decimal("0"))], "Summe der Umlagegrundlagen ist 0 €"),
    ([Basis("Alfter", Decimal("-1")), Basis("Much", Decimal("5"))], r"nicht negativ sein \(Alfter\)"),
    ([Basis("Alfter", 1.5)], "keine Gleitkommazahl"),
])
def test_bases_that_cannot_split_are_refused_in_german(bases, message):
    with pytest.raises(LevyError, match=message):
        split(Decimal("1000"), bases)


def test_a_float_amount_is_refused():
    with pytest.raises(LevyError, match="Gleitkommazahl"):
        split(1000.0, [Basis("Alfter", Decimal("1"))])


amounts = st.decimals(min_value=Decimal("-10000000"), max_value=Decimal("10000000"), places=2,
                      allow_nan=False, allow_infinity=False)
bases_lists = st.lists(
    st.tuples(st.sampled_from(["Alfter", "Bad Honnef", "Bornheim", "Eitorf", "Hennef (Sieg)", "Much", "Windeck"]),
              st.decimals(min_value=Decimal("0"), max_value=Decimal("500000000"), places=2,
                          allow_nan=False, allow_infinity=False)),
    min_size=1, max_size=19, unique_by=lambda item: item[0],
).filter(lambda items: sum(value for _, value in items) > 0)


@given(amounts, bases_lists)
def test_the_amounts_always_add_up_exactly(amount, items):
    parts = split(amount, [Basis(name, value) for name, value in items])
    assert sum(p.amount for p in parts) == amount
    assert sum(p.share for p in parts) == Decimal("1.0000")


@given(amounts, bases_lists)
def test_each_amount_is_within_one_unit_of_its_exact_share(amount, items):
    bases = [Basis(name, value) for name, value in items]
    total = sum(value for _, value in items)
    unit = Fraction(1) if amount == amount.to_integral_value() else Fraction(1, 100)
    for part, (_, value) in zip(split(amount, bases), items):
        exact = Fraction(amount) * Fraction(value) / Fraction(total)
        assert abs(Fraction(part.amount) - exact) < unit
        assert abs(Fraction(part.amount) - exact) <= 1  # within 1 €


@given(amounts.map(abs), bases_lists)
def test_no_amount_is_negative_for_a_non_negative_amount(amount, items):
    assert all(p.amount >= 0 for p in split(amount, [Basis(name, value) for name, value in items]))


# --------------------------------------------------------------------------- fiscal years

BASES = {2021: (Basis("Alfter", Decimal("1")), Basis("Much", Decimal("3"))),
         2022: (Basis("Alfter", Decimal("1")), Basis("Much", Decimal("1")))}


def test_each_fiscal_year_is_split_by_its_own_bases_and_summed_per_municipality():
    case = split_case("Planstand", {2021: Decimal("400"), 2022: Decimal("1000")}, BASES)
    assert [(row.municipality, row.total) for row in case.rows] == [("Alfter", 600), ("Much", 800)]
    assert case.total == case.own_share == Decimal("1400")
    assert case.notes == ()


def test_a_year_without_bases_uses_the_latest_earlier_year_and_says_so():
    assert bases_for(2023, BASES)[0] == 2022
    case = split_case("Planstand", {2023: Decimal("100")}, BASES)
    assert case.years[0].bases_year == 2022
    assert case.notes == ("Für 2023 sind keine Umlagegrundlagen erfasst; aufgeteilt nach den Umlagegrundlagen 2022.",)


def test_a_year_before_any_bases_is_not_split_and_a_note_says_so():
    case = split_case("Planstand", {2020: Decimal("500"), 2021: Decimal("400")}, BASES)
    assert case.notes[0].startswith("Für 2020 sind keine Umlagegrundlagen erfasst")
    assert case.total == Decimal("400")
    assert case.own_share == Decimal("900")


def test_no_bases_at_all_means_no_rows():
    case = split_case("Planstand", {2022: Decimal("500")}, {})
    assert case.rows == ()
    assert case.notes == ("Für 2022 sind keine Umlagegrundlagen erfasst; der Eigenanteil 2022 wird nicht aufgeteilt.",)


def test_months_are_summed_per_calendar_year():
    assert own_share_by_year([(2021, Decimal("5")), (2022, Decimal("7")), (2022, Decimal("1"))]) == {
        2021: Decimal("5"), 2022: Decimal("8")}
