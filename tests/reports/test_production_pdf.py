"""Committee papers as a real server prints them: DEBUG off, collected static files with hashed names.

With the manifest storage ``{% static 'reports/print.css' %}`` names ``reports/print.<hash>.css``, a file that
exists only in STATIC_ROOT. The paper must still be styled: eleven pages for the KIM paper (seven of the paper, four of the
Anlage "Aufteilung über die Kreisumlage"), the running header on every page, the body in Liberation Sans 10,5 pt.
"""
import logging
import re
from io import BytesIO

import pdfplumber
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.rendering import BASE_URL, ResourceRefused, page_count, static_file

from .conftest import pdf_pages

PERIOD = {"start": "2021-12", "end": "2022-12"}
HEADER = "Rhein-Sieg-Kreis · Kommunales Integrationszentrum"


@pytest.fixture
def kim_pdf(client, demo_users, production, caplog):
    """The KIM paper downloaded as finance officers do, with production settings."""
    client.force_login(get_user_model().objects.get(username="finanzen-rsk"))
    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("reports:report_pdf", kwargs={"slug": "kim"}), PERIOD)
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_the_paper_links_the_hashed_stylesheet_in_production(client, demo_users, production):
    client.force_login(get_user_model().objects.get(username="finanzen-rsk"))
    html = client.get(reverse("reports:report_preview", kwargs={"slug": "kim"}), PERIOD).content.decode()
    assert re.search(r"/static/reports/print\.[0-9a-f]{12}\.css", html)


def test_the_kim_paper_keeps_its_eleven_pages_and_header_in_production(kim_pdf, caplog):
    pages = pdf_pages(kim_pdf)
    assert page_count(kim_pdf) == len(pages) == 11
    for number, text in enumerate(pages, start=1):
        # The running header and "Seite x von y" exist only through the print stylesheet.
        assert HEADER in text
        assert f"Seite {number} von 11" in text
    assert "158.644" in "\n".join(pages)
    assert not [r for r in caplog.records if "stylesheet" in r.getMessage().lower()]


def test_the_body_is_set_in_liberation_sans_10_5_pt_in_production(kim_pdf):
    with pdfplumber.open(BytesIO(kim_pdf)) as document:
        chars = document.pages[0].chars
        body = [c for c in chars if c["text"].strip() and 10.3 < c["size"] < 10.7]
        assert len(body) > 200, "the body text is not at the stylesheet's 10,5 pt"
        assert all("Liberation" in c["fontname"] for c in body)
        # The header's county name is bold 9 pt at the top of the page (.running-header .county).
        words = document.pages[0].extract_words(extra_attrs=["fontname", "size"])
        county = min((w for w in words if w["text"] == "Rhein-Sieg-Kreis"), key=lambda w: w["top"])
        assert county["top"] < 100 and "Bold" in county["fontname"] and 8.8 < county["size"] < 9.2


def test_the_fetcher_serves_the_collected_hashed_file_and_the_source_file(production):
    from django.contrib.staticfiles.storage import staticfiles_storage

    hashed = staticfiles_storage.stored_name("reports/print.css")
    assert re.fullmatch(r"reports/print\.[0-9a-f]{12}\.css", hashed)
    body, mime_type = static_file(f"{BASE_URL}static/{hashed}")
    assert mime_type == "text/css" and b"@page" in body
    assert static_file(f"{BASE_URL}static/reports/print.css")[0] == body


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/static/reports/print.css",
    "data:text/css,body{}",
    f"{BASE_URL}static/../../kimportal/settings.py",
    f"{BASE_URL}static/staticfiles.json",
    f"{BASE_URL}static/reports/print.css.gz",
    f"{BASE_URL}media/anything.css",
])
def test_the_fetcher_still_refuses_everything_else_in_production(production, url):
    with pytest.raises(ResourceRefused):
        static_file(url)
