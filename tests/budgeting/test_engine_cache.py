"""One calculation per data version (issue 13): engine results come from the shared cache until the county's data
changes; any write through the application raises the county's version, reference data every county's."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actuals.forecast import case_forecasts
from budgeting import calculations as calc
from budgeting.selectors import own_share_comparison
from kimportal.models import County
from kimportal.versioning import versions
from staffing.models import Position, WorkplaceCost

START, END = date(2021, 12, 1), date(2022, 12, 1)


@pytest.fixture
def engine_cache(settings):
    from django.core.cache import caches

    settings.DATA_VERSION_CACHE = True
    settings.CACHES = {**settings.CACHES, "engine": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                     "LOCATION": "engine-tests"}}
    caches["engine"].clear()
    yield caches["engine"]
    caches["engine"].clear()


@pytest.fixture
def rsk(demo):
    return County.objects.get(slug="rhein-sieg-kreis")


def risk_range(comparison: calc.Comparison) -> tuple[Decimal, Decimal]:
    own = [result.total("own_share") for result in comparison.results]
    return min(own), max(own)


def test_the_second_request_with_unchanged_data_reads_one_version_row_and_computes_nothing(rsk, engine_cache,
                                                                                             monkeypatch):
    first = own_share_comparison(rsk, START, END)
    assert first.results[0].blocks[0].own_share == Decimal("158644")
    runs = []
    monkeypatch.setattr(calc, "compare", lambda inputs: runs.append(inputs) or pytest.fail("engine ran again"))
    with CaptureQueriesContext(connection) as queries:
        again = own_share_comparison(rsk, START, END)
    assert len(queries) == 1 and "kimportal_dataversion" in queries[0]["sql"]
    assert again.results[0].blocks[0].own_share == Decimal("158644") and not runs


def test_a_change_of_a_position_raises_the_version_and_the_next_result_follows_it(rsk, engine_cache):
    before = own_share_comparison(rsk, START, END, [None])
    version = versions(rsk.pk)
    position = Position.objects.filter(county=rsk, module__code="kim-b1").order_by("pk").first()
    position.fte = position.fte / 2
    position.save()
    assert versions(rsk.pk)[0] == version[0] + 1 and versions(rsk.pk)[1] == version[1]
    after = own_share_comparison(rsk, START, END, [None])
    assert after.results[0].total("total") < before.results[0].total("total")


def test_a_write_to_reference_data_invalidates_every_county(rsk, engine_cache):
    neuss = County.objects.get(slug="rhein-kreis-neuss")
    own_share_comparison(neuss, date(2022, 1, 1), date(2022, 12, 1), [None])
    reference = versions(neuss.pk)[1]
    cost = WorkplaceCost.objects.order_by("pk").first()
    cost.save()
    assert versions(neuss.pk)[1] == reference + 1 and versions(rsk.pk)[1] == reference + 1


def test_another_countys_write_leaves_the_cached_result_alone(rsk, engine_cache):
    own_share_comparison(rsk, START, END, [None])
    version = versions(rsk.pk)
    neuss = Position.objects.filter(county__slug="rhein-kreis-neuss").first()
    neuss.save()
    assert versions(rsk.pk) == version


def test_the_forecast_follows_a_reimported_actual_cost(rsk, engine_cache):
    from actuals.models import ActualCost

    first = case_forecasts(rsk, date(2022, 1, 1), date(2022, 12, 1), scenarios=[None]).forecasts[0]
    figure = ActualCost.objects.filter(county=rsk, month=date(2022, 1, 1)).order_by("pk").first()
    figure.amount += Decimal("100.00")
    figure.save()
    second = case_forecasts(rsk, date(2022, 1, 1), date(2022, 12, 1), scenarios=[None]).forecasts[0]
    assert second.total("forecast_total") - first.total("forecast_total") == Decimal("100.00")


def test_an_unsaved_scenario_is_never_cached(rsk, engine_cache):
    from budgeting.cache import cached, cases_key
    from budgeting.models import Scenario

    assert cases_key(None) == "alle" and cases_key([None]) == (None,)
    assert cases_key([None, Scenario(county=rsk, name="Entwurf")]) is None
    calls = []
    cached(rsk.pk, "probe", (START, None), lambda: calls.append(1))
    cached(rsk.pk, "probe", (START, None), lambda: calls.append(1))
    assert calls == [1, 1]


def test_a_broken_cache_is_passed_by(rsk, settings):
    settings.DATA_VERSION_CACHE = True
    settings.CACHES = {**settings.CACHES, "engine": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                                     "LOCATION": "no_such_table"}}
    assert own_share_comparison(rsk, START, END, [None]).results[0].blocks[0].own_share == Decimal("158644")
