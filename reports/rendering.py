"""PDFs from the paper's HTML with WeasyPrint, only ever with the application's own static files.

WeasyPrint is imported where a PDF is made: the import alone costs most of a
second, which no page that does not print should pay.

Rendering fetches nothing but the application's static files under STATIC_URL:
the source files the staticfiles finders know (DEBUG on) and the collected,
hashed files the manifest lists (DEBUG off, ``collectstatic``): no ``file:``, no ``http(s):``, no ``data:``, nothing else. A
template that asks for ``file:///etc/passwd`` or a remote image gets nothing;
WeasyPrint leaves the resource out and goes on.

A rendered PDF is cached (Django's cache ``reports``) under the SHA-256 of the
report's slug, its parameters, the JSON of everything the paper shows and the
text of the report templates and stylesheet: the same paper with the same data
is served again without rendering; any change of data, texts or layout renders
anew.
"""
from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import posixpath
import re
import subprocess
import tempfile
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# The origin relative URLs in the paper resolve against; it exists nowhere, so nothing can reach it but us.
BASE_URL = "https://kimportal.invalid/"
CACHE_ALIAS = "reports"
PDF_TEMPLATE = "reports/pdf/base.html"
LAYOUT_DIRS = (Path(settings.BASE_DIR) / "templates" / "reports", Path(__file__).resolve().parent / "static" / "reports")
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
STREAM_START = re.compile(rb"(?<!end)stream\r?\n")


class ResourceRefused(ValueError):
    """A resource the paper may not load: anything but the application's own static files."""


def static_file(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of one of the application's static files, for an absolute URL of the paper."""
    parts = urlsplit(url)
    origin = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        raise ResourceRefused(f"Nur eigene statische Dateien werden geladen, nicht {url[:80]!r}.")
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        raise ResourceRefused(f"Keine statische Datei: {path[:80]!r}.")
    relative = path[len(settings.STATIC_URL):]
    if not relative or posixpath.normpath(relative) != relative or relative.startswith(("/", "..")):
        raise ResourceRefused(f"Ungültiger Pfad: {path[:80]!r}.")
    found = _source_file(relative) or _collected_file(relative)
    if found is None:
        raise ResourceRefused(f"Statische Datei nicht gefunden: {relative[:80]!r}.")
    mime_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    return found.read_bytes(), mime_type


def _source_file(relative: str) -> Path | None:
    """The file in the apps' static folders (what ``{% static %}`` names with DEBUG on)."""
    try:
        found = finders.find(relative)
    except Exception as exc:  # a finder refusing a path outside its directories
        raise ResourceRefused(f"Ungültiger Pfad: {relative[:80]!r}.") from exc
    return Path(found) if found else None


def _collected_file(relative: str) -> Path | None:
    """The collected file of a hashed name (``reports/print.65408c58d12b.css``), as ``{% static %}`` names it
    with DEBUG off and the manifest storage.

    Only names listed in the storage's manifest are served, so nothing else in STATIC_ROOT (nor anything
    outside it) can be reached.
    """
    storage = staticfiles_storage
    hashed_files = getattr(storage, "hashed_files", None)
    if not hashed_files or relative not in set(hashed_files.values()):
        return None
    path = Path(storage.path(relative))
    return path if path.is_file() else None


def url_fetcher():
    """A WeasyPrint URL fetcher that serves static_file and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            body, mime_type = static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return StaticOnlyFetcher()


def render_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF, also where the page objects sit in compressed object streams."""
    count = len(PAGE.findall(pdf))
    # Each stream is inflated from its start to the end of its zlib data: a stream's binary content may itself hold
    # the bytes "endstream", so its end cannot be found by searching for them.
    view = memoryview(pdf)  # slices without copying the rest of the file for every stream
    for start in STREAM_START.finditer(pdf):
        try:
            count += len(PAGE.findall(zlib.decompressobj().decompress(view[start.end():])))
        except zlib.error:
            continue
    return count


def write_first_page_png(pdf: bytes, target: Path, *, resolution: int = 80) -> Path:
    """Page 1 of a PDF as a PNG (poppler's pdftoppm), to look at a paper without a PDF viewer."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile",
                        source.name, str(target.with_suffix(""))], check=True, capture_output=True, timeout=60)
    return target.with_suffix(".png")


def layout_version() -> str:
    """A digest of the report templates and the print stylesheet: a changed layout is a new paper."""
    digest = hashlib.sha256()
    for directory in LAYOUT_DIRS:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(directory)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(slug: str, params: dict, paper: dict) -> str:
    payload = json.dumps([slug, params, paper, layout_version()], cls=DjangoJSONEncoder, sort_keys=True)
    return f"report-pdf:{hashlib.sha256(payload.encode()).hexdigest()}"


def paper_html(paper: dict) -> str:
    return render_to_string(PDF_TEMPLATE, paper)


def paper_pdf(paper: dict) -> bytes:
    """The PDF of a paper (reports.papers context), from the cache when nothing it shows has changed.

    The cache only saves time: where it cannot be read or written (a read-only or full disk, a
    KIMPORTAL_REPORT_CACHE pointing at a file), the paper is rendered and delivered all the same, with
    one warning line in the log.
    """
    key = cache_key(paper["report"]["slug"], paper["params"], paper)
    try:
        pdf = caches[CACHE_ALIAS].get(key)
    except Exception as exc:  # any backend failure (OSError, a corrupt entry, …): the paper must not fail
        _cache_failed("gelesen", exc)
        return render_pdf(paper_html(paper))
    if pdf is None:
        pdf = render_pdf(paper_html(paper))
        try:
            caches[CACHE_ALIAS].set(key, pdf)
        except Exception as exc:
            _cache_failed("geschrieben", exc)
    return pdf


def _cache_failed(action: str, exc: Exception) -> None:
    location = settings.CACHES.get(CACHE_ALIAS, {}).get("LOCATION", "")
    logger.warning("Berichts-Cache (%s) konnte nicht %s werden, PDF ohne Cache erzeugt: %s: %s",
                   location, action, type(exc).__name__, exc)
