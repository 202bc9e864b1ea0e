"""The engine's rules for every county (DOMAIN.md, "Rules real counties need"), with the counties' figures."""
from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from budgeting import calculations as calc

COSTS = {"E11": {2020: D("106540")}, "E9a": {2020: D("83860")}, "S12": {2020: D("95380")}, "E5": {2020: D("73780")}}
YEAR_2021 = (date(2021, 1, 1), date(2021, 12, 1))


def positions(*ftes, grade="E9a", start=None, end=None):
    return tuple(calc.PositionInput(str(i), D(str(f)), grade, start, end) for i, f in enumerate(ftes))


def run(*blocks, start, end, sources=(), costs=COSTS):
    return calc.calculate(calc.CalculationInput("Test", start, end, blocks, costs, sources))


B3_RATE = (calc.RateInput("personnel", D("37500"), date(2021, 1, 1)),)


def decision(units=None, amount=None, start=date(2021, 1, 1), end=date(2021, 12, 31), key="d1",
             label="Bescheid vom 22.02.2021"):
    return calc.DecisionInput(key, label, start, end, units, amount, units_key=key + ":slot")


# --------------------------------------------------------------------------- the decision rules


def test_the_decision_grants_one_and_a_half_slots_so_baustein_3_gets_56_250_not_75_000():
    block = calc.BlockInput("b3", "Baustein 3", "kim-b3", calc.PER_SLOT, positions("1.0", "0.5"), B3_RATE,
                            decisions=(decision(D("1.5"), D("56250")),))
    result = run(block, start=YEAR_2021[0], end=YEAR_2021[1]).blocks[0]
    assert result.grant == D("56250")
    assert result.limits == ["begrenzt durch Bescheid vom 22.02.2021: 1,5 Förderstellen"]
    grant_line = next(line for line in result.lines if line.field == "grant")
    assert grant_line.text.startswith("1,5 Förderstellen × 37.500\u00a0€ = 56.250\u00a0€")


def test_without_a_decision_the_rates_apply_and_the_page_says_so():
    needed = calc.BlockInput("b1", "B1", "kim-b1", calc.PER_SLOT, positions("1.0", "0.5"), B3_RATE)
    free = calc.BlockInput("b3", "B3", "kim-b3", calc.PER_SLOT, positions("1.0", "0.5"), B3_RATE,
                           decision_needed=False)
    result = run(needed, free, start=YEAR_2021[0], end=YEAR_2021[1])
    assert [b.grant for b in result.blocks] == [D("75000"), D("75000")]
    assert result.blocks[0].notes == ["kein Bescheid für 01/2021–12/2021: Förderung nach den Fördersätzen"]
    assert result.blocks[1].notes == ["ohne Antrag: Förderung nach den Fördersätzen (01/2021–12/2021)"]


def test_the_decision_amount_binds_when_it_is_smaller_than_the_slots():
    block = calc.BlockInput("b3", "Baustein 3", "kim-b3", calc.PER_SLOT, positions(1, 1), B3_RATE,
                            decisions=(decision(D("2"), D("60000")),))
    result = run(block, start=YEAR_2021[0], end=YEAR_2021[1]).blocks[0]
    assert result.grant == D("60000")
    assert result.limits == ["begrenzt durch Bescheid vom 22.02.2021: 60.000\u00a0€"]


def test_two_blocks_share_one_decision_and_never_get_more_than_it_grants():
    shared = decision(D("1.5"), D("56250"))
    county = calc.BlockInput("k", "KI", "kim-b3", calc.PER_SLOT, positions(1), B3_RATE, decisions=(shared,))
    town = calc.BlockInput("t", "Stadt", "kim-b3", calc.PER_SLOT, positions(1), B3_RATE, decisions=(shared,),
                           borne_by="Stadt")
    result = run(county, town, start=YEAR_2021[0], end=YEAR_2021[1])
    assert [b.grant for b in result.blocks] == [D("37500"), D("18750")]
    assert result.total("grant") == D("56250")


def test_a_decision_counts_only_in_its_own_period():
    block = calc.BlockInput("b3", "Baustein 3", "kim-b3", calc.PER_SLOT, positions(1, 1), B3_RATE,
                            decisions=(decision(D("1")),))
    result = run(block, start=date(2021, 12, 1), end=date(2022, 12, 1)).blocks[0]
    # December 2021: 1 slot (3.125 €); 2022 without a decision: 2 slots × 37.500 €.
    assert result.grant == D("3125") + D("75000")


