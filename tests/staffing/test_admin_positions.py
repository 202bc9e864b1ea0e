"""Administrators (no county, role Administration) read every county's positions on /stellen/ (issue 13):
a county column and filter, read-only, each title opening the Django admin. Everyone else still sees only their
county. Demo data: 19 positions of the Rhein-Sieg-Kreis, 11 of the Rhein-Kreis Neuss.
"""
import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from kimportal.models import County
from kimportal.money import format_fte
from staffing.models import Position
from tests.conftest import logged_in_client

URL = reverse("staffing:position_list")


@pytest.fixture
def administrator(demo_users):
    return logged_in_client("admin")


def fte_sum(**lookup) -> str:
    return format_fte(Position.objects.filter(**lookup).aggregate(total=Sum("fte"))["total"] or Decimal("0"))


def test_an_administrator_reads_the_positions_of_every_county(administrator, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = administrator.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    table = response.context["table"]
    assert table.paginator.count == Position.objects.count() == 30
    assert "<h1>Stellen aller Kreise</h1>" in html
    assert "<td >Rhein-Kreis Neuss</td>" in html and "<td >Rhein-Sieg-Kreis</td>" in html
    assert list(table.columns.names())[:2] == ["county", "title"]
    # Read-only here: no "Neue Stelle"; a title opens the position in the Django admin.
    assert "Neue Stelle" not in html
    first = table.page.object_list[0].record
    assert f'<a href="/admin/staffing/position/{first.pk}/change/">{first.title}</a>' in html
    assert f'<td class="num">{fte_sum()}</td>' in html


def test_an_administrator_filters_by_county(administrator):
    rsk = County.objects.get(slug="rhein-sieg-kreis")
    response = administrator.get(URL, {"county": rsk.pk})
    table = response.context["table"]
    assert table.paginator.count == 19
    assert {row.record.county_id for row in table.page.object_list} == {rsk.pk}
    assert f'<td class="num">{fte_sum(county=rsk)}</td>' in response.content.decode()


def test_an_administrator_exports_every_county_with_its_name(administrator):
    response = administrator.get(URL, {"_export": "csv", "status": "filled"})
    assert response["Content-Disposition"] == 'attachment; filename="stellen-alle-kreise.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][:2] == ["Kreis", "Bezeichnung"]
    assert len(rows) - 1 == Position.objects.filter(status="filled").count()
    assert {row[0] for row in rows[1:]} <= {"Rhein-Sieg-Kreis", "Rhein-Kreis Neuss"}


def test_county_staff_still_see_only_their_county(demo_users):
    neuss = County.objects.get(slug="rhein-kreis-neuss")
    response = logged_in_client("ki-rsk").get(URL, {"county": neuss.pk})  # no such filter for them: ignored
    table = response.context["table"]
    assert table.paginator.count == 19
    assert "county" not in table.columns.names() and "Neue Stelle" in response.content.decode()
    assert {row.record.county.slug for row in table.page.object_list} == {"rhein-sieg-kreis"}


def test_the_committee_still_gets_no_position_list(demo_users):
    assert logged_in_client("ausschuss-rsk").get(URL).status_code == 403
