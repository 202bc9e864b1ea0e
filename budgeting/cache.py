"""Engine results, computed once per data version (issue 13): the shared cache ``settings.CACHES["engine"]``.

A result is stored under the county, what was asked (kind, period, cases, options), the county's and the reference
data's versions (kimportal.versioning) and the engine's code version (a digest of the budgeting modules the results
come from). Any write to the county's data raises its version, so the next request computes afresh; a deployment
with a changed engine changes the code version. A cache that fails (Redis down, table missing) is passed by: the
result is computed as without a cache and the failure logged once per process.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
from contextlib import nullcontext
from typing import Callable, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction

from kimportal.versioning import code_version, versions

logger = logging.getLogger(__name__)
T = TypeVar("T")
ALIAS = "engine"
MISSING = object()
# The modules whose code decides a cached result: a change to any of them is a new engine.
ENGINE_SOURCES = ("budgeting", "actuals", "rollover")


_warned: set[str] = set()


def _warn(what: str, exc: Exception) -> None:
    if what not in _warned:
        _warned.add(what)
        logger.warning("Engine cache %s failed, computing without it: %s", what, exc)


def _own_savepoint(cache):
    """A savepoint around the database cache's statements inside a transaction: on PostgreSQL a failing one (the
    cache table missing) would otherwise abort the whole transaction, and every later query would fail with it.
    Outside a transaction (a page in autocommit) each statement stands alone and needs none."""
    if isinstance(cache, DatabaseCache) and transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return nullcontext()


def enabled() -> bool:
    """Whether results are cached by data version (settings.DATA_VERSION_CACHE; the tests switch it off where they
    change data with QuerySet.update(), which raises no version)."""
    return getattr(settings, "DATA_VERSION_CACHE", True)


def cases_key(scenarios) -> str | tuple | None:
    """The cases of a comparison as part of a key: "alle" (all of the county's), the saved scenarios' ids (None for
    the base case), or None where a case is not saved (its figures are not the data's: never cached)."""
    if scenarios is None:
        return "alle"
    ids = []
    for case in scenarios:
        if case is not None and getattr(case, "pk", None) is None:
            return None
        ids.append(None if case is None else case.pk)
    return tuple(ids)


def cache_key(county_id, kind: str, parts: tuple, sources: tuple[str, ...] = ENGINE_SOURCES) -> str:
    """The key of a result: kind, county, data versions, code version and a digest of the question's parts."""
    county_version, reference_version = versions(county_id)
    question = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"{kind}:{county_id}:{county_version}.{reference_version}:{code_version(sources)}:{question}"


def peek(county_id, kind: str, parts: tuple, sources: tuple[str, ...] = ENGINE_SOURCES):
    """The cached result of ``cached(county_id, kind, parts, …)`` for the current data version, or MISSING (also
    where caching is off or the cache fails), without computing anything (budgeting.state_batch)."""
    cache = caches[ALIAS]
    if not enabled() or any(part is None for part in parts) or isinstance(cache, DummyCache):
        return MISSING
    try:
        with _own_savepoint(cache):
            found = cache.get(cache_key(county_id, kind, parts, sources), MISSING)
        return MISSING if found is MISSING else pickle.loads(found)
    except Exception as exc:  # noqa: BLE001 - a broken cache must never break a page
        _warn("read", exc)
        return MISSING


def cached(county_id, kind: str, parts: tuple, compute: Callable[[], T],
           sources: tuple[str, ...] = ENGINE_SOURCES) -> T:
    """The result of ``compute()`` for this county and question, from the cache if the data has not changed since.

    ``parts``: everything besides the county's data the result depends on (period, case ids, options, the day where
    deadlines count), as values with a stable repr; a part that is None (cases_key of an unsaved case) computes
    without the cache. ``sources``: the apps whose code decides the result (its code version). Exceptions of
    ``compute`` (CalculationError) pass through and are not cached."""
    cache = caches[ALIAS]
    if not enabled() or any(part is None for part in parts) or isinstance(cache, DummyCache):
        return compute()
    try:
        key = cache_key(county_id, kind, parts, sources)
        with _own_savepoint(cache):
            found = cache.get(key, MISSING)
    except Exception as exc:  # noqa: BLE001 - a broken cache must never break a page
        _warn("read", exc)
        return compute()
    if found is not MISSING:
        try:
            return pickle.loads(found)
        except Exception as exc:  # noqa: BLE001 - an unreadable entry (older code) is recomputed
            _warn("decode", exc)
    result = compute()
    try:
        with _own_savepoint(cache):
            cache.set(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception as exc:  # noqa: BLE001
        _warn("write", exc)
    return result