# --------------------------------------------------------------------------- caps and fixed amounts

KOMM_AN = (calc.RateInput("personnel", D("57000"), date(2023, 1, 1), cap=D("114000"), max_units=D("2")),)


def test_komm_an_pays_at_most_two_posts_and_114_000_euros_a_year():
    block = calc.BlockInput("ka", "KOMM-AN I", "komm-an-1", calc.PER_FTE, positions(1, 1, 1, grade="S12"), KOMM_AN,
                            decision_needed=False)
    result = run(block, start=date(2023, 1, 1), end=date(2023, 12, 1)).blocks[0]
    assert result.grant == D("114000")
    assert result.limits == ["begrenzt durch Fördersatz: höchstens 2 Stellen"]
    two_and_a_half = calc.BlockInput("ka", "KOMM-AN I", "komm-an-1", calc.PER_FTE,
                                     positions(1, 1, "0.5", grade="S12"), KOMM_AN)
    assert run(two_and_a_half, start=date(2023, 1, 1), end=date(2023, 12, 1)).blocks[0].grant == D("114000")


def test_a_cap_in_euros_binds_on_its_own():
    rate = (calc.RateInput("personnel", D("57000"), date(2023, 1, 1), cap=D("100000")),)
    block = calc.BlockInput("ka", "KOMM-AN I", "komm-an-1", calc.PER_FTE, positions(1, 1, grade="S12"), rate)
    result = run(block, start=date(2023, 1, 1), end=date(2023, 12, 1)).blocks[0]
    assert result.grant == D("100000")
    assert "höchstens 100.000\u00a0€ im Jahr" in result.limits[0]


GRUNDFOERDERUNG = (calc.RateInput("personnel", D("170000"), date(2014, 1, 1), kind=calc.FIXED, max_units=D("3.5")),)


def test_the_ki_grundfoerderung_pays_its_fixed_170_000_euros_not_zero():
    block = calc.BlockInput("ki", "KI-Grundförderung", "ki-personal", calc.PER_FTE,
                            positions(2, 1, grade="E11") + positions("0.5", grade="E5"), GRUNDFOERDERUNG)
    result = run(block, start=date(2021, 1, 1), end=date(2021, 12, 1)).blocks[0]
    assert result.total == D("3") * D("106540") + D("36890")
    assert result.grant == D("170000")
    assert result.own_share == result.total - D("170000")


def test_a_fixed_amount_never_exceeds_the_cost_of_at_most_three_and_a_half_posts():
    small = calc.BlockInput("ki", "KI", "ki-personal", calc.PER_FTE, positions(1, grade="E11"), GRUNDFOERDERUNG)
    assert run(small, start=date(2021, 1, 1), end=date(2021, 12, 1)).blocks[0].grant == D("106540")
    cheap = {"E5": {2020: D("40000")}}
    many = calc.BlockInput("ki", "KI", "ki-personal", calc.PER_FTE, positions(1, 1, 1, 1, 1, grade="E5"),
                           GRUNDFOERDERUNG)
    # 5 posts cost 200.000 €; the cost of 3,5 posts is 140.000 € < 170.000 €.
    result = run(many, start=date(2021, 1, 1), end=date(2021, 12, 1), costs=cheap).blocks[0]
    assert result.grant == D("140000")


# --------------------------------------------------------------------------- rates go on changing

B2_RATES = (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),
            calc.RateInput("personnel", D("57000"), date(2023, 1, 1)))


def test_an_open_rate_ends_when_a_newer_one_starts_unna_gets_1_026_000_euros_for_18_fte():
    unna = calc.BlockInput("b2", "Baustein 2", "kim-b2", calc.PER_FTE, positions(*[1] * 18, grade="S12"), B2_RATES)
    assert run(unna, start=date(2023, 1, 1), end=date(2023, 12, 1)).blocks[0].grant == D("1026000")
    assert run(unna, start=date(2022, 1, 1), end=date(2022, 12, 1)).blocks[0].grant == D("990000")


# --------------------------------------------------------------------------- part months


