"""The rules every record obeys, checked twice: by full_clean (the message a user reads) and by the
database's constraints (what holds even when code skips validation). Nothing invalid is ever saved."""
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from budgeting.models import Appropriation, CoverageSource
from programmes.choices import CostType, RateKind
from programmes.models import FundingRate, GrantDecision
from staffing.models import FTE_MESSAGE, AllocationShare, Position

from .factories import (
    make_allocation, make_budget_line, make_county, make_coverage_source, make_funding_rate,
    make_module, make_municipality, make_partner, make_pay_grade, make_position, make_programme,
)

NEGATIVE = "Der Betrag darf nicht negativ sein."


def assert_refused_by_database(instance):
    """Saving without validation hits a CheckConstraint; the atomic block keeps the test's transaction usable."""
    model = type(instance)
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
    assert model.objects.count() == before


class CoverageSourceForm(forms.ModelForm):
    class Meta:
        model = CoverageSource
        fields = ["county", "name", "kind", "amount", "balance", "balance_as_of", "usable_until", "extension_status"]
        localized_fields = "__all__"


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["county", "title", "module", "pay_grade", "fte", "status", "start_on", "end_on"]
        localized_fields = "__all__"


def integrationspauschale_data(county, usable_until):
    return {"county": county.pk, "name": "Integrationspauschale", "kind": "lump_sum", "amount": "1.900.000,00",
            "balance": "450.000,00", "balance_as_of": "27.05.2021", "usable_until": usable_until,
            "extension_status": "none"}


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_rejects_the_31st_of_november_the_committee_paper_printed():
    county = make_county()
    with translation.override("de"):
        form = CoverageSourceForm(data=integrationspauschale_data(county, "31.11.2021"))
        assert not form.is_valid()
        assert form.errors["usable_until"] == ["Bitte ein gültiges Datum eingeben."]
    assert CoverageSource.objects.count() == 0


@pytest.mark.django_db
def test_it_accepts_the_30th_of_november_and_german_thousands():
    county = make_county()
    with translation.override("de"):
        form = CoverageSourceForm(data=integrationspauschale_data(county, "30.11.2021"))
        assert form.is_valid(), form.errors
        source = form.save()
    source.refresh_from_db()
    assert source.usable_until == date(2021, 11, 30)
    assert source.balance_as_of == date(2021, 5, 27)
    assert source.amount == Decimal("1900000.00")
    assert source.balance == Decimal("450000.00")


@pytest.mark.parametrize("text, expected", [("31.11.2021", None), ("30.11.2021", date(2021, 11, 30)),
                                            ("30.11.21", date(2021, 11, 30)), ("2021-11-30", date(2021, 11, 30))])
def test_a_date_field_reads_german_dates_and_only_real_ones(text, expected):
    field = forms.DateField(localize=True)
    with translation.override("de"):
        if expected is None:
            with pytest.raises(ValidationError, match="Bitte ein gültiges Datum eingeben."):
                field.clean(text)
        else:
            assert field.clean(text) == expected


# --- FTE -----------------------------------------------------------------------------------------


def unsaved_position(**fields):
    values = {"county": make_county(), "title": "Koordination KIM", "module": make_module(),
              "pay_grade": make_pay_grade(code="E11"), "fte": Decimal("1"), "start_on": date(2021, 12, 1)}
    return Position(**{**values, **fields})


@pytest.mark.django_db
@pytest.mark.parametrize("fte", ["0", "-0.5", "1.01"])
def test_it_rejects_an_fte_outside_zero_to_one(fte):
    position = unsaved_position(fte=Decimal(fte))
    with pytest.raises(ValidationError) as exc:
        position.full_clean()
    assert exc.value.message_dict["fte"] == [FTE_MESSAGE]
    assert_refused_by_database(position)
    assert Position.objects.count() == 0


@pytest.mark.django_db
def test_it_accepts_an_fte_typed_with_a_german_comma():
    county, module, pay_grade = make_county(), make_module(), make_pay_grade(code="E9a")
    data = {"county": county.pk, "title": "Sachbearbeitung Ausländerbehörde", "module": module.pk,
            "pay_grade": pay_grade.pk, "fte": "0,75", "status": "planned", "start_on": "01.12.2021", "end_on": ""}
    with translation.override("de"):
        form = PositionForm(data=data)
        assert form.is_valid(), form.errors
        position = form.save()
    position.refresh_from_db()
    assert position.fte == Decimal("0.750")


