"""The words a county's pages use for the units it allocates case management to, and its budget-recovery note.

A Kreis allocates to its municipalities ("Kommunen", "Städte und Gemeinden"). A kreisfreie Stadt has no
municipalities: it allocates to its districts (Stadtbezirke) or offices (Dienststellen), which kimportal keeps
as ``Municipality`` rows of kind ``bezirk`` or ``dienststelle`` (DOMAIN.md, "Municipalities"; issue 11 §5).

- ``unit_terms(county_kind, unit_kinds) -> UnitTerms``: pure; the county's kind ("kreis" / "stadt") and the
  kinds of its units ("gemeinde", "bezirk", "dienststelle") in, the German words out.
- ``county_unit_terms(county) -> UnitTerms``: the selector; no query for a Kreis, one for a kreisfreie Stadt.
- ``unit_terms_context(request)``: the template context processor; ``{{ unit_terms.plural }}`` in any page,
  read lazily (a page that does not use it runs no query for it).
- ``county_words(county_kind) -> CountyWords``: "der Kreis" / "die Stadt", "des Kreises" / "der Stadt", …
  for a paper's own sentences (``county_subject``: the first of them).
- ``county_with_article(name, county_kind, case="accusative") -> str``: "die Stadt Beispielstadt", "den
  Rhein-Sieg-Kreis": the county's name with its article ("Für die Stadt Beispielstadt gilt …").
- ``budget_recovery_note(county) -> str``: the note a county under a Haushaltssicherungskonzept gets next to
  its unplanned provision (§ 76 GO NRW); "" for any other county.

German needs the article with the noun ("die Kommune", "der Stadtbezirk"), so ``UnitTerms`` carries whole
phrases, not only nouns.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.utils.functional import SimpleLazyObject

KREIS = "kreis"
STADT = "stadt"
MUNICIPALITY = "gemeinde"
DISTRICT = "bezirk"
OFFICE = "dienststelle"


@dataclass(frozen=True)
class UnitTerms:
    """The words for one county's allocation units, each ready to put into a German sentence.

    ``singular`` "Kommune" (a column heading, "je Kommune"); ``plural`` "Kommunen" (nominative, accusative,
    genitive: "die Liste der Kommunen"); ``dative_plural`` "Kommunen" / "Stadtbezirken" ("in den …");
    ``definite`` "die Kommune" / "der Stadtbezirk"; ``indefinite`` "eine Kommune" / "ein Stadtbezirk";
    ``collective`` "Städte und Gemeinden" / "Stadtbezirke" (running text about all units).
    """

    singular: str
    plural: str
    dative_plural: str
    definite: str
    indefinite: str
    collective: str

    @property
    def indefinite_capitalised(self) -> str:
        """ "Eine Kommune", "Ein Stadtbezirk oder eine Dienststelle": the start of a sentence."""
        return self.indefinite[:1].upper() + self.indefinite[1:]

    def as_dict(self) -> dict[str, str]:
        """The words as JSON values, for a paper's data (an issued paper keeps them in its snapshot)."""
        return {**asdict(self), "indefinite_capitalised": self.indefinite_capitalised}


# The wording every page of a Kreis has always used; kept byte for byte (tests compare it).
KREIS_TERMS = UnitTerms(singular="Kommune", plural="Kommunen", dative_plural="Kommunen", definite="die Kommune",
                        indefinite="eine Kommune", collective="Städte und Gemeinden")
DISTRICT_TERMS = UnitTerms(singular="Stadtbezirk", plural="Stadtbezirke", dative_plural="Stadtbezirken",
                           definite="der Stadtbezirk", indefinite="ein Stadtbezirk", collective="Stadtbezirke")
OFFICE_TERMS = UnitTerms(singular="Dienststelle", plural="Dienststellen", dative_plural="Dienststellen",
                         definite="die Dienststelle", indefinite="eine Dienststelle", collective="Dienststellen")
DISTRICT_OR_OFFICE_TERMS = UnitTerms(
    singular="Stadtbezirk oder Dienststelle", plural="Stadtbezirke und Dienststellen",
    dative_plural="Stadtbezirken und Dienststellen", definite="der Stadtbezirk oder die Dienststelle",
    indefinite="ein Stadtbezirk oder eine Dienststelle", collective="Stadtbezirke und Dienststellen")


def unit_terms(county_kind: str, unit_kinds: Iterable[str] = ()) -> UnitTerms:
    """The words for the units of a county of ``county_kind`` whose units have the given kinds.

    A Kreis always speaks of Kommunen. A kreisfreie Stadt speaks of what its units are: only districts →
    Stadtbezirke, only offices → Dienststellen, both → "Stadtbezirk oder Dienststelle". A city's unit left
    at the default kind "gemeinde" (a city has no municipalities, so that kind was simply not set) counts as
    a district, and so does a city without units yet: the Stadtbezirk is what a city allocates to first.
    Unknown kinds raise ValueError (a programming error, not user input).
    """
    kinds = set(unit_kinds)
    unknown = kinds - {MUNICIPALITY, DISTRICT, OFFICE}
    if unknown or county_kind not in (KREIS, STADT):
        raise ValueError(f"unknown kind: county {county_kind!r}, units {sorted(unknown)!r}")
    if county_kind == KREIS:
        return KREIS_TERMS
    has_office = OFFICE in kinds
    has_district = bool(kinds - {OFFICE}) or not kinds
    if has_office and has_district:
        return DISTRICT_OR_OFFICE_TERMS
    return OFFICE_TERMS if has_office else DISTRICT_TERMS