def test_a_position_from_31_january_to_1_march_counts_1_31_28_28_and_1_31():
    block = calc.BlockInput("p", "P", "m", calc.PER_FTE,
                            positions(1, grade="E11", start=date(2024, 1, 31), end=date(2024, 3, 1)))
    result = run(block, start=date(2024, 1, 1), end=date(2024, 3, 1)).blocks[0]
    # 106.540 / 12 = 8.878,33 a month: January 1/31 = 286 €, February 8.878 €, March 1/31 (29 days: leap year) 286 €.
    assert [m.total for m in result.months] == [D("286"), D("8878"), D("286")]
    assert any("1/31" in line.detail for line in result.lines)


def test_whole_months_keep_the_papers_figures():
    block = calc.BlockInput("p", "P", "m", calc.PER_FTE,
                            positions("3.5", grade="E11", start=date(2021, 12, 1), end=date(2022, 12, 31)),
                            (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),
                             calc.RateInput("material", D("9700"), date(2020, 1, 1))))
    result = run(block, start=date(2021, 12, 1), end=date(2022, 12, 1)).blocks[0]
    assert (result.total, result.grant, result.own_share) == (D("403963"), D("245319"), D("158644"))


def test_a_source_usable_until_15_february_covers_15_28_of_february():
    block = calc.BlockInput("p", "P", "m", calc.PER_FTE, positions(1, grade="E11"))
    source = calc.CoverageSourceInput("Rest", D("100000"), date(2023, 2, 15))
    result = run(block, start=date(2023, 1, 1), end=date(2023, 3, 1), sources=(source,), costs={"E11": {2020: D("120000")}})
    january, february, march = result.blocks[0].months
    assert january.uncovered == 0
    assert february.covered == {"Rest": D("5357")}  # 10.000 € × 15/28
    assert february.uncovered == D("4643") and march.uncovered == D("10000")


# --------------------------------------------------------------------------- a balance has a date


def test_a_balance_as_of_30_june_is_not_spent_on_january_to_march():
    block = calc.BlockInput("p", "P", "m", calc.PER_FTE, positions(1, grade="E11"))
    source = calc.CoverageSourceInput("Rest", D("10000"), date(2024, 12, 31), date(2024, 6, 30))
    result = run(block, start=date(2024, 1, 1), end=date(2024, 12, 1), sources=(source,),
                 costs={"E11": {2020: D("60000")}})
    months = result.blocks[0].months
    # January to June were paid as planned (commitments); the 10.000 € are drawn from July.
    assert all(m.covered == {"Rest (verplant)": D("5000")} for m in months[:6])
    assert [m.covered.get("Rest") for m in months[6:8]] == [D("5000"), D("5000")]
    assert months[8].uncovered == D("5000") and result.sources[0].closing_balance == 0


def test_a_period_starting_after_the_balance_date_first_draws_the_months_in_between():
    block = calc.BlockInput("p", "P", "m", calc.PER_FTE, positions(1, grade="E11"))
    source = calc.CoverageSourceInput("Rest", D("10000"), date(2024, 12, 31), date(2024, 6, 30))
    later = run(block, start=date(2024, 8, 1), end=date(2024, 12, 1), sources=(source,),
                costs={"E11": {2020: D("60000")}})
    # July took 5.000 €: August gets the other 5.000 €, September on is uncovered.
    assert later.blocks[0].months[0].covered == {"Rest": D("5000")}
    assert later.unplanned_provision == D("20000")
    assert later.sources[0].drawn_before == D("5000")


def test_deadlines_by_purpose_neuss_kim_until_june_own_measures_until_november_2020():
    window = calc.UsageWindow(frozenset({"kim"}), date(2020, 6, 30), "KIM bis 30.06.2020")
    source = calc.CoverageSourceInput("Integrationspauschale", D("1000000"), date(2020, 11, 30), windows=(window,))
    kim = calc.BlockInput("kim", "KIM", "kim-b1", calc.PER_FTE, positions(1, grade="E11"), programme="kim")
    own = calc.BlockInput("own", "Eigene Maßnahmen", "eigen", calc.PER_FTE, positions(1, grade="E11"),
                          programme="eigene-massnahmen")
    result = run(kim, own, start=date(2020, 1, 1), end=date(2020, 12, 1), sources=(source,),
                 costs={"E11": {2020: D("120000")}})
    kim_months, own_months = result.blocks[0].months, result.blocks[1].months
    assert [m.uncovered for m in kim_months] == [0] * 6 + [D("10000")] * 6
    assert [m.uncovered for m in own_months] == [0] * 11 + [D("10000")]


