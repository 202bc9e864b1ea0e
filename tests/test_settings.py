from django.conf import settings


def test_it_speaks_german_in_berlin():
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.USE_THOUSAND_SEPARATOR is True


PRODUCTION_ENV = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 20 + "7Hq!mZ2@xP9#vL4$wR8%tN3^bC6&yJ1*",
                  "DJANGO_ALLOWED_HOSTS": "kimportal.example"}


def settings_with(monkeypatch, **env):
    """kimportal/settings.py evaluated afresh with the given environment (the running settings stay untouched)."""
    import runpy

    from django.conf import settings as running

    for name in ("DJANGO_BEHIND_PROXY", "KIMPORTAL_SESSION_IDLE_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(running.BASE_DIR / "kimportal" / "settings.py"))


def test_the_forwarded_proto_header_is_not_trusted_without_a_proxy(monkeypatch):
    assert "SECURE_PROXY_SSL_HEADER" not in settings_with(monkeypatch, **PRODUCTION_ENV)


def test_the_forwarded_proto_header_is_trusted_when_a_proxy_sets_it(monkeypatch):
    values = settings_with(monkeypatch, **PRODUCTION_ENV, DJANGO_BEHIND_PROXY="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_client_claiming_https_is_redirected_when_no_proxy_is_declared(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None
    response = client.get("/anmelden/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"] == "https://testserver/anmelden/"


def test_behind_the_proxy_a_forwarded_https_request_is_served(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/anmelden/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_the_idle_timeout_comes_from_the_environment(monkeypatch):
    assert settings_with(monkeypatch)["SESSION_IDLE_SECONDS"] == 30 * 60
    values = settings_with(monkeypatch, KIMPORTAL_SESSION_IDLE_MINUTES="15")
    assert values["SESSION_IDLE_SECONDS"] == values["SESSION_COOKIE_AGE"] == 15 * 60


def test_the_lockout_client_address_comes_from_the_proxy_only_behind_one(settings, rf):
    from accounts.policy import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4")
    settings.BEHIND_PROXY = False
    assert client_address(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_address(request) == "198.51.100.4"  # the entry the proxy appended; the rest is the client's


def test_check_deploy_passes_with_production_environment_values():
    import os
    import subprocess
    import sys

    from django.conf import settings as running

    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # test configuration only (tests/conftest.py)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=running.BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_mistyped_number_in_the_environment_names_the_variable(monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="KIMPORTAL_SESSION_IDLE_MINUTES must be a whole number .* 'dreißig'"):
        settings_with(monkeypatch, KIMPORTAL_SESSION_IDLE_MINUTES="dreißig")
    monkeypatch.setenv("KIMPORTAL_LOGIN_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="KIMPORTAL_LOGIN_FAILURE_LIMIT"):
        settings_with(monkeypatch)


def test_manage_py_reports_a_wrong_environment_in_one_line():
    import subprocess
    import sys

    from django.conf import settings as running

    env = {**__import__("os").environ, "KIMPORTAL_SESSION_IDLE_MINUTES": "abc"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=running.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "kimportal: KIMPORTAL_SESSION_IDLE_MINUTES must be a whole number of at least 1, not 'abc'."]


def test_a_log_line_of_django_is_written_once_also_with_debug_on():
    """Django's "django" logger printed to the console itself while DEBUG was on and passed the record on to the
    root logger, which printed it again ("Forbidden (Permission denied): /stellen/" twice in the server's log)."""
    import logging

    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate and logging.getLogger().handlers