def county_unit_terms(county) -> UnitTerms:
    """The words for ``county``'s units (kimportal.County); no query for a Kreis, one for a kreisfreie Stadt."""
    if county is None or county.kind == KREIS:
        return KREIS_TERMS
    return unit_terms(county.kind, county.municipalities.values_list("kind", flat=True).distinct())


def unit_terms_context(request) -> dict:
    """Template context processor: ``unit_terms`` for the user's county (a Kreis's words without one).

    Lazy, so that pages which do not print the words run no query for them; a view that has the units at hand
    (the allocation page) puts its own ``unit_terms`` into the context, which wins over this one.
    """
    def load() -> UnitTerms:
        user = getattr(request, "user", None)
        county = getattr(user, "county", None) if user is not None and user.is_authenticated else None
        return county_unit_terms(county)

    return {"unit_terms": SimpleLazyObject(load)}


@dataclass(frozen=True)
class CountyWords:
    """The county itself in a paper's running text: ``subject`` "der Kreis" / "die Stadt", ``genitive``
    "des Kreises" / "der Stadt", ``budget`` (accusative, after "für den") "Kreishaushalt" / "städtischen Haushalt",
    ``yours`` (a page speaking to its user) "Ihres Kreises" / "Ihrer Stadt"."""

    subject: str
    genitive: str
    budget: str
    yours: str = "Ihres Kreises"  # "die eigenen Programme Ihres Kreises" / "… Ihrer Stadt" (a page to its user)


KREIS_WORDS = CountyWords(subject="der Kreis", genitive="des Kreises", budget="Kreishaushalt")
CITY_WORDS = CountyWords(subject="die Stadt", genitive="der Stadt", budget="städtischen Haushalt", yours="Ihrer Stadt")


def county_words(county_kind: str) -> CountyWords:
    """How a paper names a county of ``county_kind`` ("kreis" / "stadt") in its own sentences."""
    return CITY_WORDS if county_kind == STADT else KREIS_WORDS


def county_subject(county_kind: str) -> str:
    """ "der Kreis" or "die Stadt": the county as the subject of a sentence in a paper's running text."""
    return county_words(county_kind).subject


# Words that make a county's name feminine ("die Stadt Köln", "die Städteregion Aachen", "die Bundesstadt Bonn").
_FEMININE_HEADS = ("stadt", "städteregion", "region")
_ARTICLES = {"nominative": ("der", "die"), "accusative": ("den", "die"), "dative": ("dem", "der")}


def county_with_article(name: str, county_kind: str, case: str = "accusative") -> str:
    """A county's name with its article, for a sentence: "Für die Stadt Beispielstadt", "für den Rhein-Kreis Neuss".

    By the name's head word: a word ending in "kreis" is masculine ("den Rhein-Sieg-Kreis", "den Kreis Unna",
    "den Märkischen Kreis" with the adjective declined), a first word ending in "stadt" or "region" feminine
    ("die Bundesstadt Bonn", "die Städteregion Aachen"). A bare place name gets its kind's noun: "die Stadt Köln"
    (county_kind "stadt"), "den Kreis Soest" (a Kreis's name without "Kreis", as typed in the admin).
    ``case``: "nominative", "accusative" (after "für") or "dative" (after "bei"); ValueError for another one.
    Source of the rule: German grammar (Duden: geographical names with a generic noun take its article).
    """
    if case not in _ARTICLES:
        raise ValueError(f"unknown case: {case!r}")
    masculine, feminine = _ARTICLES[case]
    words = name.split()
    first = words[0].lower() if words else ""
    if first.endswith(_FEMININE_HEADS):
        return f"{feminine} {name}"
    if len(words) > 1 and words[0].endswith("er") and words[1] == "Kreis":
        # "Märkischer Kreis", "Oberbergischer Kreis": the adjective follows the article (weak declension).
        ending = "e" if case == "nominative" else "en"
        return " ".join([masculine, words[0][:-2] + ending, *words[1:]])
    if any(word.lower().rstrip(",").endswith("kreis") for word in words):
        return f"{masculine} {name}"
    if county_kind == STADT:
        return f"{feminine} Stadt {name}"
    return f"{masculine} Kreis {name}"


def budget_recovery_note(county) -> str:
    """What a county under a budget-recovery plan must keep in mind about new voluntary spending, or "".

    Source: § 76 GO NRW (the Haushaltssicherungskonzept needs the supervisory authority's approval, Abs. 2);
    DOMAIN.md: a county or city under it cannot take on new voluntary costs outside that plan. The note
    says so next to the unplanned provision (§ 83 GO NRW), which is decided only after that path.
    """
    if county is None or not county.budget_recovery_plan:
        return ""
    return (f"Haushaltssicherung: Für {county_with_article(county.name, getattr(county, 'kind', KREIS))} gilt ein "
            "Haushaltssicherungskonzept (§ 76 GO NRW). Neue "
            "freiwillige Aufwendungen – auch eine überplanmäßige Bereitstellung für eine freiwillige Leistung – "
            "sind nur im Rahmen dieses Konzepts und auf dem dort vorgesehenen Weg möglich; das Konzept bedarf "
            "der Genehmigung der Aufsichtsbehörde.")
