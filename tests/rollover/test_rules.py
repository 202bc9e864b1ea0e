"""The rollover rules without a database (rollover.rules): what is copied, what ends, what is already there."""
from datetime import date
from decimal import Decimal as D

import pytest

from rollover.rules import (LAND_EXTENSION_OPEN, AppropriationIn, DecisionIn, PositionIn, RolloverInput,
                            RolloverRefused, SlotIn, annual_amount, check_year, plan_rollover)

CM_LINE = AppropriationIn(1, "31.10.01-KIM-CM", "KIM Case Management", 2022, D("121140.00"))
PROJECT_LINE = AppropriationIn(2, "rsk-projektmittel", "KI – Projektmittel", 2022, D("50000.00"))


def position(key, end_on=None, fixed_term_until=None, start_on=date(2021, 9, 1)):
    return PositionIn(key, f"KI-B3-0{key}", f"Sachbearbeitung {key}", "kim-b3", D("0.75"), start_on, end_on,
                      fixed_term_until)


def decision(key, start, end, amount=None, ends_on=None, land=True, module_id=10, slots=()):
    return DecisionIn(key, f"Bescheid {start:%d.%m.%Y}–{end:%d.%m.%Y}", 1, "KOMM-AN NRW", module_id,
                      "Programmteil II", start, end, amount, slots, ends_on, land)


def plan(appropriations=(), positions=(), decisions=(), year=2022):
    return plan_rollover(RolloverInput(year, tuple(appropriations), tuple(positions), tuple(decisions)))


def test_it_copies_each_appropriation_with_the_same_line_and_amount():
    result = plan([CM_LINE, PROJECT_LINE])
    assert [(a.source.line, a.fiscal_year, a.amount) for a in result.appropriations] == [
        ("31.10.01-KIM-CM", 2023, D("121140.00")), ("rsk-projektmittel", 2023, D("50000.00"))]
    assert result.copied_total == D("171140.00")


def test_it_keeps_an_appropriation_the_next_year_already_has():
    decided = AppropriationIn(1, "31.10.01-KIM-CM", "KIM Case Management", 2023, D("130000.00"))
    result = plan([CM_LINE, decided, PROJECT_LINE])
    assert [a.source.line for a in result.appropriations] == ["rsk-projektmittel"]
    assert [(k.source.amount, k.existing.amount) for k in result.kept_appropriations] == [
        (D("121140.00"), D("130000.00"))]


def test_a_position_ending_in_the_year_is_left_out_with_its_end_date():
    result = plan(positions=[position(1, end_on=date(2022, 12, 31)), position(2), position(3, end_on=date(2023, 3, 31))])
    assert [(e.position.key, e.end_on) for e in result.ending] == [(1, date(2022, 12, 31))]
    assert [c.position.key for c in result.continuing] == [2, 3]


def test_a_fixed_term_ending_in_the_year_without_an_end_continues_with_a_note():
    result = plan(positions=[position(1, fixed_term_until=date(2022, 12, 31)),
                             position(2, fixed_term_until=date(2024, 6, 30))])
    assert [(c.position.key, c.note) for c in result.continuing] == [
        (1, "Befristung endet am 31.12.2022, Verlängerung prüfen"), (2, "")]


def test_positions_ended_before_the_year_are_not_listed_and_later_ones_are_already_planned():
    result = plan(positions=[position(1, end_on=date(2021, 12, 31)), position(2, start_on=date(2023, 2, 1))])
    assert result.ending == () and result.continuing == ()
    assert [p.key for p in result.already_planned] == [2]


def test_a_two_year_decision_is_expected_again_for_one_year_at_its_annual_amount():
    """KOMM-AN Programmteil II: 120.000 € for 2021-2022 → 60.000 € expected for 2023."""
    result = plan(decisions=[decision(5, date(2021, 1, 1), date(2022, 12, 31), D("120000.00"))])
    [expected] = result.expected
    assert (expected.period_start, expected.period_end, expected.amount) == (date(2023, 1, 1), date(2023, 12, 31),
                                                                            D("60000.00"))
    assert expected.flag == ""
    assert expected.note.startswith("erwartet, Fortschreibung aus 2022 (Annahme:")


def test_a_land_programme_ending_with_the_year_is_flagged_extension_open():
    result = plan(decisions=[decision(5, date(2021, 1, 1), date(2022, 12, 31), D("120000"), ends_on=date(2022, 12, 31))])
    assert result.expected[0].flag == LAND_EXTENSION_OPEN == "Verlängerung durch das Land offen"
    assert result.expected[0].note.endswith("; Verlängerung durch das Land offen")


def test_a_programme_that_ended_before_the_year_end_is_not_expected():
    result = plan(decisions=[decision(5, date(2022, 1, 1), date(2022, 6, 30), D("30000"), ends_on=date(2022, 6, 30))])
    assert result.expected == ()
    assert [s.reason for s in result.skipped] == ["Programm endete am 30.06.2022"]


def test_a_decision_the_next_year_already_has_is_not_expected_twice():
    slot = SlotIn(7, "Case Management", D("11"), D("1"))
    result = plan(decisions=[decision(1, date(2022, 1, 1), date(2022, 12, 31), slots=(slot,)),
                             decision(2, date(2023, 1, 1), date(2023, 12, 31), slots=(slot,))])
    assert result.expected == ()
    assert [d.key for d in result.existing_decisions] == [2]


def test_only_the_last_decision_of_the_year_is_expected_again_with_its_slots():
    slot = SlotIn(7, "Case Management", D("11"), D("1"))
    result = plan(decisions=[decision(1, date(2022, 1, 1), date(2022, 6, 30), D("10000")),
                             decision(2, date(2022, 7, 1), date(2022, 12, 31), D("30000"), slots=(slot,))])
    [expected] = result.expected
    assert expected.source.key == 2 and expected.amount == D("60000.00") and expected.source.slots == (slot,)


def test_the_annual_amount_is_rounded_to_the_cent_half_up():
    assert annual_amount(decision(1, date(2022, 1, 1), date(2022, 7, 31), D("100000"))) == D("171428.57")
    assert annual_amount(decision(1, date(2022, 1, 1), date(2022, 12, 31))) is None


@pytest.mark.parametrize("value, message", [
    ("abc", "„abc“ ist kein Haushaltsjahr; bitte eine Jahreszahl wie 2022 angeben."),
    ("1999", "Das Haushaltsjahr 1999 liegt außerhalb von 2000 bis 2099."),
    ("", "„“ ist kein Haushaltsjahr; bitte eine Jahreszahl wie 2022 angeben."),
])
def test_it_refuses_a_bad_year_in_german(value, message):
    with pytest.raises(RolloverRefused) as error:
        check_year(value)
    assert str(error.value) == message
    assert check_year(" 2022 ") == 2022
