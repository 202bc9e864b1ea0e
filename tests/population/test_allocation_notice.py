"""The allocation page's proposal by population names source and date of the figures it used."""
import pytest
from django.urls import reverse

from kimportal.models import Municipality
from staffing.models import CaseManagementAllocation

OFFICIAL = "IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle 12411-01ir"

pytestmark = pytest.mark.django_db


@pytest.fixture
def ki(client, demo_users):
    assert client.login(username="ki-rsk", password="kimportal-demo")
    return client


def propose(client):
    allocation = CaseManagementAllocation.objects.get(county__slug="rhein-sieg-kreis", code="cm-kommunen-2021")
    shares = {share.municipality_id: share for share in allocation.shares.all()}
    municipalities = Municipality.objects.filter(county=allocation.county).order_by("name")
    data = {"action": "propose", "version": allocation.version, "shares-TOTAL_FORMS": len(municipalities),
            "shares-INITIAL_FORMS": len(municipalities), "shares-MIN_NUM_FORMS": 0, "shares-MAX_NUM_FORMS": 1000}
    for index, municipality in enumerate(municipalities):
        share = shares.get(municipality.pk)
        data[f"shares-{index}-municipality"] = municipality.pk
        data[f"shares-{index}-days"] = str(share.days if share else 0).replace(".", ",")
        if share and share.no_demand:
            data[f"shares-{index}-no_demand"] = "on"
        data[f"shares-{index}-special_arrangement"] = share.special_arrangement if share else ""
    return client.post(reverse("staffing:allocation_detail", args=[allocation.pk]), data)


def test_the_proposal_names_the_official_figures_and_their_date(ki):
    Municipality.objects.filter(county__slug="rhein-sieg-kreis").update(population_source=OFFICIAL)

    response = propose(ki)

    assert response.status_code == 200
    notice = response.context["notice"]
    assert notice.startswith("Vorschlag nach Einwohnerzahl")
    assert notice.endswith(f"Einwohner laut {OFFICIAL}, Stand 31.12.2021.")


def test_the_demo_says_which_figures_are_not_official(ki):
    notice = propose(ki).context["notice"]

    assert ("Einwohner mit unterschiedlicher Grundlage: laut General-Anzeiger Bonn, 05.07.2022 (amtliche Quelle dort "
            "nicht genannt), Stand 31.12.2021 (Alfter); laut Näherungswert, nicht amtlich (Demodaten), "
            "Stand 31.12.2021 (18 Einträge).") in notice
