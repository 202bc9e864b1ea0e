"""Changes to user accounts and their roles are on the audit page; the password hash never is."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from kimportal import roles
from kimportal.models import County, User
from tests.audit.conftest import login

pytestmark = pytest.mark.django_db
URL = reverse("audit:changelog")


def rows(response) -> list[dict]:
    return [row.record for row in response.context["table"].page.object_list]


@pytest.fixture
def anna(demo_users):
    return User.objects.get(username="admin")


def new_finance_officer(anna) -> User:
    user = User(username="kaemmerei-2", first_name="Karl", last_name="Kasse",
                county=County.objects.get(slug="rhein-sieg-kreis"))
    user._history_user = anna
    user.set_password("geheim-123")
    user.save()
    user.groups.add(Group.objects.get(name=roles.FINANCE))
    return user


def test_a_new_user_and_the_role_given_to_them_are_listed(anna):
    new_finance_officer(anna)

    role, created = rows(login("admin").get(URL, {"art": "kimportal.user", "eintrag": "kaemmerei-2"}))[:2]

    assert (created["action"], created["object"], created["user"]) == ("angelegt", "kaemmerei-2", "Anna Administration")
    assert ("Nachname", "", "Kasse") in created["changes"]
    assert (role["action"], role["changes"]) == ("geändert", [("Rollen", "–", "Finanzcontrolling")])


def test_a_deactivated_user_and_a_changed_password_are_listed_without_the_hash(anna):
    user = new_finance_officer(anna)
    user.is_active = False
    user.save()
    user.set_password("neu-und-geheim-456")
    user.save()

    client = login("admin")
    password, deactivated = rows(client.get(URL, {"art": "kimportal.user", "eintrag": "kaemmerei-2"}))[:2]
    export = client.get(URL, {"art": "kimportal.user", "_export": "csv"}).content.decode()

    assert deactivated["changes"] == [("Aktiv", "ja", "nein")]
    assert password["changes"] == [("Anlass", "", "Passwort geändert")]
    assert user.password.split("$")[-1] not in export
    assert "password" not in {f.name for f in User.history.model._meta.fields}


def test_a_deleted_user_is_listed_with_their_last_values(anna):
    user = new_finance_officer(anna)
    user.delete()

    deleted = rows(login("admin").get(URL, {"art": "kimportal.user"}))[0]

    assert (deleted["action"], deleted["object"]) == ("gelöscht", "kaemmerei-2")
    assert ("E-Mail-Adresse", "", "") not in deleted["changes"]
    assert ("Vorname", "", "Karl") in deleted["changes"]


def test_logging_in_writes_no_history_record(client, demo_users):
    before = User.history.count()

    assert client.login(username="ki-rsk", password="kimportal-demo")

    assert User.history.count() == before


def test_finance_officers_see_the_accounts_of_their_county_only(anna, demo_users):
    new_finance_officer(anna)
    neuss = User.objects.get(username="ki-neuss")
    neuss.first_name = "Nelly"
    neuss.save()

    listed = {row["object"] for row in rows(login("finanzen-rsk").get(URL, {"art": "kimportal.user"}))}

    assert listed == {"ki-rsk", "finanzen-rsk", "ausschuss-rsk", "kaemmerei-2"}
    assert {"admin", "ki-neuss"} <= {row["object"] for row in rows(login("admin").get(URL, {"art": "kimportal.user"}))}
