"""The numerical statement of a proof of use (proofs.statement), without the database: real figures of the demo's
KIM Baustein 2 in 2022 and the kinds of case other counties have (recipients' unused money, spending below the grant,
lump sums passed on)."""
from datetime import date
from decimal import Decimal as D

from proofs.statement import BlockPart, RecipientProof, statement

CM = BlockPart("Case Management (Kommunen)", plan_total=D("667660"), plan_grant=D("385000"), third_party=D("43750"),
               forecast_total=D("646819.34"), actual_total=D("312989.34"), lost_grant=D("13750.00"),
               actual_by_type={"personnel": D("312989.34")})


def test_a_vacancy_of_three_months_is_repaid_where_the_grant_was_received_in_full():
    made = statement([CM], granted=D("385000"), received=D("385000"), open_months=6)
    assert made.grant_due == D("371250.00")
    assert made.repayment == D("13750.00")
    assert made.still_to_call == 0
    assert made.provisional


def test_the_income_adds_up_to_the_spending_and_the_own_funds_take_the_rest():
    made = statement([CM], granted=D("385000"), received=D("385000"))
    assert made.spending_total.result == made.income_total.result == D("646819.34")
    own = next(r for r in made.income if r.key == "own")
    assert own.plan == D("667660") - D("385000") - D("43750") == D("238910")
    assert own.result == D("646819.34") - D("371250.00") - D("43750") == D("231819.34")


def test_money_not_yet_received_is_still_to_call_and_nothing_is_repaid():
    made = statement([CM], granted=D("385000"), received=D("192500"))
    assert made.repayment == 0
    assert made.still_to_call == D("371250.00") - D("192500") == D("178750.00")


def test_the_grant_never_pays_more_than_was_spent_less_third_party_funds():
    cheap = BlockPart("Projekt", plan_total=D("60000"), plan_grant=D("50000"), third_party=D("0"),
                      forecast_total=D("42000"), actual_total=D("42000"), actual_by_type={"personnel": D("42000")})
    made = statement([cheap], granted=D("50000"), received=D("50000"))
    assert made.grant_due == D("42000")
    assert made.repayment == D("8000")
    assert any("begrenzt" in note for note in made.notes)


def test_other_cost_types_from_the_actuals_are_their_own_rows():
    mixed = BlockPart("Koordination", plan_total=D("100000"), plan_grant=D("64700"), third_party=D("0"),
                      forecast_total=D("98000"), actual_total=D("98000"),
                      actual_by_type={"personnel": D("90000"), "material": D("8000")})
    made = statement([mixed], granted=None, received=D("0"))
    rows = {r.key: r for r in made.spending}
    assert rows["personnel"].result == D("90000") and rows["material"].result == D("8000")
    assert rows["personnel"].plan == D("100000") and rows["material"].plan == 0
    assert made.not_used is None


def test_a_lump_sum_passed_on_is_spending_as_a_pass_through_and_a_recipients_unused_money_comes_back():
    lump = BlockPart("Guter Lebensabend", plan_total=D("80000"), plan_grant=D("80000"), third_party=D("0"),
                     forecast_total=D("80000"), actual_total=D("0"), plan_grant_by_type={"material": D("80000")},
                     lump_sum=True, passed_on=D("80000"))
    caritas = RecipientProof("Caritasverband Rhein-Sieg e.V.", D("80000"), used=D("75000"),
                             received_on=date(2023, 5, 2))
    made = statement([lump], granted=D("80000"), received=D("80000"), recipients=[caritas], final=True)
    rows = {r.key: r for r in made.spending}
    assert list(rows) == ["passed_on"]
    assert rows["passed_on"].plan == D("80000") and rows["passed_on"].result == D("75000")
    assert made.grant_due == D("75000") and made.repayment == D("5000")
    assert caritas.repayment == D("5000")


def test_posts_of_another_employer_pass_their_grant_on_and_their_costs_are_not_the_countys():
    troisdorf = BlockPart("CM Stadt Troisdorf", plan_total=D("95380"), plan_grant=D("55000"), third_party=D("40380"),
                          forecast_total=D("95380"), actual_total=D("0"), borne_by="Stadt Troisdorf")
    made = statement([troisdorf], granted=D("55000"), received=D("55000"))
    assert [(r.key, r.plan, r.result) for r in made.spending] == [("passed_on", D("55000"), D("55000"))]
    assert made.repayment == 0
    assert "Stadt Troisdorf" in made.notes[0]


def test_a_recipients_proof_status_reads_as_a_user_expects():
    from datetime import date

    due = RecipientProof("Stadt Troisdorf", D("64700"), due_on=date(2023, 6, 30))
    assert due.status(date(2023, 1, 1)) == "ausstehend, fällig am 30.06.2023"
    assert due.status(date(2023, 7, 1)) == "ausstehend, überfällig seit 30.06.2023"
    checked = RecipientProof("Stadt Troisdorf", D("64700"), received_on=date(2023, 6, 1), checked_on=date(2023, 7, 3))
    assert checked.status(date(2024, 1, 1)) == "geprüft am 03.07.2023"


def test_the_income_shows_the_grant_as_received_and_settles_it_with_the_repayment():
    made = statement([CM], granted=D("385000"), received=D("385000"))
    rows = {r.key: r for r in made.income}
    assert rows["grant"].label == "Zuwendung des Landes (erhalten)" and rows["grant"].result == D("385000")
    assert rows["repayment"].result == D("-13750.00")
    assert "to_call" not in rows
    assert made.income_total.result == made.spending_total.result


def test_money_still_to_call_is_income_the_county_is_owed():
    made = statement([CM], granted=D("385000"), received=D("300000"))
    rows = {r.key: r for r in made.income}
    assert rows["to_call"].result == D("71250.00") and "repayment" not in rows
    assert made.income_total.result == made.spending_total.result


def test_the_usual_deadlines_are_six_months_after_the_period_or_the_30th_of_april_for_an_interim_proof():
    from proofs.models import usual_deadline

    assert usual_deadline(date(2022, 12, 31), True) == date(2023, 6, 30)
    assert usual_deadline(date(2022, 8, 31), True) == date(2023, 2, 28)
    assert usual_deadline(date(2021, 12, 31), False) == date(2022, 4, 30)


def test_a_vacancy_of_part_months_shows_arithmetic_that_gives_its_amount():
    from budgeting.engine_forecast import _months_text

    months = [date(2022, 6, 1), date(2022, 7, 1)]
    assert _months_text(months, [D(16) / D(30), D(1)]) == "(16/30 + 1)"  # (16/30 + 1)/12 × 55.000 € = 7.027,78 €
    assert _months_text(months, [D(1), D(1)]) == "2"
    assert _months_text(months[:1], [D(16) / D(30)]) == "16/30"
