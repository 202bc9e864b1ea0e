"""What the population figures in use rest on, for the pages that show or use them."""
from collections.abc import Iterable

from kimportal.models import Municipality


def population_basis(municipalities: Iterable[Municipality]) -> str:
    """One German sentence naming source and Stichtag of the figures: "Einwohner laut IT.NRW, …, Stand 31.12.2021".

    Municipalities with a population of 0 (no figure) are left out; where sources or dates differ, each
    combination is named with its municipalities (up to four; more are counted). Needs no query: it reads the objects passed in.
    """
    groups: dict[tuple[str, object], list[str]] = {}
    for municipality in municipalities:
        if municipality.population:
            key = (municipality.population_source.strip(), municipality.population_as_of)
            groups.setdefault(key, []).append(municipality.name)
    if not groups:
        return "Keine Einwohnerzahlen erfasst."

    def describe(source, as_of) -> str:
        stand = f"Stand {as_of:%d.%m.%Y}" if as_of else "ohne Stand"
        return f"laut {source}, {stand}" if source else f"ohne Quellenangabe, {stand}"

    if len(groups) == 1:
        (source, as_of), = groups
        return f"Einwohner {describe(source, as_of)}."
    parts = [f"{describe(source, as_of)} ({', '.join(names) if len(names) <= 4 else f'{len(names)} Einträge'})"
             for (source, as_of), names in groups.items()]
    return f"Einwohner mit unterschiedlicher Grundlage: {'; '.join(parts)}."
