"""The value-limits pages: everyone of the county reads them, finance officers record the stages of their
statute and the kind of each programme; a bad set or a stale page saves nothing."""
from decimal import Decimal

import pytest
from django.urls import reverse

from kimportal.models import County
from programmes.models import Programme
from provisions.models import ProgrammeSpendingKind, ProvisionStatute
from provisions.rules import ALL, MANDATORY, VOLUNTARY
from tests.test_lost_updates import FormValues

PASSWORD = "kimportal-demo"
RSK = "rhein-sieg-kreis"
PAGE = reverse("provisions:limits")
EDIT = reverse("provisions:limits_edit")
NEUSS_STAGES = [(VOLUNTARY, "5.000", "Kämmerer/in", "unerheblich"), (VOLUNTARY, "", "Kreistag", ""),
                (MANDATORY, "250.000,00", "Kämmerer/in", "unerheblich"), (MANDATORY, "", "Kreistag", "")]


def loaded(client) -> dict[str, str]:
    response = client.get(EDIT)
    assert response.status_code == 200
    parser = FormValues()
    parser.feed(response.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def with_stages(values: dict, stages) -> dict:
    data = {key: value for key, value in values.items() if not key.startswith("stufen-")}
    data |= {"stufen-TOTAL_FORMS": str(len(stages)), "stufen-INITIAL_FORMS": "0", "stufen-MIN_NUM_FORMS": "0",
             "stufen-MAX_NUM_FORMS": "1000"}
    for index, (kind, limit, body, label) in enumerate(stages):
        data |= {f"stufen-{index}-spending_kind": kind, f"stufen-{index}-upper_limit": limit,
                 f"stufen-{index}-body": body, f"stufen-{index}-label": label}
    return data


def stages_of(slug=RSK):
    return [(s.spending_kind, s.upper_limit, s.body, s.label)
            for s in ProvisionStatute.objects.get(county__slug=slug).stages.all()]


@pytest.fixture
def finance(client, demo_users):
    assert client.login(username="finanzen-rsk", password=PASSWORD)
    return client


def test_everyone_of_the_county_reads_the_limits_and_only_finance_may_edit(client, demo_users):
    client.login(username="ki-rsk", password=PASSWORD)
    page = client.get(PAGE).content.decode().replace("\u00a0", " ")
    assert "bis einschließlich 99.999,99 €" in page and "über 99.999,99 €" in page
    assert "Kreistag / Kreisausschuss" in page
    assert "Kommunales Integrationsmanagement (KIM)" in page and "pflichtig" in page
    assert "nicht festgelegt (gilt als freiwillig)" in page  # e.g. KOMM-AN NRW
    assert EDIT not in page
    assert client.get(EDIT).status_code == 403 and client.post(EDIT, {}).status_code == 403
    client.login(username="ausschuss-rsk", password=PASSWORD)
    assert client.get(PAGE).status_code == 403 and client.get(EDIT).status_code == 403
    client.login(username="ki-neuss", password=PASSWORD)
    page = client.get(PAGE).content.decode().replace("\u00a0", " ")
    assert "bis einschließlich 5.000 €" in page and "unerheblich" in page and "99.999,99" not in page


def test_a_finance_officer_records_neuss_like_limits_with_german_amounts(finance):
    values = loaded(finance)
    assert values["version"] and values["stufen-0-upper_limit"] == "99.999,99"
    response = finance.post(EDIT, with_stages({**values, "source": "§ 7 Haushaltssatzung 2022"}, NEUSS_STAGES))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert stages_of() == [(MANDATORY, Decimal("250000.00"), "Kämmerer/in", "unerheblich"),
                           (MANDATORY, None, "Kreistag", ""),
                           (VOLUNTARY, Decimal("5000.00"), "Kämmerer/in", "unerheblich"),
                           (VOLUNTARY, None, "Kreistag", "")]
    statute = ProvisionStatute.objects.get(county__slug=RSK)
    assert statute.source == "§ 7 Haushaltssatzung 2022" and statute.version == int(values["version"]) + 1
    page = finance.get(PAGE).content.decode().replace("\u00a0", " ")
    assert "Die Wertgrenzen wurden gespeichert." in page and "bis einschließlich 5.000 €" in page
    assert "Stufe" in page and "Änderungsverlauf" in page


@pytest.mark.parametrize("stages, message", [
    ([(ALL, "30.000", "Bürgermeister/in", ""), (ALL, "2.500", "Kämmerer/in", ""), (ALL, "", "Rat", "")],
     "Bitte die Stufen für freiwillige und pflichtige Aufwendungen aufsteigend eintragen"),
    ([(ALL, "500", "Kämmerer/in", ""), (ALL, "500,00", "Landrat", ""), (ALL, "", "Rat", "")],
     "steht bei den Stufen für freiwillige und pflichtige Aufwendungen mehr als einmal"),
    ([(VOLUNTARY, "5.000", "Kämmerer/in", "")], "fehlt die letzte Stufe ohne Obergrenze"),
    ([(ALL, "5.000,001", "Kämmerer/in", ""), (ALL, "", "Rat", "")], "höchstens zwei Nachkommastellen"),
    ([(ALL, "0", "Kämmerer/in", ""), (ALL, "", "Rat", "")], "Die Obergrenze muss über 0 € liegen."),
    ([(ALL, "5.000", "", ""), (ALL, "", "Rat", "")], "Bitte angeben, wer entscheidet."),
])
def test_a_bad_set_of_stages_saves_nothing_and_says_why_in_german(finance, stages, message):
    before = stages_of()
    values = loaded(finance)
    response = finance.post(EDIT, with_stages({**values, "source": "geändert"}, stages))
    assert response.status_code == 200
    html = response.content.decode().replace("\u00a0", " ")
    assert message in html and "es wurde nichts gespeichert" in html
    assert stages_of() == before and ProvisionStatute.objects.get(county__slug=RSK).source == ""


def test_a_programme_kind_is_set_on_the_same_page(finance):
    values = loaded(finance)
    index = next(key.split("-")[1] for key, value in values.items()
                 if key.endswith("-spending_kind") and key.startswith("programme-") and value == MANDATORY)
    values[f"programme-{index}-spending_kind"] = VOLUNTARY
    values[f"programme-{index}-reason"] = "Projektförderung"
    assert finance.post(EDIT, values).status_code == 302
    row = ProgrammeSpendingKind.objects.get(county__slug=RSK, programme__code="kim")
    assert (row.spending_kind, row.reason) == (VOLUNTARY, "Projektförderung")


def test_a_programme_of_another_county_cannot_be_smuggled_in(finance):
    other = Programme.objects.create(code="neuss-projekte", name="Projekte Neuss",
                                     county=County.objects.get(slug="rhein-kreis-neuss"))
    values = loaded(finance)
    values |= {"programme-0-programme": str(other.pk), "programme-0-spending_kind": MANDATORY}
    assert finance.post(EDIT, values).status_code == 200
    assert not ProgrammeSpendingKind.objects.filter(programme=other).exists()


def test_the_later_of_two_saves_is_refused_with_the_current_values(finance):
    loaded_by_both = loaded(finance)
    first = finance.post(EDIT, with_stages({**loaded_by_both, "source": "Erste Speicherung"}, NEUSS_STAGES))
    second = finance.post(EDIT, with_stages({**loaded_by_both, "source": "Zweite Speicherung"},
                                            [(ALL, "40.000", "Kämmerer/in", ""), (ALL, "", "Städteregionstag", "")]))
    assert first.status_code == 302 and second.status_code == 409
    html = second.content.decode()
    assert "inzwischen von jemand anderem geändert" in html and "Aktueller Stand in der Datenbank" in html
    assert ProvisionStatute.objects.get(county__slug=RSK).source == "Erste Speicherung"
    assert [stage[1] for stage in stages_of()] == [Decimal("250000.00"), None, Decimal("5000.00"), None]


def test_a_county_without_limits_records_its_first(finance):
    ProvisionStatute.objects.filter(county__slug=RSK).delete()
    assert "Keine Wertgrenzen hinterlegt." in finance.get(PAGE).content.decode()
    values = loaded(finance)
    assert values["stufen-TOTAL_FORMS"] == "2" and not values.get("version")
    city = [(ALL, "500", "Fachbereich Finanzen / Kämmerei", ""), (ALL, "2.500", "Kämmerer/in", ""),
            (ALL, "30.000", "Bürgermeister/in", ""), (ALL, "", "Rat", "")]
    assert finance.post(EDIT, with_stages(values, city)).status_code == 302
    assert [stage[1:3] for stage in stages_of()] == [
        (Decimal("500.00"), "Fachbereich Finanzen / Kämmerei"), (Decimal("2500.00"), "Kämmerer/in"),
        (Decimal("30000.00"), "Bürgermeister/in"), (None, "Rat")]


def test_removing_every_stage_leaves_the_county_without_limits(finance):
    values = loaded(finance)
    values |= {"stufen-0-DELETE": "on", "stufen-1-DELETE": "on"}
    assert finance.post(EDIT, values).status_code == 302
    assert stages_of() == []
    assert "Keine Wertgrenzen hinterlegt." in finance.get(PAGE).content.decode()


def test_saving_the_page_as_loaded_with_a_new_legal_basis_keeps_every_stage(finance):
    """A fresh user's trial: typing only a new "Rechtsgrundlage" and saving deleted the unchanged stages."""
    before = stages_of()
    values = loaded(finance)
    assert int(values["stufen-INITIAL_FORMS"]) == len(before) > 1
    response = finance.post(EDIT, {**values, "source": "§ 7 Haushaltssatzung 2022"})
    assert response.status_code == 302
    assert stages_of() == before
    assert ProvisionStatute.objects.get(county__slug=RSK).source == "§ 7 Haushaltssatzung 2022"


def test_a_second_open_stage_added_to_the_saved_ones_is_refused(finance):
    before = stages_of()
    values = loaded(finance)
    extra = int(values["stufen-TOTAL_FORMS"]) - 1  # the page offers empty rows after the saved stages
    assert int(values["stufen-INITIAL_FORMS"]) <= extra
    values |= {f"stufen-{extra}-spending_kind": ALL, f"stufen-{extra}-upper_limit": "",
               f"stufen-{extra}-body": "Landrat"}
    response = finance.post(EDIT, values)
    assert response.status_code == 200
    html = response.content.decode()
    assert "mehr als eine Stufe ohne Obergrenze" in html and "es wurde nichts gespeichert" in html
    assert stages_of() == before
