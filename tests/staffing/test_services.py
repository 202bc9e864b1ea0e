from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kimportal.concurrency import ConflictError
from staffing.models import AllocationShare, CaseManagementAllocation, Position
from staffing.services import (
    allocation_propose_by_population, allocation_update, position_create, position_update,
    propose_split,
)
from tests.factories import (
    RSK_POPULATION, make_allocation, make_county, make_module, make_municipality, make_partner, make_pay_grade,
    make_position,
)

# Vorlage 002: case-management days per working week, 7 FTE = 35 days.
PAPER_002_DAYS = {
    "Alfter": "2", "Bad Honnef": "2", "Bornheim": "2", "Hennef (Sieg)": "1", "Königswinter": "2", "Lohmar": "2",
    "Meckenheim": "2", "Much": "2", "Neunkirchen-Seelscheid": "3", "Niederkassel": "3", "Rheinbach": "3",
    "Sankt Augustin": "3", "Swisttal": "3", "Wachtberg": "2", "Windeck": "3",
}
NO_DEMAND = ("Eitorf", "Ruppichteroth", "Siegburg")
# FTE as kimportal.money.format_fte writes it, the papers' way (7,0 VZÄ); days with two places.
CAPACITY_MESSAGE = "Die verteilten Tage (36,00) übersteigen die Kapazität von 35,00 Tagen (7,0 VZÄ × 5)."


@pytest.fixture
def rsk():
    """The Rhein-Sieg-Kreis' 19 municipalities by name."""
    county = make_county(slug="test-kreis", name="Rhein-Sieg-Kreis (Test)")
    return {name: make_municipality(county=county, name=name) for name in RSK_POPULATION}


@pytest.fixture
def allocation(rsk):
    """The 7 FTE allocation as the paper printed it, saved through the service."""
    allocation = make_allocation(capacity_fte="7")
    shares = {rsk[name].pk: {"days": Decimal(days)} for name, days in PAPER_002_DAYS.items()}
    shares |= {rsk[name].pk: {"no_demand": True} for name in NO_DEMAND}
    shares[rsk["Troisdorf"].pk] = {"special_arrangement": "eigene Stelle, gesondert gezählt"}
    return allocation_update(allocation=allocation, shares=shares)


def days_of(allocation):
    return {share.municipality.name: share.days for share in allocation.shares.select_related("municipality")}


# --- allocation_update -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_saves_the_allocation_of_the_committee_paper(allocation):
    assert allocation.allocated_days() == Decimal("35.00")
    assert AllocationShare.objects.count() == 19
    assert days_of(allocation)["Hennef (Sieg)"] == Decimal("1.00")
    assert AllocationShare.objects.get(municipality__name="Troisdorf").special_arrangement
    assert allocation.version == 2
    assert CaseManagementAllocation.objects.get().version == 2


@pytest.mark.django_db
def test_it_refuses_an_allocation_over_capacity_and_keeps_the_old_days(allocation, rsk):
    before = days_of(allocation)
    with pytest.raises(ValidationError) as exc:
        allocation_update(allocation=allocation, shares={rsk["Hennef (Sieg)"].pk: {"days": Decimal("2")}},
                          expected_version=2)
    assert exc.value.messages == [CAPACITY_MESSAGE]
    assert days_of(allocation) == before
    assert CaseManagementAllocation.objects.get().version == 2
    assert allocation.version == 2


@pytest.mark.django_db
def test_it_takes_a_raised_capacity_into_account(allocation, rsk):
    CaseManagementAllocation.objects.filter(pk=allocation.pk).update(capacity_fte=Decimal("7.2"))
    allocation.refresh_from_db()
    allocation_update(allocation=allocation, shares={rsk["Hennef (Sieg)"].pk: {"days": Decimal("2")}})
    assert allocation.allocated_days() == Decimal("36.00")


@pytest.mark.django_db
def test_it_refuses_to_hand_over_two_days_and_saves_none_of_the_other_changes(allocation, rsk):
    caritas = make_partner(name="Caritasverband Rhein-Sieg e.V.")
    with pytest.raises(ValidationError) as exc:
        allocation_update(allocation=allocation, shares={
            rsk["Alfter"].pk: {"days": Decimal("1.5")},
            rsk["Wachtberg"].pk: {"days": Decimal("2.0"), "handed_over_to": caritas},
        })
    assert exc.value.messages == [
        "Wachtberg: Ein weitergegebener Anteil muss mindestens 0,5 VZÄ (2,5 Tage) umfassen."]
    assert days_of(allocation)["Alfter"] == Decimal("2.00")
    assert not AllocationShare.objects.filter(handed_over_to__isnull=False).exists()
    assert CaseManagementAllocation.objects.get().version == 2


