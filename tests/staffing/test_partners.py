"""KI staff keep their county's partners (Anstellungsträger, Empfänger von Weiterleitungen) in the browser:
list, create, edit, each change in the partner's history; other counties' partners stay out of reach."""
import pytest
from django.urls import reverse

from kimportal.models import Municipality, Partner
from staffing.forms import PartnerForm
from staffing.tables import PartnerTable
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db
RSK = "rhein-sieg-kreis"


@pytest.fixture
def ki(demo_users):
    return logged_in_client("ki-rsk")


@pytest.fixture
def troisdorf(demo_users):
    return Partner.objects.get(county__slug=RSK, name="Stadt Troisdorf")


def diakonie_data(**changes):
    return {"name": "Diakonisches Werk An Sieg und Rhein e.V.", "kind": "welfare", "municipality": "", **changes}


def test_ki_staff_create_a_welfare_organisation_and_see_it_with_its_history(ki):
    response = ki.post(reverse("staffing:partner_create"), diakonie_data())
    partner = Partner.objects.get(county__slug=RSK, name="Diakonisches Werk An Sieg und Rhein e.V.")
    assert response.status_code == 302 and response["Location"] == reverse("staffing:partner_detail", args=[partner.pk])
    page = ki.get(response["Location"]).content.decode()
    assert "„Diakonisches Werk An Sieg und Rhein e.V.“ wurde gespeichert." in page
    assert "Wohlfahrtsverband" in page and "angelegt" in page
    assert partner.history.get().history_user.username == "ki-rsk"


def test_ki_staff_edit_a_partner_and_the_history_shows_the_change(ki, troisdorf):
    response = ki.post(reverse("staffing:partner_edit", args=[troisdorf.pk]),
                       {"name": "Stadt Troisdorf (Jugendamt)", "kind": "municipality",
                        "municipality": troisdorf.municipality_id})
    assert response.status_code == 302
    troisdorf.refresh_from_db()
    assert troisdorf.name == "Stadt Troisdorf (Jugendamt)"
    page = ki.get(reverse("staffing:partner_detail", args=[troisdorf.pk])).content.decode()
    assert "Stadt Troisdorf → Stadt Troisdorf (Jugendamt)" in page
    # Troisdorf employs the case manager of its own (Vorlage 002) and receives the Baustein 1 pass-through.
    assert "Case Management Stadt Troisdorf" in page and "64.700" in page


def test_a_name_the_county_already_has_is_refused_whatever_its_capitalisation(ki):
    response = ki.post(reverse("staffing:partner_create"), diakonie_data(name="  caritasverband rhein-sieg e.V. "))
    assert response.status_code == 200
    assert "Einen Partner „Caritasverband Rhein-Sieg e.V.“ gibt es in Ihrem Kreis schon." in response.content.decode()
    assert Partner.objects.filter(county__slug=RSK).count() == 2


def test_a_municipality_of_another_county_cannot_be_chosen(ki):
    neuss = Municipality.objects.get(county__slug="rhein-kreis-neuss", name="Dormagen")
    response = ki.post(reverse("staffing:partner_create"),
                       diakonie_data(name="Stadt Dormagen", kind="municipality", municipality=neuss.pk))
    assert response.status_code == 200 and not Partner.objects.filter(name="Stadt Dormagen").exists()


def test_another_countys_partner_is_not_found(demo_users, troisdorf):
    neuss_ki = logged_in_client("ki-neuss")
    assert neuss_ki.get(reverse("staffing:partner_detail", args=[troisdorf.pk])).status_code == 404
    response = neuss_ki.post(reverse("staffing:partner_edit", args=[troisdorf.pk]), diakonie_data())
    assert response.status_code == 404
    troisdorf.refresh_from_db()
    assert troisdorf.name == "Stadt Troisdorf"


@pytest.mark.parametrize("username", ["finanzen-rsk", "ausschuss-rsk"])
def test_only_ki_staff_create_partners(demo_users, username):
    client = logged_in_client(username)
    assert client.post(reverse("staffing:partner_create"), diakonie_data()).status_code == 403
    assert not Partner.objects.filter(name__startswith="Diakonisches").exists()


def test_the_list_shows_the_countys_partners_with_what_they_employ_and_receive(ki):
    page = ki.get(reverse("staffing:partner_list")).content.decode()
    assert "Stadt Troisdorf" in page and "Caritasverband Rhein-Sieg e.V." in page and "Neuer Partner" in page
    rows = {row.record.name: (row.get_cell("employed"), row.get_cell("received"))
            for row in ki.get(reverse("staffing:partner_list")).context["table"].rows}
    assert rows == {"Caritasverband Rhein-Sieg e.V.": (0, 1), "Stadt Troisdorf": (1, 1)}


def test_the_form_offers_only_the_countys_municipalities(troisdorf):
    form = PartnerForm(county=troisdorf.county)
    assert form.fields["municipality"].queryset.count() == 19
    assert PartnerTable.Meta.fields == ("name", "kind", "municipality", "employed", "received")
