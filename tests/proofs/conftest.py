import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo data with its users, loaded once per module and rolled back at its end (each test runs in a
    savepoint of its own)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--with-demo-users", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_users(site, db):
    """Overrides the per-test demo load of tests/conftest.py."""


demo = demo_users
