"""The engine on its own: no database, figures from Vorlage 002 (DOMAIN.md, "Acceptance figures")."""
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgeting import calculations as calc

COSTS = {"E11": {2021: D("106540")}, "E5": {2021: D("73780")}, "S12": {2021: D("95380")}, "E9a": {2021: D("83860")}}
DEC_2021, DEC_2022 = date(2021, 12, 1), date(2022, 12, 1)
IP = calc.CoverageSourceInput("Integrationspauschale", D("450000"), date(2021, 11, 30), date(2021, 5, 27))


def positions(*ftes, grade, start=date(2021, 9, 1), end=None):
    return tuple(calc.PositionInput(str(i), D(str(f)), grade, start, end) for i, f in enumerate(ftes))


def b1_rates():
    return (
        calc.RateInput("personnel", D("55000"), date(2020, 1, 1), date(2022, 12, 31)),
        calc.RateInput("material", D("9700"), date(2020, 1, 1), date(2022, 12, 31)),
        calc.RateInput("personnel", D("57000"), date(2023, 1, 1)),
        calc.RateInput("material", D("5700"), date(2023, 1, 1)),
    )


B1 = calc.BlockInput("b1", "Baustein 1: Koordination", "kim-b1", calc.PER_FTE,
                     positions(1, 1, 1, "0.5", grade="E11"), b1_rates())
ASSISTANT = calc.BlockInput("b1a", "Baustein 1: Verwaltungsassistenz", "kim-b1", calc.PER_SLOT,
                            positions("0.5", grade="E5"),
                            (calc.RateInput("personnel", D("22500"), date(2020, 1, 1)),
                             calc.RateInput("material", D("4850"), date(2020, 1, 1))))
B2 = calc.BlockInput("b2", "Baustein 2: Case Management in Kommunen", "kim-b2", calc.PER_FTE,
                     positions(*[1] * 7, grade="S12"), (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),),
                     (calc.ThirdPartyShare("Raum- und Sachkosten der Kommunen", D("7"), D("6250")),))
B3_V1 = calc.BlockInput("b3", "Baustein 3", "kim-b3", calc.PER_SLOT, positions("0.75", "0.75", "0.75", grade="E9a"),
                        (calc.RateInput("personnel", D("37500"), date(2021, 1, 1)),))
B3_V2 = calc.BlockInput("b3", "Baustein 3", "kim-b3", calc.PER_SLOT, positions(1, 1, 1, grade="E9a"), B3_V1.rates)


def run(*blocks, start=DEC_2021, end=DEC_2022, sources=(IP,), **kwargs):
    return calc.calculate(calc.CalculationInput("Test", start, end, blocks, COSTS, sources, **kwargs))


def figures(block):
    return block.total, block.grant, block.third_party, block.own_share


def test_thirteen_months_from_december_2021_to_december_2022():
    assert len(calc.months_between(DEC_2021, DEC_2022)) == 13


@pytest.mark.parametrize("annual, expected", [
    ("106540", "115418"), ("73780", "79928"), ("95380", "103328"), ("83860", "90848"),
    ("55000", "59583"), ("9700", "10508"), ("22500", "24375"), ("4850", "5254"), ("37500", "40625"), ("6250", "6771"),
])
def test_annual_amounts_for_thirteen_months_round_to_whole_euros_as_the_paper_does(annual, expected):
    assert calc.period_amount(D(annual), 13) == D(expected)


def test_own_share_of_baustein_1_coordination_is_158_644_euros():
    block = run(B1).blocks[0]
    assert figures(block) == (D("403963"), D("245319"), D("0"), D("158644"))
    texts = [line.text for line in block.lines]
    assert "3,5 VZÄ × 70.091\u00a0€ = 245.319\u00a0€" in texts
    assert "3,5 VZÄ × 115.418\u00a0€ = 403.963\u00a0€" in texts


def test_own_share_of_the_assistant_slot_is_10_335_euros_not_the_papers_10_317():
    block = run(ASSISTANT).blocks[0]
    assert figures(block) == (D("39964"), D("29629"), D("0"), D("10335"))
    assert "1 Förderstelle × 29.629\u00a0€ = 29.629\u00a0€" in [line.text for line in block.lines]


def test_own_share_of_baustein_2_is_258_818_euros_after_municipal_material_costs():
    block = run(B2).blocks[0]
    assert figures(block) == (D("723296"), D("417081"), D("47397"), D("258818"))


