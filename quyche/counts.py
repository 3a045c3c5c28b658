"""The counts the header shows on every page (Việc cần làm, Thông báo), cached per person.

A count is stored under a key that names the person, the day (positions begin and end by dates) and
the current version of each thing it depends on ("amendments", "positions", "notifications:12").
A write that changes one of those things calls `changed`, which gives it a new version: the next page
counts afresh, and the old entries are never read again. The version changes at once, and again when
the write's transaction commits, so that a page counted in between (from data not yet committed,
under the new version) is not kept either.

A value is also stored under the release of the code that computed it (quyche.release): during a rolling
upgrade the next release does not read what the previous one kept, while both see the same versions.

The counts live in the "counts" cache. With several worker processes it must be one they share
(settings: Redis, from REDIS_URL), or a change made in one process would not reach the others; in
local memory (the quick start, one process) the counts are kept a few seconds only, so that even then
a stale count does not last. If the cache fails, the page counts without it.
"""

import logging
import uuid

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone

from .release import release

logger = logging.getLogger(__name__)

SHARED_TTL = 60 * 60
LOCAL_TTL = 10


def _cache():
    return caches["counts"]


def _version_keys(scopes) -> list[str]:
    return [f"counts:version:{scope}" for scope in scopes]


def cached_count(name: str, user, depends_on: tuple[str, ...], count) -> int:
    """`count()` for this person, from the cache while none of `depends_on` has changed."""
    return cached(f"{name}:{user.pk}", depends_on, count)


def cached(name: str, depends_on: tuple[str, ...], compute, *, shared_ttl: int = SHARED_TTL):
    """`compute()`, kept under `name` and the day, from the cache while none of `depends_on` has changed.

    A write that calls `changed` for one of `depends_on` makes the next call compute afresh; `shared_ttl`
    bounds how long a value is kept in the shared cache even so."""
    cache = _cache()
    try:
        key = _key(cache, name, depends_on)
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, _timeout(cache, shared_ttl))
        return value
    except Exception:  # the cache is down: the page still shows the figure, at its price
        logger.warning("The counts cache failed; computing %s without it", name, exc_info=True)
        return compute()


def cached_chunks(name: str, depends_on: tuple[str, ...], produce, *, shared_ttl: int = SHARED_TTL):
    """The pieces `produce()` yields, passed on as they come (a file streamed as it is written) and kept
    whole as `cached` keeps a value: while none of `depends_on` has changed, the kept pieces are sent
    without producing them again. The key is read before the first piece is produced, so that a change
    made meanwhile leaves what was produced under a version never read again."""
    cache = _cache()
    try:
        key = _key(cache, name, depends_on)
        kept = cache.get(key)
    except Exception:
        logger.warning("The counts cache failed; producing %s without it", name, exc_info=True)
        yield from produce()
        return
    if kept is not None:
        yield from kept
        return
    pieces = []
    for piece in produce():
        pieces.append(piece)
        yield piece
    try:
        cache.set(key, pieces, _timeout(cache, shared_ttl))
    except Exception:
        logger.warning("The counts cache failed; %s was not kept", name, exc_info=True)


def _key(cache, name: str, depends_on: tuple[str, ...]) -> str:
    """The key of `name` today under the current version of each of `depends_on`."""
    keys = _version_keys(depends_on)
    versions = cache.get_many(keys)
    for key in keys:
        if key not in versions:  # new, or evicted: a fresh version, never one an old entry was kept under
            cache.add(key, uuid.uuid4().hex, timeout=None)
            versions[key] = cache.get(key)
    return ":".join(["counts", name, release(), timezone.localdate().isoformat(), *(str(versions[k]) for k in keys)])


def _timeout(cache, shared_ttl: int) -> int:
    return LOCAL_TTL if isinstance(cache, LocMemCache) else shared_ttl


def changed(*scopes: str) -> None:
    """What these scopes count has changed (or will, when the transaction commits): count it afresh."""

    def bump():
        try:
            _cache().set_many({key: uuid.uuid4().hex for key in _version_keys(scopes)}, timeout=None)
        except Exception:
            logger.warning("The counts cache failed; %s may show an old count for a while", scopes, exc_info=True)

    bump()
    transaction.on_commit(bump)