@pytest.mark.django_db
def test_it_refuses_a_position_of_one_and_a_half_fte_typed_in_german():
    county, module, pay_grade = make_county(), make_module(), make_pay_grade()
    data = {"county": county.pk, "title": "Koordination", "module": module.pk, "pay_grade": pay_grade.pk,
            "fte": "1,5", "status": "planned", "start_on": "01.12.2021"}
    with translation.override("de"):
        form = PositionForm(data=data)
        assert not form.is_valid()
    assert form.errors["fte"] == [FTE_MESSAGE]
    assert Position.objects.count() == 0


# --- handing over a case-management share -----------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_to_hand_over_two_days_which_is_less_than_half_an_fte():
    share = AllocationShare(allocation=make_allocation(), municipality=make_municipality(name="Wachtberg"),
                            days=Decimal("2.00"), handed_over_to=make_partner())
    with pytest.raises(ValidationError) as exc:
        share.full_clean()
    assert exc.value.message_dict["handed_over_to"] == [
        "Ein weitergegebener Anteil muss mindestens 0,5 VZÄ (2,5 Tage) umfassen."]
    assert_refused_by_database(share)
    assert AllocationShare.objects.count() == 0


@pytest.mark.django_db
def test_it_lets_a_municipality_hand_over_two_and_a_half_days():
    share = AllocationShare(allocation=make_allocation(), municipality=make_municipality(name="Wachtberg"),
                            days=Decimal("2.5"), handed_over_to=make_partner())
    share.full_clean()
    share.save()
    assert AllocationShare.objects.get().fte == Decimal("0.5")


# --- periods -----------------------------------------------------------------------------------


def position_ending_before_start():
    return unsaved_position(start_on=date(2021, 12, 1), end_on=date(2021, 11, 30)), "end_on", \
        "Das Ende darf nicht vor dem Beginn liegen."


def grant_decision_ending_before_start():
    decision = GrantDecision(county=make_county(), programme=make_programme(), module=make_module(),
                             period_start=date(2021, 1, 1), period_end=date(2020, 12, 31), amount=Decimal("605000"))
    return decision, "period_end", "Das Ende des Zeitraums darf nicht vor dem Beginn liegen."


def funding_rate_ending_before_start():
    rate = FundingRate(module=make_module(), kind=RateKind.PER_WORKPLACE, cost_type=CostType.PERSONNEL,
                       amount=Decimal("57000"), valid_from=date(2023, 1, 1), valid_until=date(2022, 12, 31))
    return rate, "valid_until", "„gültig bis“ darf nicht vor „gültig ab“ liegen."


@pytest.mark.django_db
@pytest.mark.parametrize("build", [position_ending_before_start, grant_decision_ending_before_start,
                                   funding_rate_ending_before_start], ids=lambda build: build.__name__)
def test_it_refuses_an_end_date_before_the_start_date(build):
    instance, field, message = build()
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    assert exc.value.message_dict[field] == [message]
    assert_refused_by_database(instance)
    assert type(instance).objects.count() == 0


# --- money -------------------------------------------------------------------------------------


def appropriation_below_zero():
    return Appropriation(budget_line=make_budget_line(), fiscal_year=2022, amount=Decimal("-258818")), "amount"


def coverage_source_below_zero():
    source = CoverageSource(county=make_county(), name="Integrationspauschale", amount=Decimal("1900000"),
                            balance=Decimal("-0.01"), balance_as_of=date(2021, 5, 27), usable_until=date(2021, 11, 30))
    return source, "balance"


def grant_decision_below_zero():
    decision = GrantDecision(county=make_county(), programme=make_programme(), module=make_module(),
                             period_start=date(2021, 1, 1), period_end=date(2021, 12, 31), amount=Decimal("-605000"))
    return decision, "amount"


@pytest.mark.django_db
@pytest.mark.parametrize("build", [appropriation_below_zero, coverage_source_below_zero, grant_decision_below_zero],
                         ids=lambda build: build.__name__)
