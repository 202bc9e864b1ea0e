"""One town employs for several municipalities: the own share is split by their agreement (DOMAIN.md,
"Who bears what"; Kreis Coesfeld: Nottuln budgets up to 5.000 € a year for its half of a post employed by
Dülmen)."""
from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from budgeting import calculations as calc
from staffing.splits import SplitRow, split_errors

COSTS = {"S12": {2020: D("95380")}}
CM_RATE = (calc.RateInput("personnel", D("55000"), date(2020, 1, 1)),)
YEAR = (date(2021, 1, 1), date(2021, 12, 1))


def split(party, fte="1", *, days=None, percent=None, amount=None):
    rule = SplitRow(party, days=None if days is None else D(days), percent=None if percent is None else D(percent),
                    annual_amount=None if amount is None else D(amount))
    return calc.SplitInput(rule.party, rule.fraction(D(fte)), rule.annual_amount, rule.basis_text(D(fte)))


def cm_block(*splits, fte="1", start=None, end=None):
    return calc.BlockInput("cm", "Case Management Dülmen", "kim-b2", calc.PER_FTE,
                           (calc.PositionInput("1", D(fte), "S12", start, end),), CM_RATE, borne_by="Stadt Dülmen",
                           decision_needed=False, splits=tuple(splits))


def run(block, start=YEAR[0], end=YEAR[1]):
    return calc.calculate(calc.CalculationInput("Test", start, end, (block,), COSTS)).blocks[0]


def test_nottuln_pays_its_half_but_at_most_5_000_euros_and_duelmen_bears_35_380():
    result = run(cm_block(split("Gemeinde Nottuln", percent="50", amount="5000")))
    assert (result.total, result.grant, result.third_party, result.own_share) == (
        D("95380"), D("55000"), D("40380"), D("0"))
    assert result.parties == {"Gemeinde Nottuln": D("5000"), "Stadt Dülmen": D("35380")}
    texts = {line.label: line.text for line in result.lines}
    assert texts["Anteil Gemeinde Nottuln (50 %, höchstens 5.000\u00a0€ je Jahr)"] == (
        "50 % von 40.380\u00a0€ = 20.190\u00a0€; höchstens 5.000\u00a0€ je Jahr × 12/12 = 5.000\u00a0€ → 5.000\u00a0€")
    assert texts["davon trägt Stadt Dülmen"] == "40.380\u00a0€ − 5.000\u00a0€ = 35.380\u00a0€"


def test_an_amount_alone_is_paid_up_to_its_cap_pro_rata_for_half_a_year():
    result = run(cm_block(split("Gemeinde Nottuln", amount="5000"), start=date(2021, 7, 1)))
    assert result.parties == {"Gemeinde Nottuln": D("2500"), "Stadt Dülmen": D("17690")}
    assert result.third_party == D("20190")


def test_by_days_two_towns_share_a_post_at_two_and_a_half_days_each():
    result = run(cm_block(split("Stadt Haltern am See", days="2.5")))
    assert result.parties == {"Stadt Haltern am See": D("20190"), "Stadt Dülmen": D("20190")}
    assert "2,5 von 5,0 Tagen" in next(line.label for line in result.lines if "Haltern" in line.label)


def test_a_half_post_by_days_counts_days_of_its_own_working_week():
    # 0,5 VZÄ = 2,5 days a week; Olfen gets 1 of them: 2/5 of Dülmen's own share.
    result = run(cm_block(split("Stadt Olfen", fte="0.5", days="1"), fte="0.5"))
    assert result.third_party == D("20190")
    assert result.parties["Stadt Olfen"] == D("8076")


def test_four_towns_by_fixed_shares_and_the_employer_keeps_the_rest():
    result = run(cm_block(split("Ascheberg", percent="25"), split("Nordkirchen", percent="25"),
                          split("Senden", percent="20")))
    assert result.parties == {"Ascheberg": D("10095"), "Nordkirchen": D("10095"), "Senden": D("8076"),
                              "Stadt Dülmen": D("12114")}
    assert sum(result.parties.values()) == result.third_party


def test_without_an_agreement_the_employer_bears_the_whole_own_share_as_before():
    result = run(cm_block())
    assert result.parties == {"Stadt Dülmen": D("40380")}
    assert [line.label for line in result.lines if line.field == "third_party"] == ["Eigenanteil trägt Stadt Dülmen"]


def test_split_rules_refuse_what_the_agreement_cannot_mean():
    def errors(*rows, fte="1", employer="Stadt Dülmen"):
        return split_errors(fte=D(fte), employer=employer, employer_id=None, rows=rows)

    assert errors(SplitRow("Gemeinde Nottuln", percent=D("50"))) == []
    assert errors(SplitRow("Stadt Dülmen", percent=D("50"))) == [
        "Stadt Dülmen ist Anstellungsträger und trägt den Rest des Eigenanteils; bitte nur die anderen Kommunen "
        "eintragen."]
    assert errors(SplitRow("A", days=D("3")), SplitRow("B", days=D("2.5"))) == [
        "Die Tage der Kommunen (5,5) übersteigen die Arbeitswoche der Stelle (5,0 Tage bei 1,0 VZÄ)."]
    assert errors(SplitRow("A", days=D("2")), fte="0.25") == [
        "Die Tage der Kommunen (2,0) übersteigen die Arbeitswoche der Stelle (1,25 Tage bei 0,25 VZÄ)."]
    assert errors(SplitRow("A", percent=D("60")), SplitRow("B", percent=D("50"))) == [
        "Die Anteile der Kommunen (110,00 %) übersteigen 100 %."]
    assert errors(SplitRow("A", percent=D("60")), SplitRow("B", days=D("2.5"))) == [
        "Tage und Anteile der Kommunen zusammen (110,00 %) übersteigen den ganzen Eigenanteil."]
    assert errors(SplitRow("A", days=D("1"), percent=D("10"))) == [
        "A: bitte entweder Tage oder einen Anteil in % angeben, nicht beides."]
    assert errors(SplitRow("A"), SplitRow("A", percent=D("1"))) == [
        "A: bitte Tage, einen Anteil in % oder einen Betrag je Jahr angeben.", "A steht mehrfach in der Aufteilung."]
    assert errors(SplitRow("A", percent=D("1")), employer=None)[0].startswith(
        "Den Eigenanteil teilen sich Kommunen nur bei Stellen eines anderen Anstellungsträgers")


shares = st.one_of(st.none(), st.integers(min_value=1, max_value=40).map(D))
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=60_000).map(D))


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.tuples(shares, caps).filter(lambda p: p != (None, None)), min_size=1, max_size=3),
       start_day=st.integers(min_value=1, max_value=28), months=st.integers(min_value=1, max_value=18))
def test_the_parties_always_add_up_to_the_employers_own_share_and_keep_their_caps(parts, start_day, months):
    splits = [split(f"Kommune {i}", percent=None if p is None else str(p), amount=None if c is None else str(c))
              for i, (p, c) in enumerate(parts)]
    start = date(2021, 3, start_day)
    result = run(cm_block(*splits, start=start), start=date(2021, 3, 1), end=calc.add_months(date(2021, 3, 1),
                                                                                               months - 1))
    assert sum(result.parties.values()) == result.third_party
    assert all(amount >= 0 for amount in result.parties.values())
    for (percent, cap), item in zip(parts, splits):
        if cap is not None:
            assert result.parties[item.party] <= cap * months / 12 + 1
