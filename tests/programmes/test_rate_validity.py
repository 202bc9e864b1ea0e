"""The programme page says which rate is valid when: an open end closes where a newer rate starts."""
from django.urls import reverse

from programmes.models import Programme


def test_baustein_2_shows_55_000_until_31_12_2022_and_57_000_from_2023(ki_rsk):
    kim = Programme.objects.get(code="kim")
    page = ki_rsk.get(reverse("programmes:programme_detail", args=[kim.pk])).content.decode()
    rows = [row for row in page.split("<tr>") if "Case Management" in row and "je Arbeitsplatz" in row]
    assert len(rows) == 2
    assert "55.000,00" in rows[0] and "<td>01.01.2020</td><td>31.12.2022" in rows[0]
    assert "57.000,00" in rows[1] and "01.01.2023" in rows[1] and "unbefristet" in rows[1]
    assert "gilt heute" in rows[1] and "gilt heute" not in rows[0]
