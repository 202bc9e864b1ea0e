"""WeasyPrint only ever sees the application's own static files; PDFs are cached by their content."""
from io import BytesIO
from unittest import mock

import pdfplumber
import pytest

from kimportal.models import County
from reports import rendering
from reports.registry import get_report
from reports.rendering import BASE_URL, ResourceRefused, page_count, render_pdf, static_file, url_fetcher
from reports.selectors import paper_context
from staffing.models import Position

from .conftest import pdf_text

CSS = f"{BASE_URL}static/reports/print.css"


def test_the_fetcher_serves_the_print_stylesheet_from_the_static_files():
    body, mime_type = static_file(CSS)
    assert mime_type == "text/css"
    assert b"counter(pages)" in body


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/logo.png",
    "https://example.com/static/reports/print.css",
    "ftp://example.com/passwd",
    "data:text/plain;base64,SGFsbG8=",
    f"{BASE_URL}etc/passwd",
    f"{BASE_URL}static/../../../../etc/passwd",
    f"{BASE_URL}static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    f"{BASE_URL}static//etc/passwd",
    f"{BASE_URL}static/reports/nicht-da.css",
])
def test_the_fetcher_refuses_everything_but_own_static_files(url):
    with pytest.raises(ResourceRefused):
        static_file(url)
    with pytest.raises(ResourceRefused):
        url_fetcher().fetch(url)


def test_a_page_asking_for_etc_passwd_and_a_remote_image_renders_without_them():
    html = ('<link rel="stylesheet" href="file:///etc/passwd">'
            '<p>Vorlage ohne fremde Dateien</p><img src="file:///etc/passwd" alt="">'
            '<img src="http://example.com/logo.png" alt=""><img src="https://example.com/a.svg" alt="">')
    with mock.patch.object(rendering, "static_file", wraps=static_file) as fetched, \
            mock.patch("urllib.request.OpenerDirector.open", side_effect=AssertionError("network")) as network:
        pdf = render_pdf(html)
    asked = {call.args[0] for call in fetched.call_args_list}
    assert {"file:///etc/passwd", "http://example.com/logo.png", "https://example.com/a.svg"} <= asked
    assert not network.called
    with pdfplumber.open(BytesIO(pdf)) as document:
        assert document.pages[0].images == []
    text = pdf_text(pdf)
    assert "Vorlage ohne fremde Dateien" in text and "root:" not in text


def test_page_count_reads_compressed_pdfs():
    pdf = render_pdf("<p>eins</p>" + "".join(f'<p style="break-before: page">{n}</p>' for n in ("zwei", "drei")))
    assert page_count(pdf) == 3


def test_an_unchanged_paper_comes_from_the_cache_and_a_changed_one_is_rendered_again():
    paper = {"report": {"slug": "kim"}, "params": {"start": "2021-12"}, "data": {"own_share": "158644"}}
    with mock.patch.object(rendering, "render_pdf", return_value=b"%PDF-1.7 158644") as render, \
            mock.patch.object(rendering, "paper_html", return_value="<p>…</p>"):
        assert rendering.paper_pdf(paper) == b"%PDF-1.7 158644"
        assert rendering.paper_pdf({**paper}) == b"%PDF-1.7 158644"
        assert render.call_count == 1
        render.return_value = b"%PDF-1.7 160000"
        assert rendering.paper_pdf({**paper, "data": {"own_share": "160000"}}) == b"%PDF-1.7 160000"
        assert render.call_count == 2


def test_a_changed_layout_is_a_new_cache_key():
    paper = {"report": {"slug": "kim"}, "params": {}, "data": {}}
    key = rendering.cache_key("kim", {}, paper)
    with mock.patch.object(rendering, "layout_version", return_value="another layout"):
        assert rendering.cache_key("kim", {}, paper) != key
    assert rendering.cache_key("kim", {"scenario": "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"}, paper) != key


def test_the_kim_paper_asked_for_again_comes_from_the_cache_until_a_position_changes(demo):
    county, report = County.objects.get(slug="rhein-sieg-kreis"), get_report("kim")
    params = report.default_params(county)
    with mock.patch.object(rendering, "render_pdf", return_value=b"%PDF-1.7") as render:
        rendering.paper_pdf(paper_context(report, county, params))
        rendering.paper_pdf(paper_context(report, county, params))
        assert render.call_count == 1
        Position.objects.filter(county=county, funded_slot__code="kim-b1-koordination", fte="0.5").update(fte="1")
        rendering.paper_pdf(paper_context(report, county, params))
        assert render.call_count == 2
