"""Data versions: a counter per county that every write to the county's data raises, and one for the reference data
all counties share (programmes, rates, KGSt workplace costs). Cached engine results are keyed by them
(budgeting.cache), so a result is computed once per data version and served from the shared cache until the next
write, across processes.

The counter is raised in the writing transaction (post_save / post_delete / m2m_changed of the domain models, and
explicitly by bulk writes that send no signals: actuals imports, budgeting.cache.bump). A write whose county cannot be
told raises the reference counter, which invalidates every county: stale results are never served, at worst one
recomputation too many. Writes that do not feed the engine (logins, issued papers, history rows, the audit trail)
raise nothing.
"""
from __future__ import annotations

import hashlib
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F

REFERENCE = "reference"
# Apps whose records feed the engine or the papers' figures. Others (auth, sessions, axes, otp, audit, reports'
# issued papers and texts, simple_history's rows) never change a computed figure.
TRACKED_APPS = {"kimportal", "programmes", "staffing", "budgeting", "provisions", "levy", "population", "drawdowns",
                "actuals", "rollover", "proofs", "workbook"}
UNTRACKED_MODELS = {("kimportal", "user"), ("kimportal", "dataversion")}
# Parents through which a child row finds its county (a granted slot through its decision, …), tried in order.
PARENT_FIELDS = ("decision", "position", "budget_line", "source", "scenario", "allocation", "application",
                 "pass_through", "rollover", "statute", "municipality", "batch", "parent")


class DataVersion(models.Model):
    """One counter: ``key`` "county:<pk>" or "reference"; ``version`` raised by every write in its scope."""

    key = models.CharField("Bereich", max_length=40, unique=True)
    version = models.PositiveBigIntegerField("Datenstand", default=0)

    class Meta:
        app_label = "kimportal"
        verbose_name = "Datenstand"
        verbose_name_plural = "Datenstände"

    def __str__(self):
        return f"{self.key}: {self.version}"


@lru_cache(maxsize=None)
def code_version(apps: tuple[str, ...]) -> str:
    """A digest of the Python sources (migrations left out) of ``apps``: cached results computed by changed code are
    never served. Read once per process and set of apps."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=None)
def template_version(name: str) -> str:
    """A digest of a template's source: HTML rendered from it and cached by data version (budgeting.views) is never
    served after the template changed. Read once per process (a deployment restarts the processes)."""
    from django.template.loader import get_template

    return hashlib.sha256(get_template(name).template.source.encode()).hexdigest()[:12]


def county_key(county_id) -> str:
    return f"county:{county_id}"


# The versions read in this request (DataVersionsPerRequest): a page that asks the cache for several results reads
# the counters once. Any write in the request forgets them.
_read_in_request: ContextVar[dict | None] = ContextVar("kimportal_data_versions", default=None)


class DataVersionsPerRequest:
    """Middleware: the data versions are read at most once per request and county (kimportal.versioning.versions);
    a write in the request (bump) forgets what was read, so the request sees its own writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_in_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)


def bump(county_id=None) -> None:
    """Raise the county's counter (None: the reference counter), inside the caller's transaction."""
    read = _read_in_request.get()
    if read:
        read.clear()
    key = county_key(county_id) if county_id is not None else REFERENCE
    if DataVersion.objects.filter(key=key).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(key=key, version=1)
    except IntegrityError:  # created by a concurrent write in between
        DataVersion.objects.filter(key=key).update(version=F("version") + 1)


def versions(county_id) -> tuple[int, int]:
    """(county version, reference version); 0 where nothing was written yet. One query, once per request and county
    where DataVersionsPerRequest runs."""
    read = _read_in_request.get()
    if read is not None and county_id in read:
        return read[county_id]
    found = dict(DataVersion.objects.filter(key__in=[county_key(county_id), REFERENCE]).values_list("key", "version"))
    result = found.get(county_key(county_id), 0), found.get(REFERENCE, 0)
    if read is not None:
        read[county_id] = result
    return result


def county_of(instance, depth: int = 2) -> int | None:
    """The county id a record belongs to: its own ``county_id``, else its parent's (PARENT_FIELDS, up to ``depth``
    levels: a granted slot through its decision), else None."""
    if type(instance)._meta.label_lower == "kimportal.county":
        return instance.pk
    county_id = getattr(instance, "county_id", None)
    if county_id is not None or depth == 0:
        return county_id
    for name in PARENT_FIELDS:
        if getattr(instance, f"{name}_id", None) is not None:
            parent = getattr(instance, name, None)
            found = county_of(parent, depth - 1) if parent is not None else None
            if found is not None:
                return found
    return None


def tracked(sender) -> bool:
    """Whether writes to ``sender`` feed the engine. Models of a migration's historical state (module "__fake__",
    as in data migrations and migration tests) are never tracked: the counter table may not exist yet."""
    if sender.__module__ == "__fake__":
        return False
    meta = sender._meta
    if meta.app_label not in TRACKED_APPS or (meta.app_label, meta.model_name) in UNTRACKED_MODELS:
        return False
    return not meta.model_name.startswith("historical")


def on_write(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save / post_delete: raise the version of the record's county (the reference one if it has none).
    Fixtures (``raw``, loaddata) are left to their loader, which raises every version once (bump_all)."""
    if tracked(sender) and not raw:
        bump(county_of(instance))


def bump_all() -> None:
    """Raise the reference version, which every cached result depends on (after loading fixtures)."""
    bump(None)


def on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and tracked(type(instance)):
        bump(county_of(instance))


def connect() -> None:
    """Connect the handlers (kimportal.apps.KimportalConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(on_write, dispatch_uid="kimportal.versioning.save")
    post_delete.connect(on_write, dispatch_uid="kimportal.versioning.delete")
    m2m_changed.connect(on_m2m, dispatch_uid="kimportal.versioning.m2m")