# --------------------------------------------------------------------------- properties

money = st.integers(min_value=0, max_value=200_000).map(D)
fte_values = st.decimals(min_value=D("0.1"), max_value=D("2"), places=1)


@settings(max_examples=150, deadline=None)
@given(ftes=st.lists(fte_values, min_size=1, max_size=5), rate=money, units=fte_values, amount=money,
       basis=st.sampled_from([calc.PER_FTE, calc.PER_SLOT]), blocks=st.integers(min_value=1, max_value=3))
def test_the_grant_never_exceeds_the_decision_amount_nor_its_slots(ftes, rate, units, amount, basis, blocks):
    shared = decision(units, amount)
    inputs = tuple(calc.BlockInput(f"b{i}", "b", "m", basis, positions(*ftes, grade="E11"),
                                   (calc.RateInput("personnel", rate, date(2020, 1, 1)),), decisions=(shared,))
                   for i in range(blocks))
    result = run(*inputs, start=date(2021, 1, 1), end=date(2021, 12, 1))
    assert result.total("grant") <= amount + blocks  # whole-euro rounding of each block at most
    assert result.total("grant") <= units * rate + blocks


@settings(max_examples=150, deadline=None)
@given(ftes=st.lists(fte_values, min_size=1, max_size=6), rate=money, cap=money,
       max_units=st.one_of(st.none(), fte_values), months=st.integers(min_value=1, max_value=24))
def test_the_grant_never_exceeds_the_rate_cap(ftes, rate, cap, max_units, months):
    rates = (calc.RateInput("personnel", rate, date(2020, 1, 1), cap=cap, max_units=max_units),)
    block = calc.BlockInput("b", "b", "m", calc.PER_FTE, positions(*ftes, grade="E11"), rates)
    end = calc.add_months(date(2024, 1, 1), months - 1)
    result = run(block, start=date(2024, 1, 1), end=end).blocks[0]
    assert result.grant <= calc.period_amount(cap, months) + 1
    if max_units is not None:
        assert result.grant <= calc.period_amount(rate, months) * max_units + 1


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
       days=st.integers(min_value=0, max_value=900))
def test_part_months_add_up_to_the_whole_span(start, days):
    from datetime import timedelta

    end = start + timedelta(days=days)
    shares = [calc.share_of_month(m, start, end) for m in calc.months_between(start, end)]
    assert sum(s.days for s in shares) == days + 1
    assert all(0 < s.days <= s.of for s in shares)


def balance_case(balance, free, until, ftes):
    """A source with a balance free from ``free`` and one block per FTE value (E11, 55.000 € a year)."""
    source = calc.CoverageSourceInput("IP", balance, until, free_from=free)
    blocks = tuple(calc.BlockInput(f"b{i}", "b", "m", calc.PER_FTE, positions(f, grade="E11"),
                                   (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),))
                   for i, f in enumerate(ftes))
    return source, blocks


@settings(max_examples=120, deadline=None)
@given(balance=st.integers(min_value=0, max_value=600_000).map(D),
       free_month=st.integers(min_value=0, max_value=10), later=st.integers(min_value=1, max_value=10),
       until_month=st.integers(min_value=0, max_value=24), ftes=st.lists(fte_values, min_size=1, max_size=3))
def test_a_months_uncovered_amount_does_not_depend_on_the_periods_start(balance, free_month, later, until_month,
                                                                      ftes):
    """From the balance date on, every month's uncovered amount is the same whichever month the period starts.

    For a source still usable when its balance is free (else the balance date changes nothing)."""
    base = date(2021, 6, 1)
    free = calc.add_months(base, free_month)
    source, blocks = balance_case(balance, free, calc.month_end(calc.add_months(free, until_month)), ftes)
    end = date(2023, 12, 1)
    earlier = run(*blocks, start=base, end=end, sources=(source,))
    on_date = run(*blocks, start=free, end=end, sources=(source,))
    for a, b in zip(earlier.blocks, on_date.blocks):
        tail = {m.month: m.uncovered for m in a.months if m.month >= free}
        assert tail == {m.month: m.uncovered for m in b.months}