def test_it_refuses_a_negative_amount(build):
    instance, field = build()
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    assert exc.value.message_dict[field] == [NEGATIVE]
    assert_refused_by_database(instance)
    assert type(instance).objects.count() == 0


@pytest.mark.django_db
def test_a_coverage_source_may_be_used_up_to_zero():
    source = make_coverage_source(balance="0")
    source.full_clean()
    assert source.balance == Decimal("0")


# --- funding rates over time ---------------------------------------------------------------------

OVERLAP = "Für diesen Baustein, diese Förderstelle, Art und Kostenart gilt im selben Zeitraum schon ein Fördersatz."


def kim_b1_personnel(amount, valid_from, valid_until=None):
    return FundingRate(module=make_module(code="kim-b1", name="Baustein 1: Strategische Steuerung"),
                       kind=RateKind.PER_WORKPLACE, cost_type=CostType.PERSONNEL, amount=Decimal(amount),
                       valid_from=valid_from, valid_until=valid_until, source="Änderungsliste")


@pytest.mark.django_db
@pytest.mark.parametrize("valid_from, valid_until", [
    (date(2022, 7, 1), None), (date(2022, 12, 31), date(2023, 12, 31)), (date(2019, 1, 1), date(2020, 1, 1)),
    (date(2020, 1, 1), None),
])
def test_it_refuses_a_second_rate_for_an_overlapping_period(valid_from, valid_until):
    make_funding_rate(module=make_module(code="kim-b1", name="Baustein 1: Strategische Steuerung"),
                      amount="55000", valid_from=date(2020, 1, 1), valid_until=date(2022, 12, 31))
    rate = kim_b1_personnel("57000", valid_from, valid_until)
    with pytest.raises(ValidationError) as exc:
        rate.full_clean()
    assert exc.value.messages == [OVERLAP]
    assert FundingRate.objects.count() == 1


@pytest.mark.django_db
def test_it_accepts_the_2023_rate_right_after_the_2022_one():
    make_funding_rate(module=make_module(code="kim-b1", name="Baustein 1: Strategische Steuerung"),
                      amount="55000", valid_from=date(2020, 1, 1), valid_until=date(2022, 12, 31))
    rate = kim_b1_personnel("57000", date(2023, 1, 1))
    rate.full_clean()
    rate.save()
    day = date(2023, 1, 1)
    assert [r.amount for r in FundingRate.objects.valid_on(day)] == [Decimal("57000.00")]
    assert [r.amount for r in FundingRate.objects.valid_on(date(2022, 12, 31))] == [Decimal("55000.00")]


@pytest.mark.django_db
def test_rates_of_another_cost_type_may_overlap():
    module = make_module(code="kim-b1", name="Baustein 1: Strategische Steuerung")
    make_funding_rate(module=module, amount="55000", valid_from=date(2020, 1, 1), valid_until=date(2022, 12, 31))
    material = FundingRate(module=module, kind=RateKind.PER_WORKPLACE, cost_type=CostType.MATERIAL,
                           amount=Decimal("9700"), valid_from=date(2020, 1, 1), valid_until=date(2022, 12, 31))
    material.full_clean()


@pytest.mark.django_db
def test_a_position_factory_builds_a_valid_position():
    position = make_position()
    position.full_clean()


@pytest.mark.django_db
def test_an_open_rate_yields_to_a_newer_one_baustein_2_55_000_until_2022_then_57_000():
    """DOMAIN.md: a rate without an end date is valid until a newer one starts; adding the newer is no overlap."""
    old = make_funding_rate(module=make_module(code="kim-b1", name="Baustein 1: Strategische Steuerung"),
                            amount="55000", valid_from=date(2020, 1, 1), valid_until=None)
    rate = kim_b1_personnel("57000", date(2023, 1, 1))
    rate.full_clean()
    rate.save()
    assert old.effective_until == date(2022, 12, 31) and rate.effective_until is None
    earlier = kim_b1_personnel("50000", date(2019, 1, 1))
    earlier.full_clean()  # open as well: it ends on 31.12.2019, when the 55.000 € start
    earlier.save()
    assert earlier.effective_until == date(2019, 12, 31)
