"""Template filters of the pass-through pages: ``exact_money`` is the project-wide filter (kimportal money tags),
kept here so that templates loading this library go on working."""
from django import template

from kimportal.templatetags.money import exact_money

register = template.Library()
register.filter("exact_money", exact_money)
