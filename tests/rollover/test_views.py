"""The rollover page /fortschreibung/: preview, scenario, plan; who may do what; each county its own."""
from datetime import date

import pytest
from django.urls import reverse

from budgeting.models import Appropriation, Scenario
from programmes.models import GrantDecision
from rollover.models import Rollover
from tests.conftest import logged_in_client

pytestmark = pytest.mark.usefixtures("demo_users")
URL = "/fortschreibung/"


def text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def test_the_finance_officer_previews_the_three_lists_of_2022():
    response = logged_in_client("finanzen-rsk").get(URL, {"jahr": "2022"})
    assert response.status_code == 200
    page = text(response)
    for caption in ("Übernommen (32)", "Endet / nicht übernommen (0)", "Bereits vorhanden (0)"):
        assert caption in page
    assert "31.10.01-KIM-CM KIM Case Management – Eigenanteil der 2020 besetzten Stellen im KI: 121.140 € für 2023" in page
    assert "Befristung endet am 31.12.2022, Verlängerung prüfen" in page
    assert "Verlängerung durch das Land offen" in page
    assert "Summe der übernommenen Haushaltsansätze 2023: 171.140 €" in page
    assert 'value="szenario"' in page and 'value="uebernehmen"' in page


def test_the_default_year_is_the_latest_with_appropriations():
    assert "2022 → 2023" in text(logged_in_client("finanzen-rsk").get(URL))


def test_as_scenario_first_then_into_the_plan():
    client = logged_in_client("finanzen-rsk")
    response = client.post(URL, {"jahr": "2022", "aktion": "szenario", "bestaetigt": "ja"}, follow=True)
    page = text(response)
    assert "Szenario „Fortschreibung 2023“ angelegt: 2 Haushaltsansätze und 11 erwartete Bescheide" in page
    assert "Eigenanteil 2023: Planstand und Fortschreibung" in page
    scenario = Scenario.objects.get(county__slug="rhein-sieg-kreis", name="Fortschreibung 2023")
    assert f"?start=2023-01&amp;end=2023-12&amp;scenarios={scenario.pk}" in page
    assert not Appropriation.objects.filter(fiscal_year=2023).exists()
    # The own-share page shows it beside the Planstand.
    own_share = client.get(reverse("budgeting:calculation"), {"start": "2023-01", "end": "2023-12",
                                                              "scenarios": scenario.pk})
    assert own_share.status_code == 200 and "Fortschreibung 2023" in text(own_share)

    response = client.post(URL, {"jahr": "2022", "aktion": "uebernehmen", "bestaetigt": "ja"}, follow=True)
    page = text(response)
    assert ("In den Plan 2023 übernommen: 2 Haushaltsansätze und 11 erwartete Bescheide angelegt. Die Bescheide sind "
            "als „erwartet (noch kein Bescheid)“ markiert") in page
    assert "In den Plan 2023 übernommen am" in page
    # The scenario now computed exactly as the Planstand: it is gone, not a second Planstand in the risk range.
    assert "Das Szenario „Fortschreibung 2023“ ist entfernt: seine Annahmen stehen jetzt im Plan." in page
    assert not Scenario.objects.filter(pk=scenario.pk).exists()
    response = client.post(URL, {"jahr": "2022", "aktion": "uebernehmen", "bestaetigt": "ja"}, follow=True)
    assert "Nichts Neues: der Plan 2023 hat schon alles; nichts angelegt." in text(response)
    assert Appropriation.objects.filter(fiscal_year=2023).count() == 2
    assert GrantDecision.objects.filter(period_start=date(2023, 1, 1)).count() == 11


def test_a_bad_year_is_refused_in_german_and_changes_nothing():
    client = logged_in_client("finanzen-rsk")
    page = text(client.get(URL, {"jahr": "20x2"}))
    assert "„20x2“ ist kein Haushaltsjahr; bitte eine Jahreszahl wie 2022 angeben." in page
    response = client.post(URL, {"jahr": "1900", "aktion": "uebernehmen"}, follow=True)
    assert "Das Haushaltsjahr 1900 liegt außerhalb von 2000 bis 2099." in text(response)
    assert not Rollover.objects.exists()


def test_ki_staff_may_view_but_not_roll_over():
    client = logged_in_client("ki-rsk")
    response = client.get(URL, {"jahr": "2022"})
    assert response.status_code == 200
    page = text(response)
    assert "Fortschreiben kann das Finanzcontrolling; Sie sehen die Vorschau." in page
    assert 'value="uebernehmen"' not in page
    assert client.post(URL, {"jahr": "2022", "aktion": "uebernehmen"}).status_code == 403
    assert not Rollover.objects.exists() and not Appropriation.objects.filter(fiscal_year=2023).exists()


def test_the_committee_gets_403():
    client = logged_in_client("ausschuss-rsk")
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"jahr": "2022", "aktion": "szenario"}).status_code == 403


def test_another_county_sees_its_own_plan_and_gets_404_on_the_rhein_sieg_scenario():
    logged_in_client("finanzen-rsk").post(URL, {"jahr": "2022", "aktion": "szenario", "bestaetigt": "ja"})
    scenario = Scenario.objects.get(county__slug="rhein-sieg-kreis", name="Fortschreibung 2023")
    neuss = logged_in_client("ki-neuss")
    page = text(neuss.get(URL, {"jahr": "2022"}))
    assert "31.10.01-KIM-CM" not in page and "KI-B1-01" not in page
    assert "Kommunales Integrationsmanagement (KIM): Koordination" in page or "Koordination KIM" in page
    assert neuss.get(reverse("budgeting:scenario_detail", args=[scenario.pk])).status_code == 404
