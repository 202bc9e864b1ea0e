from io import BytesIO

import pdfplumber
import pytest

from kimportal.celery import app as celery_app

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tasks-tests"}


@pytest.fixture(autouse=True)
def task_files(settings, tmp_path):
    """Task files go to a private directory, and papers to a private PDF cache, for every test."""
    settings.TASK_FILES_DIR = tmp_path / "tasks"
    settings.CACHES = {**settings.CACHES, "reports": LOCMEM}
    from django.core.cache import caches

    caches["reports"].clear()
    yield settings.TASK_FILES_DIR
    caches["reports"].clear()


@pytest.fixture
def inline_tasks():
    """Tasks run inline, as without CELERY_BROKER_URL, even where the developer's shell sets one."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, with the non-breaking spaces of money (1.234 €) as plain spaces."""
    assert pdf.startswith(b"%PDF-")
    with pdfplumber.open(BytesIO(pdf)) as document:
        return "\n".join((page.extract_text() or "").replace("\u00a0", " ") for page in document.pages)