@pytest.mark.django_db
def test_it_lets_wachtberg_hand_half_an_fte_to_caritas(allocation, rsk):
    caritas = make_partner(name="Caritasverband Rhein-Sieg e.V.")
    allocation_update(allocation=allocation, expected_version=2, shares={
        rsk["Alfter"].pk: {"days": Decimal("1.5")},
        rsk["Wachtberg"].pk: {"days": Decimal("2.5"), "handed_over_to": caritas},
    })
    share = AllocationShare.objects.get(municipality=rsk["Wachtberg"])
    assert (share.days, share.fte, share.handed_over_to) == (Decimal("2.50"), Decimal("0.5"), caritas)
    assert allocation.allocated_days() == Decimal("35.00")
    assert CaseManagementAllocation.objects.get().version == 3


@pytest.mark.django_db
def test_it_gives_no_days_to_a_municipality_without_demand(allocation, rsk):
    with pytest.raises(ValidationError) as exc:
        allocation_update(allocation=allocation, shares={rsk["Siegburg"].pk: {"days": Decimal("1")}})
    assert exc.value.messages == ["Siegburg: Eine Kommune ohne Bedarf erhält keine Tage."]
    assert days_of(allocation)["Siegburg"] == Decimal("0")


@pytest.mark.django_db
def test_it_refuses_a_municipality_of_another_county(allocation):
    neuss = make_municipality(county=make_county(slug="rhein-kreis-neuss", name="Rhein-Kreis Neuss"), name="Kaarst")
    with pytest.raises(ValidationError) as exc:
        allocation_update(allocation=allocation, shares={neuss.pk: {"days": Decimal("0")}})
    assert exc.value.messages == ["Kaarst: Die Kommune gehört zu einem anderen Kreis."]
    assert not AllocationShare.objects.filter(municipality=neuss).exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_municipality(allocation):
    with pytest.raises(ValidationError, match="Unbekannte Kommune: 999999"):
        allocation_update(allocation=allocation, shares={999999: {"days": Decimal("1")}})
    assert AllocationShare.objects.count() == 19
    assert CaseManagementAllocation.objects.get().version == 2


@pytest.mark.django_db
def test_the_second_of_two_allocation_editors_gets_a_conflict(allocation, rsk):
    mine, theirs = (CaseManagementAllocation.objects.get(pk=allocation.pk) for _ in range(2))
    allocation_update(allocation=mine, expected_version=2, shares={rsk["Alfter"].pk: {"days": Decimal("1")}})
    with pytest.raises(ConflictError, match="inzwischen von jemand anderem geändert"):
        allocation_update(allocation=theirs, expected_version=2, shares={rsk["Bornheim"].pk: {"days": Decimal("1")}})
    assert days_of(allocation)["Alfter"] == Decimal("1.00")
    assert days_of(allocation)["Bornheim"] == Decimal("2.00")
    assert CaseManagementAllocation.objects.get().version == 3
    assert theirs.version == 2


# --- positions ---------------------------------------------------------------------------------


def coordination_fields():
    return {"title": "Koordination KIM Baustein 1", "module": make_module(code="kim-b1", name="Baustein 1"),
            "pay_grade": make_pay_grade(code="E11"), "fte": Decimal("1"), "start_on": date(2021, 12, 1),
            "fixed_term_until": date(2022, 12, 31)}


@pytest.mark.django_db
def test_position_create_saves_a_valid_position():
    position = position_create(county=make_county(), **coordination_fields())
    assert Position.objects.get().pk == position.pk
    assert position.version == 1


@pytest.mark.django_db
def test_position_create_saves_nothing_for_an_fte_above_one():
    with pytest.raises(ValidationError) as exc:
        position_create(county=make_county(), **{**coordination_fields(), "fte": Decimal("1.01")})
    assert exc.value.message_dict["fte"] == ["Der Stellenanteil muss größer als 0 und höchstens 1 VZÄ sein."]
    assert Position.objects.count() == 0


@pytest.mark.django_db
def test_the_second_of_two_updates_from_the_same_version_is_refused():
    position = make_position(title="Koordination KIM Baustein 1")
    first, second = Position.objects.get(pk=position.pk), Position.objects.get(pk=position.pk)
    position_update(position=first, expected_version=1, fte=Decimal("0.5"))
    with pytest.raises(ConflictError) as exc:
        position_update(position=second, expected_version=1, title="Koordination (neu)", fte=Decimal("0.75"))
    assert "Die Stelle wurde inzwischen von jemand anderem geändert" in exc.value.messages[0]
    position.refresh_from_db()
    assert (position.title, position.fte, position.version) == ("Koordination KIM Baustein 1", Decimal("0.500"), 2)
    assert first.version == 2
    assert second.version == 1


