"""A paper asked again with unchanged data comes from the cache without computing its context (issue 13); a write
to the county's data, its texts or another day make a new paper."""
import pytest
from django.urls import reverse

from reports import pdf_cache
from staffing.models import Position

PERIOD = {"start": "2021-12", "end": "2022-12"}


@pytest.fixture
def versioned(settings, report_cache):
    settings.DATA_VERSION_CACHE = True
    return report_cache


def kim_pdf(client):
    return client.get(reverse("reports:report_pdf", args=["kim"]), PERIOD)


def test_the_second_request_is_served_without_building_the_paper_and_a_write_renders_anew(client, demo_users,
                                                                                         versioned, monkeypatch):
    assert client.login(username="finanzen-rsk", password="kimportal-demo")
    first = kim_pdf(client)
    assert first.status_code == 200
    built = []
    real = pdf_cache.paper_context
    monkeypatch.setattr(pdf_cache, "paper_context", lambda *a, **k: built.append(1) or real(*a, **k))
    again = kim_pdf(client)
    assert again.content == first.content and built == []
    position = Position.objects.filter(county__slug="rhein-sieg-kreis", module__code="kim-b1").first()
    position.fte = position.fte / 2
    position.save()
    changed = kim_pdf(client)
    assert built == [1] and changed.content != first.content


def test_the_key_changes_with_the_texts_and_the_names(client, demo_users, versioned):
    from kimportal.models import County
    from reports.registry import ReportParams, get_report
    from reports.selectors import setup_for

    county, report = County.objects.get(slug="rhein-sieg-kreis"), get_report("kim")
    params = ReportParams.from_query(PERIOD)
    setup = setup_for(county, report)
    plain = pdf_cache.version_key(report, county, params, setup, show_names=False)
    assert pdf_cache.version_key(report, county, params, setup, show_names=True) != plain
    setup.subject = "Anderer Betreff"
    assert pdf_cache.version_key(report, county, params, setup, show_names=False) != plain
