"""Template filters of kimportal.terms: ``{% load terms %}{{ county|budget_recovery_note }}``."""
from django import template

from kimportal import terms

register = template.Library()


@register.filter
def budget_recovery_note(county) -> str:
    """The county's note on its Haushaltssicherungskonzept (§ 76 GO NRW), or "" (kimportal.terms)."""
    return terms.budget_recovery_note(county)


@register.filter
def county_yours(county) -> str:
    """ "Ihres Kreises" or, for a kreisfreie Stadt, "Ihrer Stadt" (kimportal.terms.CountyWords.yours)."""
    return terms.county_words(getattr(county, "kind", terms.KREIS)).yours
