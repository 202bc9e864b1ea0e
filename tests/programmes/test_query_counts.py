"""List and detail pages run the same number of queries with 10 or 50 rows."""
from datetime import date

import pytest
from django.urls import reverse

from kimportal.models import Partner
from programmes.models import (Application, ApplicationStep, FocusGoal, FundedSlot, GrantDecision, GrantedSlot,
                               PassThrough, Programme)

pytestmark = pytest.mark.django_db

SIZES = [10, 50]


def add_rows(county, size):
    kim = Programme.objects.get(code="kim")
    module = kim.modules.get(code="kim-b2")
    slot = FundedSlot.objects.get(code="kim-b2-case-management")
    partner = Partner.objects.filter(county=county).first()
    for i in range(size):
        decision = GrantDecision.objects.create(county=county, programme=kim, module=module, reference=f"AZ {i}",
                                                period_start=date(2010 + i % 10, 1, 1),
                                                period_end=date(2010 + i % 10, 12, 31))
        GrantedSlot.objects.create(decision=decision, funded_slot=slot, count="1", nominal_fte="1")
        PassThrough.objects.create(decision=decision, recipient=partner)
        application = Application.objects.create(county=county, programme=kim, module=module, title=f"Antrag {i}")
        ApplicationStep.objects.create(application=application, kind="applied", occurred_on=date(2021, 1, 1))
        FocusGoal.objects.create(county=county, field_of_action="kim", number=i, title=f"Ziel {i}", text="Ziel",
                                 due_on=date(2024, 12, 31))
        Programme.objects.create(county=county, code=f"rsk-projekt-{i}", name=f"Projekt {i}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name,expected", [
    ("programme_list", 7), ("grantdecision_list", 11), ("focusgoal_list", 7),
])
def test_list_page_queries_do_not_grow_with_the_rows(ki_rsk, rsk, django_assert_num_queries, size, name, expected):
    add_rows(rsk, size)
    with django_assert_num_queries(expected):
        assert ki_rsk.get(reverse(f"programmes:{name}")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name,expected", [
    # The history merges the rows' history: one query per kind of row and per related model it names.
    ("programme_detail", 16), ("application_detail", 12), ("grantdecision_detail", 13), ("focusgoal_detail", 7),
])
def test_detail_page_queries_do_not_grow_with_the_rows(ki_rsk, rsk, django_assert_num_queries, size, name,
                                                       expected):
    add_rows(rsk, size)
    obj = {
        "programme_detail": lambda: Programme.objects.get(code="kim"),
        "application_detail": lambda: Application.objects.filter(county=rsk).last(),
        "grantdecision_detail": lambda: GrantDecision.objects.filter(county=rsk).last(),
        "focusgoal_detail": lambda: FocusGoal.objects.filter(county=rsk).last(),
    }[name]()
    with django_assert_num_queries(expected):
        assert ki_rsk.get(reverse(f"programmes:{name}", args=[obj.pk])).status_code == 200
