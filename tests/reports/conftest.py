from io import BytesIO

import pdfplumber
import pytest

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reports-tests"}


@pytest.fixture(autouse=True)
def report_cache(settings):
    """A private, empty PDF cache for every test: what one test rendered never serves another."""
    settings.CACHES = {**settings.CACHES, "reports": LOCMEM}
    from django.core.cache import caches

    caches["reports"].clear()
    yield caches["reports"]
    caches["reports"].clear()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, with the non-breaking spaces of money (1.234 €) as plain spaces."""
    assert pdf.startswith(b"%PDF-")
    with pdfplumber.open(BytesIO(pdf)) as document:
        return [(page.extract_text() or "").replace("\u00a0", " ") for page in document.pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))
