import pytest
from django.urls import reverse

PASSWORD = "kimportal-demo"
LOGIN = "/anmelden/"


@pytest.fixture
def axes(settings):
    """django-axes switched on (tests/conftest.py switches it off for the test client's login())."""
    settings.AXES_ENABLED = True
    return settings


def log_in(client, username, password=PASSWORD, next_url="", **extra):
    """Post the login form as a browser does (``extra``: e.g. REMOTE_ADDR of another office)."""
    return client.post(LOGIN, {"username": username, "password": password, "next": next_url}, **extra)


def setup_url(next_url="/"):
    return f"{reverse('accounts:two_factor_setup')}?next={next_url.replace('/', '%2F')}"


def verify_url(next_url="/"):
    return f"{reverse('accounts:two_factor_verify')}?next={next_url.replace('/', '%2F')}"
