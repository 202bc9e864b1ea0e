"""The stored value limits: database constraints, the service that saves a statute, the selector the reports
read, the admin and the demo data."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kimportal.history import history_entries
from kimportal.roles import ADMINISTRATION, COMMITTEE, FINANCE, KI_STAFF, role_permissions
from programmes.models import Programme
from provisions.models import ProgrammeSpendingKind, ProvisionStage, ProvisionStatute
from provisions.rules import ALL, MANDATORY, VOLUNTARY, Stage
from provisions.selectors import provision_limits
from provisions.services import programme_kinds_update, provision_limits_update
from tests.factories import make_county, make_module, make_programme

from .helpers import record_stages

pytestmark = pytest.mark.django_db
CITY = ((ALL, "500", "Fachbereich"), (ALL, "2500", "Kämmerer/in"), (ALL, "30000", "Bürgermeister/in"),
        (ALL, None, "Rat"))


def limits_of(statute):
    return [(s.spending_kind, s.upper_limit, s.body) for s in statute.stages.all()]  # by kind, ascending, open last


# --------------------------------------------------------------------------- constraints


def test_the_database_refuses_a_limit_twice_and_a_second_open_stage():
    statute = record_stages(make_county(), *CITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionStage.objects.create(statute=statute, spending_kind=ALL, upper_limit=Decimal("500"), body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionStage.objects.create(statute=statute, spending_kind=ALL, upper_limit=None, body="Kreistag")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionStage.objects.create(statute=statute, spending_kind=VOLUNTARY, upper_limit=Decimal("0"), body="x")


def test_a_county_has_one_statute():
    county = make_county()
    ProvisionStatute.objects.create(county=county)
    with pytest.raises(ValidationError):
        ProvisionStatute(county=county).full_clean()


def test_a_programme_of_another_county_cannot_be_classified():
    county, other = make_county(), make_county(slug="andere", name="Anderer Kreis")
    programme = make_programme(code="projekte-anderer-kreis", name="Projektmittel", county=other)
    row = ProgrammeSpendingKind(county=county, programme=programme, spending_kind=VOLUNTARY)
    with pytest.raises(ValidationError, match="anderen Kreis"):
        row.full_clean()


# --------------------------------------------------------------------------- the service


def test_a_statute_is_saved_with_exactly_its_stages():
    statute = record_stages(make_county(), *CITY, source="§ 7 Haushaltssatzung 2022")
    assert statute.source == "§ 7 Haushaltssatzung 2022"
    assert [stage.as_rule() for stage in statute.stages.all()] == [
        Stage(ALL, Decimal("500.00"), "Fachbereich"), Stage(ALL, Decimal("2500.00"), "Kämmerer/in"),
        Stage(ALL, Decimal("30000.00"), "Bürgermeister/in"), Stage(ALL, None, "Rat")]


def test_stages_that_stay_keep_their_rows_and_swapped_limits_meet_no_constraint():
    county = make_county()
    statute = record_stages(county, *CITY)
    kept = statute.stages.get(upper_limit=Decimal("2500"))
    record_stages(county, (ALL, "500", "Bürgermeister/in"), (ALL, "2500", "Kämmerer/in"),
                  (ALL, "30000", "Fachbereich"), (ALL, None, "Rat"))
    assert statute.stages.get(upper_limit=Decimal("2500")).pk == kept.pk
    assert limits_of(statute)[0] == (ALL, Decimal("500.00"), "Bürgermeister/in")
    # Voluntary and mandatory apart instead: the old rows go, the new ones come.
    record_stages(county, (VOLUNTARY, "5000", "Kämmerer/in"), (VOLUNTARY, None, "Kreistag"),
                  (MANDATORY, "250000", "Kämmerer/in"), (MANDATORY, None, "Kreistag"))
    assert limits_of(statute) == [(MANDATORY, Decimal("250000.00"), "Kämmerer/in"), (MANDATORY, None, "Kreistag"),
                                  (VOLUNTARY, Decimal("5000.00"), "Kämmerer/in"), (VOLUNTARY, None, "Kreistag")]


def test_an_invalid_set_saves_nothing():
    county = make_county()
    statute = record_stages(county, *CITY)
    with pytest.raises(ValidationError, match="fehlt die letzte Stufe ohne Obergrenze"):
        provision_limits_update(statute=ProvisionStatute.objects.get(pk=statute.pk),
                                stages=[Stage(ALL, Decimal("100"), "Kämmerer/in")])
    assert len(limits_of(statute)) == 4


def test_a_changed_stage_shows_in_the_statutes_history():
    county = make_county()
    statute = record_stages(county, *CITY)
    record_stages(county, (ALL, "500", "Fachbereich"), (ALL, "2500", "Kämmerer/in"), (ALL, "30000", "Landrat"),
                  (ALL, None, "Rat"))
    changes = [line for entry in history_entries(statute) for line in entry["changes"]]
    assert any("Bürgermeister/in" in str(change) and "Landrat" in str(change) for change in changes), changes


def test_programme_kinds_are_recorded_changed_and_removed():
    county = make_county()
    kim = make_programme()
    programme_kinds_update(county=county, kinds={kim.pk: (MANDATORY, "TIntG NRW")})
    assert ProgrammeSpendingKind.objects.get(county=county, programme=kim).spending_kind == MANDATORY
    programme_kinds_update(county=county, kinds={kim.pk: ("", "")})
    assert not ProgrammeSpendingKind.objects.filter(county=county).exists()


# --------------------------------------------------------------------------- the selector


def test_the_limits_know_each_modules_kind_and_default_to_voluntary(django_assert_max_num_queries):
    county = make_county()
    module = make_module(programme=make_programme())
    own = make_module(code="projekte-b1", name="Projekte", programme=make_programme(
        code="projekte", name="Projektmittel", county=county))
    record_stages(county, (VOLUNTARY, "5000", "Kämmerer/in"), (VOLUNTARY, None, "Kreistag"),
                  (MANDATORY, "250000", "Kämmerer/in"), (MANDATORY, None, "Kreistag"), source="Haushaltssatzung")
    ProgrammeSpendingKind.objects.create(county=county, programme=module.programme, spending_kind=MANDATORY)
    with django_assert_max_num_queries(4):
        limits = provision_limits(county)
    assert limits.kind_of(module.code) == MANDATORY and limits.kind_recorded(module.code)
    assert limits.kind_of(own.code) == VOLUNTARY and not limits.kind_recorded(own.code)
    assert limits.kind_of("unbekannt") == VOLUNTARY
    assert limits.distinguishes_kinds and limits.source == "Haushaltssatzung"
    assert limits.decide(Decimal("10000"), MANDATORY)["text"] == "Entscheidung Kämmerer/in"
    assert limits.decide(Decimal("10000"), VOLUNTARY)["text"] == "vorherige Zustimmung Kreistag"
    assert limits.decide(Decimal("0"), VOLUNTARY) is None


def test_a_county_without_a_statute_has_no_limits():
    limits = provision_limits(make_county())
    assert not limits.recorded and limits.decide(Decimal("1"), VOLUNTARY) is None


# --------------------------------------------------------------------------- roles, admin, demo


def test_finance_officers_and_administrators_edit_the_limits_ki_staff_read_them():
    roles = role_permissions()
    for model in ("provisionstatute", "provisionstage", "programmespendingkind"):
        change = ("provisions", f"change_{model}")
        assert change in roles[FINANCE] and change in roles[ADMINISTRATION]
        assert change not in roles[KI_STAFF] and ("provisions", f"view_{model}") in roles[KI_STAFF]
        assert not any(app == "provisions" for app, _ in roles[COMMITTEE])


def test_the_admin_saves_stages_with_their_statute_and_refuses_a_bad_set(admin_client):
    county = make_county()
    statute = record_stages(county, *CITY)
    url = reverse("admin:provisions_provisionstatute_change", args=[statute.pk])
    rows = list(statute.stages.all())
    data = {"county": county.pk, "source": "§ 7 Haushaltssatzung 2022", "note": "",
            "stages-TOTAL_FORMS": len(rows), "stages-INITIAL_FORMS": len(rows), "stages-MIN_NUM_FORMS": 0,
            "stages-MAX_NUM_FORMS": 1000}
    # The Bürgermeister's and the Kämmerer's limits swap rows: allowed, the set is what counts.
    limits = {"500.00": "2500", "2500.00": "500", "30000.00": "30000"}
    for index, row in enumerate(rows):
        data |= {f"stages-{index}-id": row.pk, f"stages-{index}-statute": statute.pk,
                 f"stages-{index}-spending_kind": row.spending_kind, f"stages-{index}-body": row.body,
                 f"stages-{index}-upper_limit": limits.get(str(row.upper_limit), ""), f"stages-{index}-label": ""}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert limits_of(statute)[:2] == [(ALL, Decimal("500.00"), "Kämmerer/in"), (ALL, Decimal("2500.00"), "Fachbereich")]
    data["stages-3-upper_limit"] = "40000"  # no open last stage
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "fehlt die letzte Stufe ohne Obergrenze" in response.content.decode()
    assert limits_of(statute)[-1] == (ALL, None, "Rat")


def test_the_demo_data_give_neuss_its_two_limits_and_kim_as_mandatory(demo):
    neuss = ProvisionStatute.objects.get(county__slug="rhein-kreis-neuss")
    assert limits_of(neuss) == [(MANDATORY, Decimal("250000.00"), "Kämmerer/in"), (MANDATORY, None, "Kreistag"),
                                (VOLUNTARY, Decimal("5000.00"), "Kämmerer/in"), (VOLUNTARY, None, "Kreistag")]
    assert set(neuss.stages.exclude(upper_limit=None).values_list("label", flat=True)) == {"unerheblich"}
    kim = Programme.objects.get(code="kim")
    assert ProgrammeSpendingKind.objects.get(county__slug="rhein-kreis-neuss", programme=kim).spending_kind == MANDATORY
    for statute in ProvisionStatute.objects.all():
        statute.full_clean()
        for stage in statute.stages.all():
            stage.full_clean()
    for row in ProgrammeSpendingKind.objects.all():
        row.full_clean()
