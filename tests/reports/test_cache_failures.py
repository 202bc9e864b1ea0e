"""Issue 9, §5: a report cache that cannot be read or written never costs a PDF or an issued paper.

The cache only saves rendering time. With KIMPORTAL_REPORT_CACHE pointing at a file (a misconfigured path:
every read and write fails) or a disk that refuses writes (read-only, full), the PDF is still delivered and
the paper still issued; the log gets one warning line, without a traceback.
"""
import errno
import logging

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.urls import reverse

from reports.models import IssuedReport

from .conftest import pdf_text
from .test_views import PERIOD, login, setup_texts

pytestmark = pytest.mark.usefixtures("demo_users")


@pytest.fixture(params=["path-is-a-file", "disk-refuses-writes"])
def broken_cache(request, settings, tmp_path, monkeypatch):
    """The report cache as a server may have it when something is wrong with its directory."""
    if request.param == "path-is-a-file":
        blocker = tmp_path / "kimportal-report-cache"
        blocker.write_text("a file where the cache directory should be")
        location = blocker / "reports"  # below a regular file: no directory can be made there, nothing read
    else:
        location = tmp_path / "reports"

        def refuse(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(FileBasedCache, "set", refuse)
    working = settings.CACHES
    settings.CACHES = {**working, "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(location)}}
    yield request.param
    settings.CACHES = working  # before the autouse report_cache fixture clears "its" cache


def cache_warnings(caplog):
    return [record for record in caplog.records if record.name == "reports.rendering"]


def assert_one_warning_line(caplog):
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    record = warnings[0]
    assert record.levelno == logging.WARNING and record.exc_info is None
    message = record.getMessage()
    assert "\n" not in message and "Berichts-Cache" in message and "PDF ohne Cache erzeugt" in message


def test_the_pdf_is_delivered_when_the_report_cache_fails(client, broken_cache, caplog):
    caplog.set_level(logging.WARNING, logger="reports.rendering")
    response = login(client, "finanzen-rsk").get(reverse("reports:report_pdf", kwargs={"slug": "kim"}), PERIOD)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "158.644 €" in pdf_text(response.content)
    assert_one_warning_line(caplog)


def test_the_paper_is_issued_when_the_report_cache_fails(client, broken_cache, caplog):
    login(client, "ki-rsk")
    client.post(reverse("reports:setup_edit", kwargs={"slug": "kim"}), setup_texts())
    caplog.set_level(logging.WARNING, logger="reports.rendering")

    response = client.post(reverse("reports:issuedreport_create", kwargs={"slug": "kim"}), PERIOD, follow=True)

    issued = IssuedReport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reports:issuedreport_detail", kwargs={"pk": issued.pk})
    assert "Vorlage 50/2021 wurde an „Ausschuss für Soziales und Integration“ ausgegeben" in (
        response.content.decode())
    assert bytes(issued.pdf).startswith(b"%PDF-") and issued.page_count >= 4
    assert "158.644 €" in pdf_text(bytes(issued.pdf))
    assert_one_warning_line(caplog)


def test_a_working_file_cache_serves_the_second_download_without_a_warning(client, settings, tmp_path, caplog):
    settings.CACHES = {**settings.CACHES, "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "reports")}}
    caplog.set_level(logging.WARNING, logger="reports.rendering")
    url = reverse("reports:report_pdf", kwargs={"slug": "kim"})
    first = login(client, "finanzen-rsk").get(url, PERIOD).content

    assert client.get(url, PERIOD).content == first
    assert list((tmp_path / "reports").iterdir())
    assert cache_warnings(caplog) == []
