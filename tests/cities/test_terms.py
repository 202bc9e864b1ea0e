"""The words for a county's allocation units (kimportal.terms), without a database."""
from types import SimpleNamespace

import pytest

from kimportal.terms import (
    CountyWords, county_words, DISTRICT_OR_OFFICE_TERMS, DISTRICT_TERMS, KREIS_TERMS, OFFICE_TERMS, budget_recovery_note, county_subject,
    county_with_article, unit_terms,
)


def test_a_kreis_speaks_of_kommunen_whatever_its_units_are():
    assert unit_terms("kreis", {"gemeinde"}) is KREIS_TERMS
    assert unit_terms("kreis", {"gemeinde", "dienststelle"}) is KREIS_TERMS
    assert (KREIS_TERMS.singular, KREIS_TERMS.plural, KREIS_TERMS.definite) == ("Kommune", "Kommunen", "die Kommune")
    assert KREIS_TERMS.indefinite_capitalised == "Eine Kommune"


def test_a_city_with_districts_speaks_of_stadtbezirke_with_their_article():
    terms = unit_terms("stadt", ["bezirk", "bezirk"])
    assert terms is DISTRICT_TERMS
    assert f"CM-Einsatz in den {terms.dative_plural}" == "CM-Einsatz in den Stadtbezirken"
    assert f"{terms.indefinite_capitalised} ohne Bedarf erhält keine Tage." == (
        "Ein Stadtbezirk ohne Bedarf erhält keine Tage.")
    assert f"0, wenn {terms.definite} keine erhält" == "0, wenn der Stadtbezirk keine erhält"


def test_a_city_with_offices_speaks_of_dienststellen():
    assert unit_terms("stadt", {"dienststelle"}) is OFFICE_TERMS


def test_a_city_with_districts_and_offices_names_both():
    terms = unit_terms("stadt", {"bezirk", "dienststelle"})
    assert terms is DISTRICT_OR_OFFICE_TERMS
    assert terms.singular == "Stadtbezirk oder Dienststelle"
    assert terms.indefinite_capitalised == "Ein Stadtbezirk oder eine Dienststelle"


def test_a_city_unit_left_at_the_default_kind_and_a_city_without_units_count_as_districts():
    assert unit_terms("stadt", {"gemeinde"}) is DISTRICT_TERMS
    assert unit_terms("stadt", ()) is DISTRICT_TERMS
    assert unit_terms("stadt", {"gemeinde", "dienststelle"}) is DISTRICT_OR_OFFICE_TERMS


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        unit_terms("landkreis", ())
    with pytest.raises(ValueError):
        unit_terms("stadt", {"ortsteil"})


def test_the_words_go_into_a_paper_snapshot_as_json_values():
    data = DISTRICT_TERMS.as_dict()
    assert data["singular"] == "Stadtbezirk" and data["indefinite_capitalised"] == "Ein Stadtbezirk"
    assert all(isinstance(value, str) for value in data.values())


def test_the_county_as_a_paper_names_it():
    assert county_subject("kreis") == "der Kreis"
    assert county_subject("stadt") == "die Stadt"
    assert county_words("stadt") == CountyWords("die Stadt", "der Stadt", "städtischen Haushalt", "Ihrer Stadt")
    assert county_words("kreis") == CountyWords("der Kreis", "des Kreises", "Kreishaushalt")


def test_only_a_county_under_a_budget_recovery_plan_gets_the_note():
    bonn = SimpleNamespace(name="Bundesstadt Bonn", kind="stadt", budget_recovery_plan=True)
    note = budget_recovery_note(bonn)
    assert note.startswith("Haushaltssicherung: Für die Bundesstadt Bonn gilt ein Haushaltssicherungskonzept "
                           "(§ 76 GO NRW).")
    assert "freiwillige Aufwendungen" in note and "Genehmigung der Aufsichtsbehörde" in note
    assert budget_recovery_note(SimpleNamespace(name="Rhein-Sieg-Kreis", budget_recovery_plan=False)) == ""
    assert budget_recovery_note(None) == ""


@pytest.mark.parametrize("name, kind, accusative, dative", [
    ("Stadt Beispielstadt", "stadt", "die Stadt Beispielstadt", "der Stadt Beispielstadt"),
    ("Bundesstadt Bonn", "stadt", "die Bundesstadt Bonn", "der Bundesstadt Bonn"),
    ("Köln", "stadt", "die Stadt Köln", "der Stadt Köln"),
    ("Städteregion Aachen", "kreis", "die Städteregion Aachen", "der Städteregion Aachen"),
    ("Rhein-Sieg-Kreis", "kreis", "den Rhein-Sieg-Kreis", "dem Rhein-Sieg-Kreis"),
    ("Rhein-Kreis Neuss", "kreis", "den Rhein-Kreis Neuss", "dem Rhein-Kreis Neuss"),
    ("Kreis Unna", "kreis", "den Kreis Unna", "dem Kreis Unna"),
    ("Hochsauerlandkreis", "kreis", "den Hochsauerlandkreis", "dem Hochsauerlandkreis"),
    ("Märkischer Kreis", "kreis", "den Märkischen Kreis", "dem Märkischen Kreis"),
    ("Soest", "kreis", "den Kreis Soest", "dem Kreis Soest"),
])
def test_a_county_s_name_takes_the_article_of_its_head_word(name, kind, accusative, dative):
    # A fresh user read "Für Stadt Beispielstadt gilt ein Haushaltssicherungskonzept" (issue 11 §5).
    assert county_with_article(name, kind) == accusative
    assert county_with_article(name, kind, "dative") == dative


def test_the_nominative_declines_an_adjective_and_an_unknown_case_is_a_programming_error():
    assert county_with_article("Oberbergischer Kreis", "kreis", "nominative") == "der Oberbergische Kreis"
    with pytest.raises(ValueError):
        county_with_article("Kreis Unna", "kreis", "genitive")


def test_the_note_of_a_city_named_stadt_has_its_article():
    city = SimpleNamespace(name="Stadt Beispielstadt", kind="stadt", budget_recovery_plan=True)
    assert budget_recovery_note(city).startswith(
        "Haushaltssicherung: Für die Stadt Beispielstadt gilt ein Haushaltssicherungskonzept")
