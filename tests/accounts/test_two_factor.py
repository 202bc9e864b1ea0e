"""Issue 9, §3: TOTP for every user who wants it, required for administrators, in the admin too."""
import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_site import KimportalAdminSite
from ..conftest import current_code
from .conftest import PASSWORD, log_in, setup_url, verify_url

pytestmark = pytest.mark.usefixtures("demo_users")
WRONG_CODE = "Der Code ist falsch oder abgelaufen."


def device_of(username, confirmed=True):
    user = get_user_model().objects.get(username=username)
    return TOTPDevice.objects.get_or_create(user=user, confirmed=confirmed, defaults={"name": "Telefon"})[0]


def wrong(code):
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def test_an_admin_without_a_device_is_sent_to_set_it_up_before_anything_else(client):
    response = log_in(client, "admin", next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"

    for path in ("/admin/", "/admin/staffing/position/", "/", "/konto/passwort/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == setup_url(path), path
    page = client.get(setup_url("/admin/")).content.decode()
    assert "Für Ihr Konto mit Verwaltungsrechten ist die Zwei-Faktor-Anmeldung Pflicht." in page
    assert "<svg" in page and 'class="secret"' in page


def test_an_admin_sets_up_the_app_with_a_valid_code_and_reaches_the_admin(client):
    log_in(client, "admin", next_url="/admin/")
    client.get(setup_url("/admin/"))
    device = TOTPDevice.objects.get(user__username="admin", confirmed=False)

    refused = client.post(setup_url("/admin/"), {"code": wrong(current_code(device))})
    assert refused.status_code == 200 and WRONG_CODE in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and client.get("/admin/").status_code == 302

    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    response = client.post(setup_url("/admin/"), {"code": current_code(device)})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_an_admin_with_a_device_must_give_a_valid_code(client):
    device = device_of("admin")
    response = log_in(client, "admin", next_url="/admin/")
    assert response.status_code == 302
    assert client.get("/admin/")["Location"] == verify_url("/admin/")

    refused = client.post(verify_url("/admin/"), {"code": wrong(current_code(device))})
    assert refused.status_code == 200 and WRONG_CODE in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    device.throttle_reset()
    response = client.post(verify_url("/admin/"), {"code": current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_in_a_row_make_the_next_try_wait(client):
    device = device_of("admin")
    log_in(client, "admin")
    client.post(verify_url(), {"code": wrong(current_code(device))})
    response = client.post(verify_url(), {"code": current_code(device)})
    assert response.status_code == 200 and "Zu viele falsche Codes" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_password_alone_cannot_add_a_second_device(client):
    device_of("ki-rsk")
    log_in(client, "ki-rsk")
    response = client.get(setup_url("/"))
    assert response.status_code == 302 and response["Location"].startswith("/konto/zwei-faktor/code/")
    assert TOTPDevice.objects.filter(user__username="ki-rsk").count() == 1


def test_a_user_with_a_device_gives_the_code_too(client):
    device = device_of("ki-rsk")
    log_in(client, "ki-rsk")
    assert client.get("/stellen/")["Location"] == verify_url("/stellen/")
    client.post(verify_url("/stellen/"), {"code": current_code(device)})
    assert client.get("/stellen/").status_code == 200


def test_a_user_without_a_device_may_set_one_up_from_the_account_page(client):
    log_in(client, "ki-rsk")
    assert client.get("/stellen/").status_code == 200  # optional for staff
    assert 'href="/konto/zwei-faktor/einrichten/"' in client.get("/konto/").content.decode()
    client.get("/konto/zwei-faktor/einrichten/")
    device = TOTPDevice.objects.get(user__username="ki-rsk", confirmed=False)
    response = client.post("/konto/zwei-faktor/einrichten/", {"code": current_code(device)}, follow=True)
    assert response.redirect_chain == [("/konto/", 302)]
    assert "Die Zwei-Faktor-Anmeldung ist eingerichtet." in response.content.decode()
    client.post("/abmelden/")
    log_in(client, "ki-rsk")
    assert client.get("/stellen/")["Location"] == verify_url("/stellen/")


def test_logout_stays_open_while_the_code_is_owed(client):
    device_of("admin")
    log_in(client, "admin")
    assert client.post("/abmelden/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_admin_site_itself_refuses_staff_without_a_verified_device():
    user = get_user_model().objects.get(username="admin")
    request = RequestFactory().get("/admin/")
    request.user = user
    user.is_verified = lambda: False
    assert not KimportalAdminSite().has_permission(request)
    user.is_verified = lambda: True
    assert KimportalAdminSite().has_permission(request)


def test_the_admin_login_page_leads_to_the_application_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/?next=")
