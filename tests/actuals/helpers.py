"""Shared helpers of the actual-cost tests."""
from kimportal.models import County

RSK = "rhein-sieg-kreis"
HEADER = "Stellennummer;Monat;Kostenart;Betrag"


def rsk() -> County:
    return County.objects.get(slug=RSK)


def csv(*lines: str) -> bytes:
    """A CSV file as Excel's "CSV UTF-8" saves it: BOM, semicolons, CRLF."""
    return ("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")
