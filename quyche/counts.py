"""The counts the header shows on every page (Việc cần làm, Thông báo), cached per person.

A count is stored under a key that names the person and the day (positions begin and end by dates),
together with the versions of the things it depends on ("amendments", "positions", "notifications:12")
it was counted under. A write that changes one of those things calls `changed`, which gives it a new
version: the next page finds the stored versions out of date and counts afresh. The version changes at
once, and again when the write's transaction commits, so that a page counted in between (from data not
yet committed, under the new version) is not kept either. The current versions and the stored entries
are read in one round trip to the cache, and a page's header asks for its counts together (`lazy_count`).

A value is also stored under the release of the code that computed it (quyche.release): during a rolling
upgrade the next release does not read what the previous one kept, while both see the same versions.

The counts live in the "counts" cache. With several worker processes it must be one they share
(settings: Redis, from REDIS_URL), or a change made in one process would not reach the others; in
local memory (the quick start, one process) the counts are kept a few seconds only, so that even then
a stale count does not last. If the cache fails, the page counts without it.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .paging import page_number
from .release import release

logger = logging.getLogger(__name__)

SHARED_TTL = 60 * 60
LOCAL_TTL = 10


def _cache():
    return caches["counts"]


def _version_keys(scopes) -> list[str]:
    return [f"counts:version:{scope}" for scope in scopes]


def cached(name: str, depends_on: tuple[str, ...], compute, *, shared_ttl: int = SHARED_TTL):
    """`compute()`, kept under `name` and the day, from the cache while none of `depends_on` has changed.

    A write that calls `changed` for one of `depends_on` makes the next call compute afresh; `shared_ttl`
    bounds how long a value is kept in the shared cache even so."""
    return cached_many({name: (depends_on, compute)}, shared_ttl=shared_ttl)[name]


def cached_many(entries: dict[str, tuple[tuple[str, ...], Callable]], *, shared_ttl: int = SHARED_TTL) -> dict:
    """`cached` for several names at once: one round trip to the cache when all are kept."""
    cache = _cache()
    keys = {name: _key(name) for name in entries}
    try:
        found = _read(cache, [depends_on for depends_on, _ in entries.values()], keys.values())
    except Exception:  # the cache is down: the page still shows the figures, at their price
        logger.warning("The counts cache failed; computing %s without it", list(entries), exc_info=True)
        return {name: compute() for name, (_, compute) in entries.items()}
    values, fresh = {}, {}
    for name, (depends_on, compute) in entries.items():
        versions = [found[key] for key in _version_keys(depends_on)]
        kept = found.get(keys[name])
        if kept is not None and kept[0] == versions:
            values[name] = kept[1]
        else:
            values[name] = compute()
            fresh[keys[name]] = (versions, values[name])
    if fresh:
        try:
            cache.set_many(fresh, _timeout(cache, shared_ttl))
        except Exception:
            logger.warning("The counts cache failed; %s not kept", list(fresh), exc_info=True)
    return values


# A list's first pages are kept (`cached_page`); one past them is drawn each time it is asked for.
KEPT_PAGES = 20


def cached_page(request, name: str, depends_on: tuple[str, ...], draw, *, paged: bool = True, **filters):
    """`cached` for a page of a long list: kept under `name` (whose list), the page `?trang=` asks for and the
    list's own `filters` as the view cleaned them; never under the raw query string, where a parameter the list
    does not read would make a new entry at each request. Past the first KEPT_PAGES pages it is drawn afresh.
    A list drawn whole (`paged=False`) is kept once, whatever `?trang=` says."""
    number = page_number(request) if paged else 1
    if number > KEPT_PAGES:
        return draw()
    asked = "&".join([str(number), *(f"{key}={value}" for key, value in sorted(filters.items()))])
    return cached(f"{name}:{hashlib.sha256(asked.encode()).hexdigest()[:32]}", depends_on, draw)


def lazy_count(name: str, user, depends_on: tuple[str, ...], count):
    """`count()` for this person, for the header: counted when the page first shows it, from the cache while
    none of `depends_on` has changed, and read together with the person's other counts asked for in the
    request (kept on its user, as their seats are), in one round trip."""
    batch = getattr(user, "_quyche_counts", None)
    if batch is None:
        batch = user._quyche_counts = {"asked": {}, "known": {}}
    key = f"{name}:{user.pk}"
    batch["asked"][key] = (depends_on, count)

    def value():
        asked, known = batch["asked"], batch["known"]
        if key not in known:
            known.update(cached_many({other: entry for other, entry in asked.items() if other not in known}))
        return known[key]

    return SimpleLazyObject(value)


def cached_chunks(name: str, depends_on: tuple[str, ...], produce, *, shared_ttl: int = SHARED_TTL):
    """The pieces `produce()` yields, passed on as they come (a file streamed as it is written) and kept
    whole as `cached` keeps a value: while none of `depends_on` has changed, the kept pieces are sent
    without producing them again. The versions are read before the first piece is produced, so that what
    was produced across a change is kept marked with versions no longer current, and never sent again."""
    cache, key = _cache(), _key(name)
    try:
        found = _read(cache, [depends_on], [key])
    except Exception:
        logger.warning("The counts cache failed; producing %s without it", name, exc_info=True)
        yield from produce()
        return
    versions = [found[scope] for scope in _version_keys(depends_on)]
    kept = found.get(key)
    if kept is not None and kept[0] == versions:
        yield from kept[1]
        return
    pieces = []
    for piece in produce():
        pieces.append(piece)
        yield piece
    try:
        cache.set(key, (versions, pieces), _timeout(cache, shared_ttl))
    except Exception:
        logger.warning("The counts cache failed; %s was not kept", name, exc_info=True)


def _key(name: str) -> str:
    """Where `name` is kept today by this release; the value holds the versions it was computed under."""
    return f"counts:{name}:{release()}:{timezone.localdate().isoformat()}"


def _read(cache, depends_on: list[tuple[str, ...]], keys) -> dict:
    """The current version of every scope in `depends_on` and the values kept under `keys`, in one round trip."""
    scopes = {key for scopes in depends_on for key in _version_keys(scopes)}
    found = cache.get_many([*scopes, *keys])
    for key in scopes - found.keys():  # new, or evicted: a fresh version, never one an entry was kept under
        cache.add(key, uuid.uuid4().hex, timeout=None)
        found[key] = cache.get(key)
    return found


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
