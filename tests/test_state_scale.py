"""The state-scale benchmark data (issue 13): manage.py make_state_scale at a tiny size, and the query counts of
the dashboard and the own-share page pinned at that scale (scripts/benchmark_state.py measures the speed)."""
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from budgeting.models import Appropriation, CoverageSource, Scenario
from budgeting.selectors import own_share_comparison
from budgeting.state_batch import state_comparisons
from budgeting.views import calculation_query
from kimportal import roles
from kimportal.models import County, User
from programmes.models import GrantDecision
from staffing.models import CaseManagementAllocation, Position, WorkplaceCost

YEARS = range(2021, 2031)


def make_state(*options) -> str:
    out = StringIO()
    call_command("make_state_scale", *options, stdout=out)
    return out.getvalue()


def state(county) -> list[tuple]:
    """What a county's positions are, to compare two builds."""
    return list(Position.objects.filter(county=county).order_by("position_number")
                .values_list("position_number", "title", "module__code", "fte", "start_on", "end_on", "status"))


def test_it_builds_the_counties_it_says_and_the_own_share_of_each_computes(demo):
    output = make_state("--counties", "3", "--positions-largest", "14", "--total-positions", "30")

    counties = list(County.objects.filter(slug__startswith="lastprobe-").order_by("slug"))
    assert [c.kind for c in counties] == ["kreis", "kreis", "stadt"]
    assert [Position.objects.filter(county=c).count() for c in counties][0] == 14
    assert Position.objects.filter(county__in=counties).count() == 30
    assert "Lastdaten erzeugt: 2 Kreise und 1 kreisfreie Stadt, 30 Stellen, Haushaltsjahre 2021–2030." in output
    assert "mit 14 Stellen" in output
    # The KGSt report has 2021 only: carried forward for the benchmark, and said so.
    assert "KGSt-Arbeitsplatzkosten fehlen für 2022–2030: für die Lastdaten mit dem Wert von 2021 fortgeschrieben" \
        in output
    assert set(WorkplaceCost.objects.filter(pay_grade__code="S12").values_list("year", flat=True)) == set(YEARS)
    for county in counties:
        assert {d.period_start.year for d in GrantDecision.objects.filter(county=county)} == set(YEARS)
        assert set(Appropriation.objects.filter(budget_line__county=county)
                   .values_list("fiscal_year", flat=True)) == set(YEARS)
        assert CoverageSource.objects.filter(county=county).count() == 2
        assert Scenario.objects.filter(county=county).count() == 3
        assert county.municipalities.exists()
        assert {"kim-b1", "kim-b2", "kim-b3"} <= set(
            Position.objects.filter(county=county).values_list("module__code", flat=True))
        result = own_share_comparison(county, date(2022, 1, 1), date(2022, 12, 1)).results[0]
        assert result.total("total") > result.total("own_share") > 0
    assert CaseManagementAllocation.objects.filter(county__in=counties).exists()
    assert County.objects.get(slug="rhein-sieg-kreis")  # the demo stays


def test_the_same_seed_builds_the_same_state_again_and_replaces_the_old_one(demo):
    make_state("--counties", "2", "--positions-largest", "12", "--total-positions", "20", "--seed", "7")
    first = state(County.objects.get(slug="lastprobe-02"))

    output = make_state("--counties", "2", "--positions-largest", "12", "--total-positions", "20", "--seed", "7")

    assert "Frühere Lastdaten ersetzt: 2 Kreise gelöscht." in output
    assert County.objects.filter(slug__startswith="lastprobe-").count() == 2
    assert state(County.objects.get(slug="lastprobe-02")) == first


def test_it_refuses_a_database_with_real_counties_and_builds_nothing(db):
    County.objects.create(slug="kreis-unna", name="Kreis Unna")

    with pytest.raises(CommandError, match=r"^Die Datenbank enthält echte Kreise \(Kreis Unna\); Lastdaten nur "
                                            r"in einer eigenen Datenbank oder mit --force\.$"):
        make_state("--counties", "2", "--positions-largest", "12", "--total-positions", "20")

    assert not County.objects.filter(slug__startswith="lastprobe-").exists()


