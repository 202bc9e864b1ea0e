import pytest

from tests.conftest import logged_in_client as login


@pytest.fixture
def ki(demo_users):
    return login("ki-rsk")


@pytest.fixture
def finance(demo_users):
    return login("finanzen-rsk")


@pytest.fixture
def admin(demo_users):
    return login("admin")
