"""Issue 9, §3: login throttling with django-axes — per user name and address, German, reveals nothing."""
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from ..conftest import log_in_as_admin
from .conftest import PASSWORD, log_in

LOCKED = "Die Anmeldung ist nach zu vielen fehlgeschlagenen Versuchen vorübergehend gesperrt."
WRONG = "Benutzername oder Passwort ist falsch."

pytestmark = pytest.mark.usefixtures("demo_users", "axes")


def fail_five_times(client, username, **extra):
    responses = [log_in(client, username, "falsches-passwort", **extra) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert all(WRONG in r.content.decode() for r in responses[:4])
    return responses[-1]


def comparable(response, username):
    """The page without what differs by nature: the CSRF token and the echoed user name."""
    html = response.content.decode().replace(f'value="{username}"', 'value="NAME"')
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_five_wrong_passwords_lock_the_login_and_the_right_one_is_refused(client):
    fifth = fail_five_times(client, "ki-rsk")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()

    response = log_in(client, "ki-rsk", PASSWORD)

    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content and "in 15 Minuten erneut" in content and WRONG not in content
    assert '<html lang="de">' in content and 'name="username"' in content  # the login page, in the layout
    assert "_auth_user_id" not in client.session


def test_an_unknown_user_name_is_locked_with_exactly_the_same_page(client):
    fail_five_times(client, "ki-rsk")
    known = log_in(client, "ki-rsk", PASSWORD)
    fail_five_times(client, "gibt-es-nicht")
    unknown = log_in(client, "gibt-es-nicht", PASSWORD)

    assert unknown.status_code == known.status_code == 429
    assert comparable(unknown, "gibt-es-nicht") == comparable(known, "ki-rsk")


def test_a_wrong_password_of_an_unknown_user_looks_like_that_of_a_known_one(client):
    known = log_in(client, "ki-rsk", "falsch")
    unknown = log_in(client, "gibt-es-nicht", "falsch")
    assert unknown.status_code == known.status_code == 200
    assert comparable(unknown, "gibt-es-nicht") == comparable(known, "ki-rsk")


def test_colleagues_behind_the_same_office_address_are_not_locked_out(client):
    fail_five_times(client, "ki-rsk", REMOTE_ADDR="192.0.2.10")
    colleague = log_in(client, "finanzen-rsk", PASSWORD, REMOTE_ADDR="192.0.2.10")
    assert colleague.status_code == 302 and colleague["Location"] == "/"


def test_the_lock_holds_only_for_the_address_it_was_earned_from(client):
    fail_five_times(client, "ki-rsk", REMOTE_ADDR="192.0.2.10")
    assert log_in(client, "ki-rsk", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 429
    assert log_in(client, "ki-rsk", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_an_administrator_sees_the_lock_in_the_admin_and_releases_it(client, django_user_model):
    fail_five_times(client, "ki-rsk")
    attempt = AccessAttempt.objects.get(username="ki-rsk")
    admin = log_in_as_admin(client.__class__())

    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "Zugriffsversuche" in listing.content.decode() and "ki-rsk" in listing.content.decode()
    released = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert released.status_code == 302 and not AccessAttempt.objects.exists()
    assert log_in(client, "ki-rsk", PASSWORD).status_code == 302


def test_axes_reset_username_releases_the_lock_from_the_command_line(client):
    fail_five_times(client, "ki-rsk")
    call_command("axes_reset_username", "ki-rsk", verbosity=0)
    assert log_in(client, "ki-rsk", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_earlier_failures(client):
    for _ in range(4):
        log_in(client, "ki-rsk", "falsch")
    assert log_in(client, "ki-rsk", PASSWORD).status_code == 302
    client.post("/abmelden/")
    for _ in range(4):
        assert log_in(client, "ki-rsk", "falsch").status_code == 200
    assert log_in(client, "ki-rsk", PASSWORD).status_code == 302


def test_a_member_of_the_administration_group_may_release_locks_too(client):
    from django.contrib.auth.models import Group

    from kimportal import roles
    from kimportal.models import User

    from ..conftest import pass_second_factor

    fail_five_times(client, "ki-rsk")
    officer = User.objects.create_user("verwaltung", password=PASSWORD, is_staff=True)
    officer.groups.add(Group.objects.get(name=roles.ADMINISTRATION))
    admin = client.__class__()
    admin.force_login(officer)
    pass_second_factor(admin, officer)

    attempt = AccessAttempt.objects.get(username="ki-rsk")
    assert admin.get("/admin/axes/accessattempt/").status_code == 200
    assert admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 302
    assert log_in(client, "ki-rsk", PASSWORD).status_code == 302