@settings(max_examples=120, deadline=None)
@given(balance=st.integers(min_value=0, max_value=600_000).map(D),
       free_month=st.integers(min_value=0, max_value=10), later=st.integers(min_value=1, max_value=10),
       until_month=st.integers(min_value=0, max_value=24), ftes=st.lists(fte_values, min_size=1, max_size=3))
def test_a_period_starting_after_the_balance_date_sees_the_balance_drawn_as_from_that_date(
        balance, free_month, later, until_month, ftes):
    """A later start draws the months in between first; what is left differs only by the papers' rounding
    of the months (each period rounds its own figures), never by the months' own shares."""
    base = date(2021, 6, 1)
    free = calc.add_months(base, free_month)
    start = calc.add_months(free, later)
    source, blocks = balance_case(balance, free, calc.month_end(calc.add_months(base, until_month)), ftes)
    end = date(2023, 12, 1)
    whole = run(*blocks, start=free, end=end, sources=(source,))
    tail = run(*blocks, start=start, end=end, sources=(source,))
    drawn_whole = sum((sum(u.used.values(), D(0)) for u in whole.sources), D(0))
    drawn_tail = tail.sources[0].drawn_before + sum(tail.sources[0].used.values(), D(0))
    assert abs(drawn_whole - drawn_tail) <= 2 * len(blocks)
    covered_tail = sum((sum(v for k, v in m.covered.items()) for b in tail.blocks for m in b.months), D(0))
    assert covered_tail + tail.unplanned_provision == tail.total("own_share")


# --------------------------------------------------------------------------- who bears what


def test_heinsberg_tops_up_a_welfare_organisations_case_manager_with_5_000_euros_per_fte():
    """Kreis Heinsberg: the Land's 55.000 € passed on, the county adds 5.000 € per VZÄ, the employer bears the rest."""
    block = calc.BlockInput("cm", "CM Caritas", "kim-b2", calc.PER_FTE, positions(1, "0.5", grade="S12"),
                            (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),), borne_by="Caritas",
                            county_top_up=D("5000"))
    result = run(block, start=date(2021, 1, 1), end=date(2021, 12, 1)).blocks[0]
    # 1,5 VZÄ S12: 143.070 € cost, 82.500 € grant, 7.500 € top-up (the county's own share), 53.070 € Caritas.
    assert (result.total, result.grant, result.own_share, result.third_party) == (
        D("143070"), D("82500"), D("7500"), D("53070"))
    assert any(line.label == "Zuschuss des Kreises" and line.text == "1,5 VZÄ × 5.000\u00a0€ = 7.500\u00a0€"
               for line in result.lines)


def test_a_top_up_never_exceeds_what_the_grant_leaves():
    cheap = {"S12": {2020: D("57000")}}
    block = calc.BlockInput("cm", "CM", "kim-b2", calc.PER_FTE, positions(1, grade="S12"),
                            (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),), borne_by="Caritas",
                            county_top_up=D("5000"))
    result = run(block, start=date(2021, 1, 1), end=date(2021, 12, 1), costs=cheap).blocks[0]
    assert (result.own_share, result.third_party) == (D("2000"), D("0"))


def test_a_decision_amount_shared_by_two_blocks_says_what_the_first_one_took():
    """A fresh user's trial: the second block read "… begrenzt durch Bescheid vom 22.02.2021: 150.000 €: 0 €"."""
    shared = decision(None, D("60000"))
    first = calc.BlockInput("a", "Koordination", "kim-b1", calc.PER_SLOT, positions(1, 1), B3_RATE, decisions=(shared,))
    second = calc.BlockInput("b", "Assistenz", "kim-b1", calc.PER_SLOT, positions(1), B3_RATE, decisions=(shared,))
    result = run(first, second, start=YEAR_2021[0], end=YEAR_2021[1])
    assert [b.grant for b in result.blocks] == [D("60000"), D("0")]
    limited = [line.text for line in result.blocks[1].lines if line.label.startswith("Förderung, begrenzt")]
    assert limited == ["37.500\u00a0€, begrenzt durch Bescheid vom 22.02.2021: 60.000\u00a0€ (davon für andere Blöcke "
                       "bereits gebunden: 60.000\u00a0€) → 0\u00a0€"]