@pytest.mark.django_db
def test_an_invalid_update_keeps_the_old_values_and_version():
    position = make_position(start_on=date(2021, 12, 1))
    with pytest.raises(ValidationError) as exc:
        position_update(position=position, expected_version=1, end_on=date(2021, 11, 30))
    assert exc.value.message_dict["end_on"] == ["Das Ende darf nicht vor dem Beginn liegen."]
    assert position.version == 1
    position.refresh_from_db()
    assert (position.end_on, position.version) == (None, 1)


@pytest.mark.django_db
def test_a_position_never_changes_its_county_nor_its_version_by_update():
    position = make_position()
    for fields in ({"county": make_county(slug="rhein-kreis-neuss", name="Rhein-Kreis Neuss")}, {"version": 7}):
        with pytest.raises(TypeError):
            position_update(position=position, expected_version=1, **fields)
    position.refresh_from_db()
    assert (position.county.slug, position.version) == ("test-kreis", 1)


# --- proposing an allocation by population ---------------------------------------------------


def test_it_splits_ten_days_by_largest_remainder_and_drops_shares_below_two_and_a_half():
    # 50.000 / 30.000 / 20.000 inhabitants: 5 / 3 / 2 days; the 2 days are below 0,5 VZÄ and go to the others,
    # 6,25 / 3,75 -> 6,0 / 3,5 in half days, the last half day to the larger remainder (a tie: larger population).
    proposal = propose_split({"A": 50000, "B": 30000, "C": 20000}, Decimal("10"))
    assert proposal == {"A": Decimal("6.5"), "B": Decimal("3.5"), "C": Decimal("0")}


def test_it_splits_35_days_among_the_municipalities_with_demand_in_half_days():
    with_demand = {name: RSK_POPULATION[name] for name in PAPER_002_DAYS}
    proposal = propose_split(with_demand, Decimal("35"))
    assert sum(proposal.values()) == Decimal("35")
    assert all(days % Decimal("0.5") == 0 for days in proposal.values())
    assert not [days for days in proposal.values() if 0 < days < Decimal("2.5")]
    assert proposal["Sankt Augustin"] == max(proposal.values())
    assert proposal["Much"] == 0


def test_it_splits_17_fte_among_all_19_municipalities():
    proposal = propose_split(RSK_POPULATION, Decimal("85"))
    assert sum(proposal.values()) == Decimal("85")
    assert proposal["Troisdorf"] == Decimal("11.0")
    assert not [days for days in proposal.values() if 0 < days < Decimal("2.5")]


def test_it_proposes_nothing_when_the_total_is_below_the_minimum():
    assert propose_split({"Alfter": 23897, "Much": 14546}, Decimal("2")) == {"Alfter": 0, "Much": 0}


def test_it_proposes_nothing_for_municipalities_without_inhabitants():
    assert propose_split({"A": 0, "B": 0}, Decimal("10")) == {"A": 0, "B": 0}


def test_it_rounds_an_odd_capacity_down_to_half_days():
    assert propose_split({"A": 1}, Decimal("1.875") + Decimal("2.5")) == {"A": Decimal("4.0")}


@given(populations=st.dictionaries(st.integers(0, 40), st.integers(0, 200_000), min_size=1, max_size=25),
       half_days=st.integers(0, 200))
def test_every_proposal_is_in_half_days_and_fills_the_capacity_when_it_can(populations, half_days):
    total = Decimal(half_days) / 2
    proposal = propose_split(populations, total)
    assert proposal.keys() == populations.keys()
    assert all(days % Decimal("0.5") == 0 and not 0 < days < Decimal("2.5") for days in proposal.values())
    assert all(proposal[key] == 0 for key, population in populations.items() if population == 0)
    if total >= Decimal("2.5") and any(populations.values()):
        assert sum(proposal.values()) == total
    else:
        assert sum(proposal.values()) == 0


@pytest.mark.django_db
def test_it_proposes_by_population_leaving_out_no_demand_and_troisdorf(allocation, rsk):
    proposal = allocation_propose_by_population(allocation=allocation, municipalities=rsk.values())
    names = {municipality.pk: name for name, municipality in rsk.items()}
    assert {names[pk] for pk in proposal} == set(PAPER_002_DAYS)
    assert sum(proposal.values()) == Decimal("35")
    allocation_update(allocation=allocation, expected_version=allocation.version,
                      shares={pk: {"days": days} for pk, days in proposal.items()})
    assert allocation.allocated_days() == Decimal("35.00")


@pytest.mark.django_db
def test_a_proposal_leaves_room_for_days_a_special_arrangement_already_holds(allocation, rsk):
    troisdorf = rsk["Troisdorf"].pk
    allocation_update(allocation=allocation, shares={rsk["Alfter"].pk: {"days": Decimal("0")},
                                                     troisdorf: {"days": Decimal("2")}})
    proposal = allocation_propose_by_population(allocation=allocation, municipalities=rsk.values())
    assert troisdorf not in proposal
    assert sum(proposal.values()) == Decimal("33")
