"""The own-share page with unchanged data (issue 13): the engine's results and the long arithmetic of every case come
from the cache by data version, in at most 15 queries; a change shows on the next request."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgeting import calculations as calc
from budgeting.models import Scenario
from kimportal.models import User
from staffing.models import Position
from tests.budgeting.test_engine_cache import engine_cache  # noqa: F401 - the fixture


@pytest.fixture
def page(client, demo_users):
    client.force_login(User.objects.get(username="ki-rsk"))
    scenarios = Scenario.objects.filter(county__slug="rhein-sieg-kreis").order_by("pk")
    query = "&".join(f"scenarios={s.pk}" for s in scenarios)
    return client, f"/haushalt/eigenanteile/?start=2021-12&end=2022-12&{query}"


def test_the_second_request_reads_figures_and_arithmetic_from_the_cache(page, engine_cache, monkeypatch):
    client, url = page
    first = client.get(url).content.decode()
    assert "3,5 VZÄ × 70.091\u00a0€ = 245.319\u00a0€" in first  # Koordination, Baustein 1 (Vorlage 002)
    monkeypatch.setattr(calc, "compare", lambda inputs: pytest.fail("engine ran again"))

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()

    assert len(queries) <= 15, [q["sql"][:80] for q in queries]
    assert sum("kimportal_dataversion" in q["sql"] for q in queries) == 1  # read once for both cached parts
    assert "3,5 VZÄ × 70.091\u00a0€ = 245.319\u00a0€" in again
    assert again.count("Rechnung je Block") == first.count("Rechnung je Block") == 4  # base case and 3 scenarios


def test_a_changed_position_changes_the_arithmetic_on_the_next_request(page, engine_cache):
    client, url = page
    assert "3,5 VZÄ × 70.091\u00a0€" in client.get(url).content.decode()
    position = Position.objects.filter(county__slug="rhein-sieg-kreis", module__code="kim-b1",
                                       fte=1).order_by("pk").first()
    position.fte = position.fte / 2
    position.save()

    after = client.get(url).content.decode()

    assert "3,0 VZÄ × 70.091\u00a0€ = 210.273\u00a0€" in after
