import os

# Playwright's sync API runs an event loop in the test thread; Django must allow
# ORM calls there. This belongs to the test configuration only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.core.management import call_command
from django.test import override_settings

# The static-file storage of a real server (kimportal/settings.py with DJANGO_DEBUG=0).
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


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


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT after ``collectstatic`` with the manifest storage, as a real server has it (once per run)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production(settings, collected_static):
    """Production mode for one test: DEBUG off, hashed static names from the manifest (collected files).

    ``{% static 'reports/print.css' %}`` then yields ``/static/reports/print.<hash>.css``, which exists only in
    STATIC_ROOT, exactly as on a server started with ``DJANGO_DEBUG=0`` after ``collectstatic``.
    """
    settings.DEBUG = False
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = PRODUCTION_STORAGES
    return settings
