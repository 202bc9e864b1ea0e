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
    # django-axes needs the request in authenticate(), which the test client's login() does not pass.
    # tests/accounts switches it on (the ``axes`` fixture) and logs in through the login page.
    settings.AXES_ENABLED = False
    # Many tests change data with QuerySet.update(), which raises no data version (kimportal.versioning): caching by
    # data version is off for them. tests/budgeting/test_engine_cache.py switches it on (the ``engine_cache`` fixture).
    settings.DATA_VERSION_CACHE = False
    settings.CACHES = {**settings.CACHES, "engine": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


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


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's ``admin_client``, with the second factor every administrator gives (tests/accounts)."""
    client.force_login(admin_user)
    pass_second_factor(client, admin_user)
    return client


def pass_second_factor(client, user):
    """Give ``user`` a confirmed TOTP device and mark the client's session as verified with it.

    Administrators must log in with a second factor (accounts.middleware.TwoFactorMiddleware); tests that are
    not about the login use this after ``client.login()`` or ``client.force_login()``.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def logged_in_client(username: str):
    """A new test client logged in as the demo user ``username``; an administrator has passed the second factor."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    if user.is_superuser:
        pass_second_factor(client, user)
    return client


def log_in_as_admin(client, username="admin", password="kimportal-demo"):
    """Log in as an administrator of the demo data and pass the second factor."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    assert user.check_password(password)
    client.force_login(user)  # also with django-axes on, which wants a request in authenticate()
    pass_second_factor(client, user)
    return client


def current_code(device):
    """The code an authenticator app shows for ``device`` right now."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