def test_baustein_3_pays_per_slot_whatever_the_slots_fte():
    assert figures(run(B3_V1).blocks[0]) == (D("204408"), D("121875"), D("0"), D("82533"))
    assert figures(run(B3_V2).blocks[0]) == (D("272544"), D("121875"), D("0"), D("150669"))


def test_risk_range_across_the_two_variants_is_510_330_to_578_466_euros():
    base = [B1, ASSISTANT, B2]
    comparison = calc.compare([
        calc.CalculationInput("Variante 1", DEC_2021, DEC_2022, (*base, B3_V1), COSTS, (IP,)),
        calc.CalculationInput("Variante 2", DEC_2021, DEC_2022, (*base, B3_V2), COSTS, (IP,)),
    ])
    assert [r.unplanned_provision for r in comparison.results] == [D("510330"), D("578466")]
    assert comparison.risk_range_text == "510.330\u00a0€ – 578.466\u00a0€"


def test_a_rate_change_on_1_january_2023_uses_each_rate_for_its_own_months():
    block = run(B1, start=date(2022, 12, 1), end=date(2023, 1, 1), sources=()).blocks[0]
    december, january = block.months
    # 55.000/12 = 4.583 + 9.700/12 = 808 -> 5.391 per FTE; 57.000/12 = 4.750 + 5.700/12 = 475 -> 5.225.
    assert december.grant == D("18869")  # 3,5 × 5.391 = 18.868,5
    assert january.grant == D("18288")  # 3,5 × 5.225 = 18.287,5
    assert block.grant == december.grant + january.grant
    assert any("(01/2023, 1 Monat)" in line.label for line in block.lines)


def test_a_full_year_2023_uses_the_new_rate_of_57_000_euros():
    block = run(B1, start=date(2023, 1, 1), end=date(2023, 12, 1), sources=()).blocks[0]
    assert block.grant == D("3.5") * (D("57000") + D("5700"))


def test_rates_are_caps_the_grant_never_exceeds_the_cost():
    cheap = {"E5": {2021: D("20000")}}
    block = calc.calculate(calc.CalculationInput(
        "Test", DEC_2021, DEC_2022, (ASSISTANT,), cheap)).blocks[0]
    # 0,5 × 21.667 € = 10.834 € cost; the slot's 29.629 € grant is capped to it.
    assert block.total == block.grant == D("10834")
    assert block.own_share == 0


def test_an_external_employer_bears_the_own_share():
    troisdorf = calc.BlockInput("b2t", "Troisdorf", "kim-b2", calc.PER_FTE, positions(1, grade="S12"),
                                B2.rates, borne_by="Stadt Troisdorf")
    result = run(troisdorf)
    assert figures(result.blocks[0]) == (D("103328"), D("59583"), D("43745"), D("0"))
    assert result.unplanned_provision == 0


def test_the_integrationspauschale_covers_own_shares_through_november_2021_only():
    result = run(B1, start=date(2021, 9, 1), end=DEC_2022)
    block = result.blocks[0]
    autumn = block.months[:3]
    assert all(m.uncovered == 0 and m.covered for m in autumn)
    assert sum(m.covered["Integrationspauschale"] for m in autumn) == sum(m.own_share for m in autumn)
    assert result.unplanned_provision == sum(m.own_share for m in block.months[3:]) > 0


def test_an_extension_to_november_2022_leaves_only_december_2022_uncovered_while_balance_lasts():
    extended = calc.CoverageSourceInput("Integrationspauschale", D("450000"), date(2022, 11, 30))
    result = run(B1, sources=(extended,))
    december_2022 = result.blocks[0].months[-1]
    assert result.unplanned_provision == december_2022.own_share


def test_a_small_balance_is_used_up_and_the_rest_stays_uncovered():
    small = calc.CoverageSourceInput("Rest", D("1000"), date(2030, 12, 31))
    result = run(B1, sources=(small,))
    assert result.unplanned_provision == D("158644") - D("1000")
    assert result.sources[0].closing_balance == 0


def test_an_appropriation_on_the_budget_line_covers_its_block_first():
    covered = calc.BlockInput("b2k", "KI", "kim-b2", calc.PER_FTE, positions(1, 1, 1, grade="S12"), B2.rates,
                              budget_line="HH-1")
    result = run(covered, appropriations=(calc.AppropriationInput("HH-1", 2021, D("10095")),
                                          calc.AppropriationInput("HH-1", 2022, D("121140"))))
    assert result.blocks[0].own_share == D("131235")
    assert result.unplanned_provision == 0


