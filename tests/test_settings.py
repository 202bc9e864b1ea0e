from django.conf import settings


def test_it_speaks_german_in_berlin():
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.USE_THOUSAND_SEPARATOR is True
