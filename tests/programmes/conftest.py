import pytest
from django.test import Client

from kimportal.models import County, User


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


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