def test_the_difference_to_a_figure_stated_in_the_paper_is_shown():
    result = run(ASSISTANT, stated=(calc.StatedFigureInput("b1a", "own_share", D("10317"), "Vorlage 002"),))
    (difference,) = result.differences
    assert difference.difference == D("-18")
    assert "Differenz -18\u00a0€" in difference.text


def test_months_add_up_exactly_to_the_period():
    block = run(B2).blocks[0]
    for name in calc.FIELDS:
        assert sum(getattr(m, name) for m in block.months) == getattr(block, name)


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(calc.CalculationError, match="vor dem Beginn"):
        calc.months_between(DEC_2022, DEC_2021)


def test_a_missing_workplace_cost_is_refused_with_a_clear_message():
    with pytest.raises(calc.CalculationError, match="E11 fehlen die Arbeitsplatzkosten"):
        early = calc.BlockInput("e", "x", "kim-b1", calc.PER_FTE, positions(1, grade="E11", start=None), b1_rates())
        run(early, start=date(2020, 1, 1), end=date(2020, 2, 1))


def test_positions_count_only_in_months_they_are_active():
    late = calc.BlockInput("late", "x", "kim-b1", calc.PER_FTE, positions(1, grade="E11", start=date(2022, 7, 1)),
                           b1_rates())
    block = run(late).blocks[0]
    assert all(m.total == 0 for m in block.months[:7])
    assert block.total == calc.period_amount(D("106540"), 6)


# --------------------------------------------------------------------------- properties

ftes = st.decimals(min_value=D("0.001"), max_value=D("1"), places=3)
amounts = st.integers(min_value=0, max_value=150_000).map(D)
month_counts = st.integers(min_value=1, max_value=36)


@settings(max_examples=300, deadline=None)
@given(
    block_ftes=st.lists(ftes, min_size=1, max_size=8),
    cost=st.integers(min_value=1, max_value=200_000).map(D),
    personnel=amounts, material=amounts, third=amounts,
    third_fte=st.decimals(min_value=D("0"), max_value=D("10"), places=2),
    basis=st.sampled_from([calc.PER_FTE, calc.PER_SLOT]),
    months=month_counts,
)
def test_own_share_is_always_total_minus_grant_minus_third_party_and_never_negative(
        block_ftes, cost, personnel, material, third, third_fte, basis, months):
    block = calc.BlockInput(
        "p", "p", "m", basis, tuple(calc.PositionInput(str(i), f, "X", None, None) for i, f in enumerate(block_ftes)),
        (calc.RateInput("personnel", personnel, date(2000, 1, 1)), calc.RateInput("material", material, date(2000, 1, 1))),
        (calc.ThirdPartyShare("t", third_fte, third),),
    )
    start = date(2024, 1, 1)
    end = calc.months_between(start, date(2024 + (months - 1) // 12, (months - 1) % 12 + 1, 1))[-1]
    result = calc.calculate(calc.CalculationInput("p", start, end, (block,), {"X": {2000: cost}}))
    b = result.blocks[0]
    assert b.own_share == b.total - b.grant - b.third_party
    assert b.own_share >= 0 and b.grant >= 0 and b.third_party >= 0
    assert b.grant <= b.total
    for m in b.months:
        assert m.own_share >= 0 and m.grant >= 0 and m.third_party >= 0
        assert m.own_share == m.total - m.grant - m.third_party
    for name in calc.FIELDS:
        assert sum(getattr(m, name) for m in b.months) == getattr(b, name)
    assert b.uncovered == b.own_share


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10_000_000).map(D), months=month_counts)
def test_spreading_an_amount_over_months_adds_up_and_stays_non_negative(amount, months):
    parts = calc.spread(amount, months)
    assert sum(parts) == amount
    assert all(p >= 0 for p in parts)
    assert max(parts) - min(parts) <= 1 or amount < months


@settings(max_examples=200, deadline=None)
@given(balance=amounts, own=st.lists(amounts, min_size=1, max_size=4))
def test_coverage_never_pays_more_than_the_balance(balance, own):
    blocks = tuple(
        calc.BlockInput(f"b{i}", "b", "m", calc.PER_FTE, (calc.PositionInput("1", D("1"), "X", None, None),))
        for i, _ in enumerate(own)
    )
    costs = {"X": {2000: D(sum(own)) + 1}}
    result = calc.calculate(calc.CalculationInput(
        "c", date(2024, 1, 1), date(2024, 12, 1), blocks, costs,
        (calc.CoverageSourceInput("s", balance, date(2024, 12, 31)),)))
    used = sum(sum(s.used.values()) for s in result.sources)
    assert used <= balance
    assert used + result.unplanned_provision == result.total("own_share")
