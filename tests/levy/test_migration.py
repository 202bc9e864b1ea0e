"""Municipality.levy_basis becomes a LevyBasis of the year the migration runs (levy 0002), the field goes
(kimportal 0006), and comes back with the latest year's amount. The migrations run on the test database,
which is migrated back to its latest state at the end."""
from decimal import Decimal

import pytest

from tests import support
from django.utils import timezone

BEFORE = [("kimportal", "0005_county_keys_and_districts"), ("levy", "0001_initial")]
AFTER = [("kimportal", "0006_levy_basis_moved_to_levy"), ("levy", "0002_bases_from_municipality_field")]


@pytest.fixture
def old_schema(transactional_db):
    yield from support.old_schema(BEFORE)


def test_a_filled_levy_basis_becomes_this_years_umlagegrundlagen_and_an_empty_one_nothing(old_schema):
    County = old_schema.get_model("kimportal", "County")
    Municipality = old_schema.get_model("kimportal", "Municipality")
    rsk = County.objects.create(slug="rsk", name="Rhein-Sieg-Kreis")
    Municipality.objects.create(county=rsk, name="Troisdorf", levy_basis=Decimal("115793767.00"))
    Municipality.objects.create(county=rsk, name="Much", levy_basis=None)

    state = support.migrate(AFTER)
    bases = list(state.get_model("levy", "LevyBasis").objects.values_list(
        "municipality__name", "fiscal_year", "amount", "source"))
    assert bases == [("Troisdorf", timezone.localdate().year, Decimal("115793767.00"),
                      "aus dem Feld Umlagegrundlagen der Kommune übernommen")]
    assert "levy_basis" not in {f.name for f in state.get_model("kimportal", "Municipality")._meta.fields}

    state = support.migrate(BEFORE)
    values = dict(state.get_model("kimportal", "Municipality").objects.values_list("name", "levy_basis"))
    assert values == {"Troisdorf": Decimal("115793767.00"), "Much": None}
