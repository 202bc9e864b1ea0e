"""Issue 9, §3: nothing a logged-in user received stays in a browser or proxy cache; static files still cache."""
import pytest
from django.contrib.auth import get_user_model
from django.templatetags.static import static
from django.urls import reverse

from ..conftest import log_in_as_admin

PERIOD = {"start": "2021-12", "end": "2022-12"}


@pytest.fixture
def finance(client, demo_users, production):
    client.force_login(get_user_model().objects.get(username="finanzen-rsk"))
    return client


def assert_no_store(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_page_is_not_stored(finance):
    assert_no_store(finance.get("/stellen/"))


def test_an_export_is_not_stored(finance):
    response = finance.get("/stellen/", {"_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_no_store(response)


def test_a_pdf_is_not_stored(finance):
    response = finance.get(reverse("reports:report_pdf", kwargs={"slug": "kim"}), PERIOD)
    assert response["Content-Type"] == "application/pdf"
    assert_no_store(response)


def test_the_admin_is_not_stored(client, demo_users, production):
    assert_no_store(log_in_as_admin(client).get("/admin/staffing/position/"))


def test_static_files_keep_their_long_caching_also_for_a_logged_in_user(finance):
    response = finance.get(static("kimportal/app.css"))
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]

