"""The Land's reference data speaks of the programme alone (issue 11, "Land data stays neutral").

Programmes, modules, funded slots and rates without a county are shared by every county: a Neuss user reads them on
/programme/1/. What one county did with a programme (when its KI was founded, its partners, its decisions) belongs
to that county's own records (grant decisions, programmes of its own).
"""
import re

import pytest

from kimportal.models import County, Municipality, Partner
from programmes.models import FundedSlot, FundingRate, Module, Programme

pytestmark = pytest.mark.usefixtures("demo")


def land_texts() -> list[tuple[str, str]]:
    texts = []
    for programme in Programme.objects.filter(county__isnull=True):
        texts += [(f"Programm {programme.code}", getattr(programme, name))
                  for name in ("name", "funder", "granting_authority", "legal_basis", "description")]
    for module in Module.objects.filter(programme__county__isnull=True):
        texts += [(f"Baustein {module.code}", module.name), (f"Baustein {module.code}", module.description)]
    for slot in FundedSlot.objects.filter(module__programme__county__isnull=True):
        texts.append((f"Förderstelle {slot.code}", slot.name))
    for rate in FundingRate.objects.filter(module__programme__county__isnull=True):
        texts.append((f"Fördersatz {rate.pk}", rate.source))
    return texts


def county_names() -> set[str]:
    names = set(County.objects.values_list("name", flat=True))
    names |= set(Municipality.objects.values_list("name", flat=True))
    names |= set(Partner.objects.values_list("name", flat=True))
    return {name for name in names if name}


def test_no_land_record_names_a_county_a_municipality_or_a_partner():
    names = county_names()
    assert "Rhein-Sieg-Kreis" in names and "Caritasverband Rhein-Sieg e.V." in names
    # A name begins a word but may be inflected: "des Rhein-Sieg-Kreises".
    pattern = re.compile("|".join(rf"\b{re.escape(name)}" for name in sorted(names, key=len, reverse=True)))
    found = [(record, match.group(0)) for record, text in land_texts() for match in [pattern.search(text or "")]
             if match]
    assert found == []


def test_no_land_record_names_a_kreis_or_a_stadt_of_its_own():
    # "Kreise und kreisfreie Städte" is the programme's audience; "Kreis Unna" would be one county's fact.
    pattern = re.compile(r"\b(Kreis|Stadt|Gemeinde|Rhein-\w+)\s+[A-ZÄÖÜ]\w+")
    assert [(record, text) for record, text in land_texts() if text and pattern.search(text)] == []


def test_the_county_facts_moved_to_the_countys_own_records():
    from programmes.models import GrantDecision

    notes = " ".join(GrantDecision.objects.filter(county__slug="rhein-sieg-kreis").values_list("note", flat=True))
    assert "am 07.11.2014 mit Kreistagsbeschluss" in notes  # the KI's founding, on its KI-Grundförderung decision
    assert "Troisdorf" in notes and "Caritasverband Rhein-Sieg" in notes
