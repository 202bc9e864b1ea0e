"""The coverage source page's preview (Restbetrag im Zeitverlauf) runs month by month from the balance's date to
the source's last usable month – the Integrationspauschale's 30.11.2021, or 30.11.2022 once the extension is
granted – and says "nutzbar bis …"; months after it draw nothing and are not shown."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from budgeting.models import CoverageSource, CoverageWindow
from budgeting.views import last_usable_day
from programmes.models import Programme
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def euro(text: str) -> str:
    return text.replace(" €", f"{NBSP}€")


@pytest.fixture
def source(demo_users):
    return CoverageSource.objects.get(county__slug="rhein-sieg-kreis", name="Integrationspauschale (§ 14c TIntG)")


def page(source):
    response = logged_in_client("finanzen-rsk").get(reverse("budgeting:coverage_detail", args=[source.pk]))
    assert response.status_code == 200
    return response.context["forecast"], response.content.decode()


def months(forecast):
    return [row["month"].strftime("%m/%Y") for row in forecast["rows"]]


def test_without_the_extension_the_preview_stops_at_november_2021_with_the_450_000_unspent(source):
    forecast, text = page(source)
    assert months(forecast) == ["05/2021", "06/2021", "07/2021", "08/2021", "09/2021", "10/2021", "11/2021"]
    # Free only from 01.12.2021 (Vorlage 002): until then the planned uses are committed, nothing is drawn.
    assert (forecast["used"], forecast["remaining"]) == (0, Decimal("450000"))
    assert forecast["committed"] == sum(row["own_share"] for row in forecast["rows"]) > 0
    assert "nutzbar bis 30.11.2021</strong> (Verlängerung offen)" in text
    assert euro("Restbetrag am 30.11.2021: 450.000,00 € – danach nicht mehr nutzbar, wenn die Verlängerung nicht "
                "kommt.") in text
    assert "12/2021" not in text and "verwendbar</th>" not in text


def test_a_granted_extension_runs_the_preview_to_november_2022_and_spends_the_450_000(source):
    source.extension_status, source.extended_until = CoverageSource.Extension.GRANTED, date(2022, 11, 30)
    source.save()
    forecast, text = page(source)
    assert months(forecast)[0] == "05/2021" and months(forecast)[-1] == "11/2022" and len(forecast["rows"]) == 19
    # The first month drawn is December 2021, when the balance is free (Vorlage 002); by November 2022 all is spent.
    drawn = [row for row in forecast["rows"] if row["used"]]
    assert drawn[0]["month"] == date(2021, 12, 1)
    assert drawn[0]["remaining"] == Decimal("450000") - drawn[0]["used"]
    assert (forecast["used"], forecast["remaining"]) == (450000, 0)
    assert "nutzbar bis 30.11.2022</strong> (verlängert, ursprünglich bis 30.11.2021)" in text
    assert euro("Restbetrag am 30.11.2022: 0,00 €.") in text


def test_an_extension_date_that_is_not_granted_yet_does_not_lengthen_the_preview(source):
    source.extension_status, source.extended_until = CoverageSource.Extension.PENDING, date(2022, 11, 30)
    source.save()
    forecast, _ = page(source)
    assert forecast["until"] == date(2021, 11, 30) and months(forecast)[-1] == "11/2021"


def test_a_later_deadline_by_purpose_keeps_its_months_in_the_preview(source):
    kim = Programme.objects.get(code="kim")
    window = CoverageWindow.objects.create(source=source, programme=kim, usable_until=date(2022, 3, 31))
    assert last_usable_day(source, [window]) == date(2022, 3, 31)
    forecast, _ = page(source)
    assert months(forecast)[-1] == "03/2022"


def test_a_source_that_ended_before_its_balance_date_shows_no_months_and_says_so(source):
    source.balance_as_of, source.balance_free_from = date(2022, 1, 31), None
    source.save()
    forecast, text = page(source)
    assert forecast["lapsed"] and forecast["rows"] == []
    assert euro("Nutzbar bis 30.11.2021, also schon vor dem Stand des Restbetrags (31.01.2022) abgelaufen: der "
                "Restbetrag von 450.000,00 € deckt nichts mehr.") in text
