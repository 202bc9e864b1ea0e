"""kimportal.deadlines: one sorted list of what is coming, each item linked to its object."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from budgeting.models import CoverageSource
from kimportal import deadlines
from kimportal.models import County
from programmes.models import Application, ApplicationStep, FocusGoal
from staffing.models import Position

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def rsk():
    return County.objects.get(slug="rhein-sieg-kreis")


def test_the_demo_deadlines_include_the_fixed_term_ends_and_the_goals_sorted_by_date(rsk):
    items = deadlines.upcoming_deadlines(rsk, today=date(2021, 6, 1))
    assert [d.date for d in items] == sorted(d.date for d in items)
    assert any(d.date == date(2022, 12, 31) and d.kind == deadlines.FIXED_TERM_ENDS for d in items)
    assert any(d.date == date(2023, 12, 31) and d.kind == deadlines.GOAL_DUE for d in items)


def test_expiring_coverage_is_listed_with_a_link_to_its_page(rsk):
    source = CoverageSource.objects.get(county=rsk, name="Integrationspauschale (§ 14c TIntG)")
    items = [d for d in deadlines.upcoming_deadlines(rsk, today=date(2021, 6, 1))
             if d.kind == deadlines.COVERAGE_EXPIRES]
    assert [(d.date, d.title) for d in items] == [(date(2021, 11, 30), source.name)]
    assert items[0].url == f"/haushalt/deckungsmittel/{source.pk}/"


def test_a_granted_extension_and_a_proof_of_use_are_deadlines_too(rsk):
    CoverageSource.objects.filter(county=rsk).update(
        extension_status="granted", extended_until=date(2022, 12, 31), proof_of_use_due=date(2023, 6, 30))
    items = deadlines.upcoming_deadlines(rsk, today=date(2021, 6, 1))
    kinds = {(d.date, d.kind) for d in items}
    assert (date(2022, 12, 31), deadlines.COVERAGE_EXPIRES) in kinds
    assert (date(2023, 6, 30), deadlines.PROOF_OF_USE_DUE) in kinds


def test_an_open_application_step_in_the_past_is_overdue_and_a_done_one_is_not_listed(rsk):
    application = Application.objects.filter(county=rsk).first()
    open_step = ApplicationStep.objects.create(application=application, kind="concept_requested",
                                               due_on=date(2022, 3, 1))
    ApplicationStep.objects.create(application=application, kind="concept_submitted", due_on=date(2022, 4, 1),
                                   occurred_on=date(2022, 3, 20))
    steps = [d for d in deadlines.upcoming_deadlines(rsk, today=date(2022, 5, 1)) if d.kind == deadlines.STEP_OPEN]
    assert [(d.date, d.overdue) for d in steps if d.date in (date(2022, 3, 1), date(2022, 4, 1))] == [
        (date(2022, 3, 1), True)]
    assert open_step.application.title in steps[0].title or any(application.title in d.title for d in steps)


def test_a_past_contract_end_is_past_not_overdue(rsk):
    items = deadlines.upcoming_deadlines(rsk, today=date(2030, 1, 1))
    assert all(not d.overdue for d in items if d.kind in (deadlines.FIXED_TERM_ENDS, deadlines.COVERAGE_EXPIRES))


def test_the_horizon_and_include_past_limit_the_list(rsk):
    today = date(2022, 6, 1)
    items = deadlines.upcoming_deadlines(rsk, today=today, horizon_days=250, include_past=False)
    assert items
    assert all(d.date <= today + timedelta(days=250) for d in items)
    assert all(d.date >= today or d.overdue for d in items)


def test_the_other_countys_deadlines_are_not_listed(rsk):
    neuss = County.objects.get(slug="rhein-kreis-neuss")
    rsk_items = deadlines.upcoming_deadlines(rsk, today=date(2021, 1, 1))
    neuss_items = deadlines.upcoming_deadlines(neuss, today=date(2021, 1, 1))
    assert rsk_items
    assert not {(d.kind, d.url) for d in rsk_items} & {(d.kind, d.url) for d in neuss_items}


def test_a_page_that_does_not_exist_gives_no_link_instead_of_an_error():
    assert deadlines.object_url("nirgends:nichts", 1) is None


def test_the_query_count_does_not_grow_with_the_data(rsk, django_assert_num_queries):
    template = Position.objects.filter(county=rsk).first()
    with django_assert_num_queries(8):
        deadlines.upcoming_deadlines(rsk, today=date(2021, 1, 1))
    for index in range(40):
        Position.objects.create(county=rsk, title=f"Befristet {index}", module=template.module,
                                pay_grade=template.pay_grade, fte=Decimal("0.5"), start_on=date(2022, 1, 1),
                                fixed_term_until=date(2023, 1, 1) + timedelta(days=index))
        FocusGoal.objects.create(county=rsk, field_of_action=FocusGoal.objects.first().field_of_action,
                                 number=100 + index, title=f"Ziel {index}", text="", due_on=date(2024, 1, 1))
    with django_assert_num_queries(8):
        items = deadlines.upcoming_deadlines(rsk, today=date(2021, 1, 1))
    assert sum(d.kind == deadlines.FIXED_TERM_ENDS for d in items) >= 40
