"""Writing official population figures to the municipalities: all or nothing, with history.

The figures come from IT.NRW's table (population.itnrw); municipalities are matched by their Gemeindeschlüssel
(``Municipality.ags``). The case-management proposal by population (staffing.services) then uses them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from kimportal.models import County, Municipality

from .itnrw import PopulationTable

SOURCE_MAX_LENGTH = Municipality._meta.get_field("population_source").max_length


@dataclass(frozen=True)
class PopulationChange:
    """One municipality found in the file: its figure (persons), Stichtag and source before and after."""

    municipality: Municipality
    old_population: int
    old_as_of: date | None
    old_source: str
    new_population: int
    new_as_of: date
    new_source: str

    @property
    def changed(self) -> bool:
        return ((self.old_population, self.old_as_of, self.old_source)
                != (self.new_population, self.new_as_of, self.new_source))


@dataclass
class PopulationImportResult:
    """What an import did (or, in a dry run, would do).

    ``changes``: every municipality found in the file, in the order of its county's names;
    ``missing``: municipalities in scope with a Gemeindeschlüssel the file lacks;
    ``without_ags``: municipalities in scope that have no Gemeindeschlüssel and so cannot be matched;
    ``unknown``: Gemeinde rows of the file whose key belongs to no municipality in scope (ignored, counted).
    """

    as_of: date
    source: str
    dry_run: bool
    changes: list[PopulationChange] = field(default_factory=list)
    missing: list[Municipality] = field(default_factory=list)
    without_ags: list[Municipality] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def updated(self) -> list[PopulationChange]:
        return [change for change in self.changes if change.changed]


def no_match_message(county: County | None) -> str:
    """One German sentence: the file names none of the municipalities in scope (those of ``county``, or all)."""
    if county is not None:
        return (f"Die Datei enthält keine Kommune des Kreises „{county}“ (Abgleich über den Gemeindeschlüssel); "
                "nichts gespeichert.")
    return ("Die Datei enthält keine der hier erfassten Kommunen (Abgleich über den Gemeindeschlüssel, alle "
            "Kreise); nichts gespeichert.")


def population_import(*, table: PopulationTable, county: County | None = None, as_of: date | None = None,
                      source: str = "", dry_run: bool = False) -> PopulationImportResult:
    """Set population, population_as_of and population_source of the municipalities the table names.

    ``county``: only its municipalities (a state-wide file's other rows are ignored and counted); None: every
    municipality with a Gemeindeschlüssel. ``as_of`` overrides the file's Stichtag; ``source`` the text stored as
    population_source (default: the table's own, e.g. "IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle
    12411-01ir"). Only municipalities whose figure, date or source changes are saved, each with a history row
    (django-simple-history) whose reason names the source and date; all in one transaction.

    Raises ValidationError (German message) when the Stichtag is missing, when no municipality in scope is in the
    file, or when a record fails validation; nothing is saved then. A dry run computes the result and saves nothing.
    """
    stichtag = as_of or table.as_of
    if stichtag is None:
        raise ValidationError("Die Datei nennt keinen Stichtag; bitte mit --as-of angeben, z. B. --as-of 31.12.2021.")
    text = (source or table.source())[:SOURCE_MAX_LENGTH]
    scope = Municipality.objects.select_related("county").order_by("county__name", "name")
    if county is not None:
        scope = scope.filter(county=county)
    municipalities = list(scope)
    by_ags = {m.ags: m for m in municipalities if m.ags}
    result = PopulationImportResult(as_of=stichtag, source=text, dry_run=dry_run)
    result.without_ags = [m for m in municipalities if not m.ags]
    found = {row.ags: row for row in table.rows if row.ags in by_ags}
    result.unknown = [row.ags for row in table.rows if row.ags not in by_ags]
    for municipality in municipalities:
        row = found.get(municipality.ags) if municipality.ags else None
        if row is None:
            if municipality.ags:
                result.missing.append(municipality)
            continue
        result.changes.append(PopulationChange(
            municipality=municipality, old_population=municipality.population, old_as_of=municipality.population_as_of,
            old_source=municipality.population_source, new_population=row.population, new_as_of=stichtag,
            new_source=text))
    if not result.changes:
        raise ValidationError(no_match_message(county))
    if not dry_run:
        _save(result)
    return result


def _save(result: PopulationImportResult) -> None:
    reason = f"Einwohnerzahl {result.source}, Stand {result.as_of:%d.%m.%Y}"
    with transaction.atomic():
        for change in result.updated:
            municipality = change.municipality
            municipality.population = change.new_population
            municipality.population_as_of = change.new_as_of
            municipality.population_source = result.source
            municipality.full_clean()
            municipality._change_reason = reason
            municipality.save()
