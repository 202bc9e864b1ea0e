"""What the allocation page says the population figures rest on (issue 11 §3)."""
from datetime import date

from kimportal.models import Municipality
from population.selectors import population_basis

OFFICIAL = "IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle 12411-01ir"
STICHTAG = date(2021, 12, 31)


def town(name, population=20000, source=OFFICIAL, as_of=STICHTAG):
    return Municipality(name=name, population=population, population_source=source, population_as_of=as_of)


def test_one_source_and_date_read_as_one_sentence():
    assert population_basis([town("Alfter", 23521), town("Neuss", 152731)]) == (
        f"Einwohner laut {OFFICIAL}, Stand 31.12.2021.")


def test_different_sources_are_each_named_with_their_municipalities():
    towns = [town("Alfter", 23521), *(town(name, source="Näherungswert") for name in "ABCDE"), town("Z", source="")]
    assert population_basis(towns) == (
        f"Einwohner mit unterschiedlicher Grundlage: laut {OFFICIAL}, Stand 31.12.2021 (Alfter); "
        "laut Näherungswert, Stand 31.12.2021 (5 Einträge); ohne Quellenangabe, Stand 31.12.2021 (Z).")


def test_municipalities_without_a_figure_are_left_out():
    assert population_basis([town("Alfter", 0, source="", as_of=None), town("Neuss")]) == (
        f"Einwohner laut {OFFICIAL}, Stand 31.12.2021.")
    assert population_basis([town("Alfter", 0)]) == "Keine Einwohnerzahlen erfasst."
