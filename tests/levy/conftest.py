import pytest

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "levy-tests"}


@pytest.fixture(autouse=True)
def report_cache(settings):
    """A private, empty PDF cache: a paper rendered before the Kreisumlage existed is never served here."""
    settings.CACHES = {**settings.CACHES, "reports": LOCMEM}
    from django.core.cache import caches

    caches["reports"].clear()
    yield
    caches["reports"].clear()