def test_sizes_that_cannot_be_met_are_refused_in_one_german_line(db):
    with pytest.raises(CommandError, match="lassen sich nicht so auf 3 Kreise verteilen"):
        make_state("--counties", "3", "--positions-largest", "10", "--total-positions", "100")
    assert not County.objects.filter(slug__startswith="lastprobe-").exists()


# The engine's reads once per case (base case and three scenarios) and the forecast's; the same for a county of 10
# and one of 60 positions. tests/reports/test_dashboard.py pins the demo's counts.
DASHBOARD_QUERIES = 65
OWN_SHARE_QUERIES = 42


@pytest.fixture
def two_sizes(demo):
    """A county of 60 positions (lastprobe-01) and one of 10 (lastprobe-02), each with a KI staff user."""
    make_state("--counties", "2", "--positions-largest", "60", "--total-positions", "70")
    # The second county is built as a kreisfreie Stadt, which levies no Kreisumlage and so skips its query.
    County.objects.filter(slug="lastprobe-02").update(kind=County.Kind.KREIS)
    ki = Group.objects.get(name=roles.KI_STAFF)
    for county in County.objects.filter(slug__startswith="lastprobe-"):
        User.objects.create(username=county.slug, county=county).groups.add(ki)
    return County.objects.get(slug="lastprobe-01"), County.objects.get(slug="lastprobe-02")


@pytest.mark.parametrize("which", [0, 1], ids=["60 Stellen", "10 Stellen"])
def test_the_dashboard_and_the_own_share_page_run_the_same_queries_for_10_and_60_positions(
        client, two_sizes, django_assert_num_queries, which):
    county = two_sizes[which]
    assert Position.objects.filter(county=county).count() == (60, 10)[which]
    client.force_login(User.objects.get(username=county.slug))
    own_share = f"{reverse('budgeting:calculation')}?" \
                f"{calculation_query(county, date(2021, 12, 1), date(2022, 12, 1)).urlencode()}"

    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(reverse("home"), {"jahr": "2022"}).status_code == 200
    with django_assert_num_queries(OWN_SHARE_QUERIES):
        assert client.get(own_share).status_code == 200


def test_the_whole_state_at_once_gives_each_countys_own_share_with_the_queries_of_one(
        demo, django_assert_max_num_queries):
    """budgeting.state_batch: coverage sources, grant decisions with slots and pass-throughs, own-share splits,
    cooperation agreements and KGSt costs are read once for all counties (positions, rates and appropriations still
    per county); each county's figures are exactly its own comparison's."""
    make_state("--counties", "4", "--positions-largest", "20", "--total-positions", "50")
    counties = list(County.objects.order_by("pk"))
    start, end = date(2022, 1, 1), date(2022, 12, 1)

    with django_assert_max_num_queries(10 * len(counties)):  # one by one it was about 16 per county
        together = state_comparisons(counties, start, end)
    one_by_one = {county.pk: own_share_comparison(county, start, end, [None]) for county in counties}

    assert list(together) == [county.pk for county in counties]
    for county in counties:
        mine, alone = together[county.pk].results[0], one_by_one[county.pk].results[0]
        assert [(b.key, b.total, b.grant, b.third_party, b.own_share) for b in mine.blocks] == \
            [(b.key, b.total, b.grant, b.third_party, b.own_share) for b in alone.blocks]
        assert [line.text for b in mine.blocks for line in b.lines] == [line.text for b in alone.blocks
                                                                        for line in b.lines]
    rsk = County.objects.get(slug="rhein-sieg-kreis")
    assert together[rsk.pk].results[0].total("own_share") == Decimal("642215")  # 2022, all programmes (issue 11)
