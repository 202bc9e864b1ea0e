"""County.council_threshold becomes stages (provisions 0002) and goes (kimportal 0004), and comes back.

Until 2025 an amount from the threshold on needed the council; "bis" includes its amount, so 100.000 €
becomes the treasurer up to and including 99.999,99 € and the council above. The migrations run on the
test database itself, which is migrated back to its latest state at the end.
"""
import importlib
from decimal import Decimal

import pytest

from tests import support

BEFORE = [("kimportal", "0003_council_threshold_optional"), ("provisions", "0001_initial")]
AFTER = [("kimportal", "0004_council_threshold_moved_to_provisions"),
         ("provisions", "0002_stages_from_council_threshold")]


@pytest.fixture
def old_schema(transactional_db):
    yield from support.old_schema(BEFORE)


def test_each_old_limit_becomes_the_treasurers_stage_up_to_one_cent_below_it(old_schema):
    County = old_schema.get_model("kimportal", "County")
    County.objects.create(slug="rsk", name="Rhein-Sieg-Kreis", council_threshold=Decimal("100000.00"))
    County.objects.create(slug="neuss", name="Rhein-Kreis Neuss", council_threshold=None)
    County.objects.create(slug="klein", name="Kreis mit 1 Cent", council_threshold=Decimal("0.01"))

    state = support.migrate(AFTER)
    Stage = state.get_model("provisions", "ProvisionStage")
    stages = {(s.statute.county.slug, s.upper_limit, s.body, s.spending_kind)
              for s in Stage.objects.select_related("statute__county")}
    assert stages == {("rsk", Decimal("99999.99"), "Kämmerer/in", "all"),
                      ("rsk", None, "Kreistag / Kreisausschuss", "all"),
                      ("klein", None, "Kreistag / Kreisausschuss", "all")}
    note = state.get_model("provisions", "ProvisionStatute").objects.get(county__slug="rsk").note
    assert "100.000 €" in note and "99.999,99 €" in note
    assert not state.get_model("provisions", "ProvisionStatute").objects.filter(county__slug="neuss").exists()
    assert "council_threshold" not in {f.name for f in state.get_model("kimportal", "County")._meta.fields}

    # Back again: the limit is one cent above the highest stage below the council.
    state = support.migrate(BEFORE)
    limits = dict(state.get_model("kimportal", "County").objects.values_list("slug", "council_threshold"))
    assert limits == {"rsk": Decimal("100000.00"), "neuss": None, "klein": Decimal("0.01")}


def test_going_back_from_stages_by_kind_keeps_the_lower_limit(old_schema):
    County = old_schema.get_model("kimportal", "County")
    County.objects.create(slug="neuss", name="Rhein-Kreis Neuss", council_threshold=None)
    state = support.migrate(AFTER)
    Statute, Stage = state.get_model("provisions", "ProvisionStatute"), state.get_model("provisions", "ProvisionStage")
    statute = Statute.objects.create(county=state.get_model("kimportal", "County").objects.get(slug="neuss"))
    for kind, limit, body in (("voluntary", Decimal("5000"), "Kämmerer/in"), ("voluntary", None, "Kreistag"),
                              ("mandatory", Decimal("250000"), "Kämmerer/in"), ("mandatory", None, "Kreistag")):
        Stage.objects.create(statute=statute, spending_kind=kind, upper_limit=limit, body=body)
    state = support.migrate(BEFORE)
    # One value limit can hold only one of the two: the voluntary one, so that the council is asked, not skipped.
    assert state.get_model("kimportal", "County").objects.get(slug="neuss").council_threshold == Decimal("5000.01")


def test_the_old_default_0_still_means_no_limit_and_so_no_stages(old_schema):
    """kimportal 0003 had turned the first default 0 € into "no limit"; such a county gets no statute."""
    migration = importlib.import_module("kimportal.migrations.0003_council_threshold_optional")
    County = old_schema.get_model("kimportal", "County")
    County.objects.create(slug="neuss", name="Rhein-Kreis Neuss", council_threshold=Decimal("0"))
    migration.zero_means_not_set(old_schema, None)
    assert County.objects.get(slug="neuss").council_threshold is None
    state = support.migrate(AFTER)
    assert not state.get_model("provisions", "ProvisionStatute").objects.exists()
