"""A save that changes nothing writes no history record: not the record's, not its rows', not a version bump."""
from decimal import Decimal

import pytest
from django.urls import reverse

from kimportal.concurrency import claim_version
from programmes.models import GrantDecision
from staffing.models import AllocationShare, Position
from tests.audit.conftest import login
from tests.staffing.test_views import position_data

pytestmark = pytest.mark.django_db
POSITION = "Koordination Strategische Steuerung 1"


def test_saving_a_position_form_unchanged_writes_no_record(demo_users):
    position = Position.objects.get(county__slug="rhein-sieg-kreis", title=POSITION)
    before = position.history.count()

    response = login("ki-rsk").post(reverse("staffing:position_edit", args=[position.pk]), position_data(position))

    assert response.status_code == 302
    assert position.history.count() == before
    position.refresh_from_db()
    assert position.version == 2


def test_a_save_that_changes_one_field_writes_one_record(demo_users):
    position = Position.objects.get(county__slug="rhein-sieg-kreis", title=POSITION)
    before = position.history.count()

    login("ki-rsk").post(reverse("staffing:position_edit", args=[position.pk]), position_data(position, fte="0,75"))

    assert position.history.count() == before + 1


def test_a_version_bump_alone_is_no_change(demo):
    decision = GrantDecision.objects.get(pk=3)
    before = decision.history.count()

    decision.version = claim_version(decision, expected_version=None)  # as an admin save does
    decision.save()

    assert decision.history.count() == before


def test_a_row_saved_with_the_same_value_in_another_notation_writes_no_record(demo):
    share = AllocationShare.objects.get(allocation__code="cm-kommunen-2021", municipality__name="Alfter")
    before = share.history.count()

    share.days = Decimal("2")  # stored as 2.00
    share.save()

    assert share.history.count() == before


def test_a_failed_save_does_not_leave_the_next_save_unrecorded(demo):
    share = AllocationShare.objects.get(allocation__code="cm-kommunen-2021", municipality__name="Alfter")
    share.save()  # unchanged: skipped
    share.days = Decimal("1.5")
    share.save()

    assert share.history.order_by("-history_id").first().days == Decimal("1.50")
