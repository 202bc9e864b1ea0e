import pytest

from kimportal.models import County
from tests.conftest import logged_in_client as login


@pytest.fixture
def ki_rsk(demo_users):
    return login("ki-rsk")


@pytest.fixture
def ki_neuss(demo_users):
    return login("ki-neuss")


@pytest.fixture
def finance_rsk(demo_users):
    return login("finanzen-rsk")


@pytest.fixture
def committee_rsk(demo_users):
    return login("ausschuss-rsk")


@pytest.fixture
def rsk(demo):
    return County.objects.get(slug="rhein-sieg-kreis")


@pytest.fixture
def neuss(demo):
    return County.objects.get(slug="rhein-kreis-neuss")
