"""The engine follows change points instead of asking every position about every month (issue 13).

budgeting.engine_blocks._Staffing keeps the whole months as a running sum per pay grade and looks up part months;
it must give exactly the groups a walk over every position gives (budgeting.engine_blocks._groups), to the exponent
of each FTE sum, so that every figure and every line of the papers stays the same.
"""
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from budgeting import calculations as calc
from budgeting.engine_blocks import _groups, _Staffing
from budgeting.engine_types import BlockInput, PositionInput, RateInput

FIRST = date(2020, 6, 1)
MONTHS = calc.months_between(date(2021, 1, 1), date(2022, 12, 1))

days = st.integers(min_value=0, max_value=900).map(lambda n: FIRST + timedelta(days=n))
month_firsts = days.map(calc.month_start)
month_lasts = days.map(calc.month_end)
positions = st.builds(
    PositionInput,
    key=st.uuids().map(str),
    fte=st.sampled_from([Decimal("1"), Decimal("1.00"), Decimal("0.5"), Decimal("0.50"), Decimal("0.75"),
                         Decimal("0"), Decimal("0.3")]),
    pay_grade=st.sampled_from(["S12", "E9", "A11"]),
    start_on=st.one_of(st.none(), days, month_firsts),
    end_on=st.one_of(st.none(), days, month_lasts),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(positions, max_size=8))
def test_the_groups_from_change_points_are_those_of_a_walk_over_every_position(chosen):
    block = BlockInput("b", "Block", "kim-b2", calc.PER_FTE, tuple(chosen))
    staffing = _Staffing(block)

    for month in MONTHS:
        expected = _groups(block, month)
        found = staffing.groups(month)
        assert found == expected, month
        assert repr(found) == repr(expected), month  # 1,5 stays 1,5 (not 1,50) after a position ends


def test_an_earlier_month_asked_again_is_computed_directly():
    block = BlockInput("b", "Block", "kim-b2", calc.PER_FTE, (
        PositionInput("a", Decimal("1"), "S12", date(2022, 3, 16), None),))
    staffing = _Staffing(block)

    assert staffing.groups(date(2022, 5, 1)) == _groups(block, date(2022, 5, 1))
    assert staffing.groups(date(2022, 3, 1)) == _groups(block, date(2022, 3, 1))  # 16/31 of March


def test_600_positions_over_120_months_ask_each_position_only_at_its_own_changes():
    """A county of 600 positions: the engine's months × positions walk is gone; the figures are a walk's."""
    positions = tuple(PositionInput(f"p{n}", Decimal("1"), "S12", date(2021, 1 + n % 12, 1 + n % 28), None)
                      for n in range(600))
    block = BlockInput("b", "Block", "kim-b2", calc.PER_FTE, positions,
                       rates=(RateInput("personnel", Decimal("55000"), date(2021, 1, 1)),))
    calls = 0
    original = PositionInput.share_in

    def counting(self, month):
        nonlocal calls
        calls += 1
        return original(self, month)

    PositionInput.share_in = counting
    try:
        months = calc.months_between(date(2021, 1, 1), date(2030, 12, 1))
        result = calc.calculate_block(block, {"S12": {2021: Decimal("80000")}}, months)
    finally:
        PositionInput.share_in = original

    assert calls <= 2 * len(positions)  # at its start month (and end month), not 120 times
    assert result.fte == Decimal("600")
    walked = _walking_every_position(block, months)
    assert (result.total, result.grant, result.own_share) == (walked.total, walked.grant, walked.own_share)
    assert [line.text for line in result.lines] == [line.text for line in walked.lines]
    # 600 posts at 80.000 € a year from their first day: 48 Mio. € a year once all have started, part months by days.
    assert Decimal("456000000") < result.total < Decimal("480000000")


def _walking_every_position(block, months):
    """The block computed the way before issue 13: every position asked about every month."""
    original = _Staffing.groups
    _Staffing.groups = lambda self, month: _groups(self.block, month)
    try:
        return calc.calculate_block(block, {"S12": {2021: Decimal("80000")}}, months)
    finally:
        _Staffing.groups = original
