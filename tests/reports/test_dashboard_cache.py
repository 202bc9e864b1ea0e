"""The start page is computed once per data version (issue 13): the second request with unchanged data runs neither
the engine nor the dashboard's own queries, and a change through the application shows on the next request."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgeting import calculations as calc
from kimportal.models import User
from staffing.models import Position
from tests.budgeting.test_engine_cache import engine_cache  # noqa: F401 - the fixture

URL = "/?jahr=2022"


@pytest.fixture
def ki_client(client, demo_users):
    client.force_login(User.objects.get(username="ki-rsk"))
    return client


def own_share_tile(response) -> Decimal:
    return response.context["board"].own_share.own_share


def test_the_second_request_reads_the_dashboard_from_the_cache_in_few_queries(ki_client, engine_cache, monkeypatch):
    first = ki_client.get(URL)
    assert first.status_code == 200
    assert own_share_tile(first) == Decimal("642215")  # all programmes 2022 (issue 11)
    monkeypatch.setattr(calc, "compare", lambda inputs: pytest.fail("engine ran again"))
    monkeypatch.setattr(calc, "calculate", lambda inputs: pytest.fail("engine ran again"))

    with CaptureQueriesContext(connection) as queries:
        again = ki_client.get(URL)

    assert again.status_code == 200 and own_share_tile(again) == Decimal("642215")
    assert len(queries) <= 15, [q["sql"][:80] for q in queries]
    assert "642.215\u00a0€" in again.content.decode()


def test_a_changed_position_shows_on_the_next_request(ki_client, engine_cache):
    before = own_share_tile(ki_client.get(URL))
    position = Position.objects.filter(county__slug="rhein-sieg-kreis", module__code="kim-b1").order_by("pk").first()
    position.fte = position.fte / 2
    position.save()

    after = own_share_tile(ki_client.get(URL))

    assert after < before  # half a post less of KIM Baustein 1 costs the county less
