import os

# Playwright's sync API runs an event loop in the test thread; Django must allow
# ORM calls there. This belongs to the test configuration only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.management import call_command


def pytest_configure(config):
    from django.conf import settings

    # Hashing the five demo passwords with PBKDF2 for every test would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """The demo data of the committee papers (Rhein-Sieg-Kreis, Rhein-Kreis Neuss), without users."""
    call_command("load_demo", "--no-users", verbosity=0)


@pytest.fixture
def demo_users(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
