"""What is built once and kept for every reader: a value that never changes under its key.

An issued text changes only by a correction, which stamps it: its drawing, or its comparison with
another issued text, is kept under a key naming each version and its stamp, so a correction draws
afresh and the old entry is never read again (it expires). Nothing of one reader is kept: the pages
draw their own controls, links and header around what is kept.

Each value is also kept under the release of the code that built it (quyche.release), so a release
that draws differently does not serve what the one before kept.

The values live in the "kept" cache, compressed (a 300-article text draws 440 KB of HTML, kept in
about 60 KB): with several worker processes one they share (settings: Redis, from REDIS_URL), so the
first reader draws for all of them; in the process's memory otherwise. If the cache fails, the page
draws without it.

Each process also holds the values it read or built last, inflated (`NEAR_BYTES` of them): as a key
names everything its value depends on, a value read once is read again without the round trip to the
cache and the inflating (a 300-article text: 1.5 ms of a 9 ms page). Each caller still gets a copy of
its own, unpickled, to change as it likes.
"""

import hashlib
import logging
import pickle
import threading
import zlib
from collections import OrderedDict

from django.core.cache import caches

from .release import release

logger = logging.getLogger(__name__)


NEAR_BYTES = 32 * 1024 * 1024
_near: OrderedDict[str, bytes] = OrderedDict()
_near_lock = threading.Lock()
_near_size = 0


def kept(key: str, build, *, timeout: int):
    """`build()`, kept under `key` for `timeout` seconds: `key` must name everything the value depends on."""
    cache = caches["kept"]
    key = f"{release()}:{key}"
    pickled = _recall(key)
    if pickled is not None:
        return pickle.loads(pickled)  # noqa: S301  (written by `kept` only)
    try:
        packed = cache.get(key)
    except Exception:  # the cache is down: the page draws, at its price
        logger.warning("The kept cache failed; building %s without it", key, exc_info=True)
        return build()
    if packed is not None:
        pickled = zlib.decompress(packed)
        _remember(key, pickled)
        return pickle.loads(pickled)  # noqa: S301  (written by `kept` only)
    value = build()
    pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        cache.set(key, zlib.compress(pickled), timeout)
    except Exception:
        logger.warning("The kept cache failed; %s is not kept", key, exc_info=True)
    else:
        _remember(key, pickled)
    return value


def _recall(key: str) -> bytes | None:
    with _near_lock:
        pickled = _near.get(key)
        if pickled is not None:
            _near.move_to_end(key)
        return pickled


def _remember(key: str, pickled: bytes) -> None:
    """Hold `pickled` in this process, forgetting the least recently read beyond `NEAR_BYTES`."""
    global _near_size
    if len(pickled) > NEAR_BYTES // 2:  # one value never pushes out all the others
        return
    with _near_lock:
        if key in _near:
            return
        _near[key] = pickled
        _near_size += len(pickled)
        while _near_size > NEAR_BYTES:
            _, dropped = _near.popitem(last=False)
            _near_size -= len(dropped)


def forget() -> None:
    """Drop what this process holds (the tests do, as they empty the caches: their ids repeat)."""
    global _near_size
    with _near_lock:
        _near.clear()
        _near_size = 0


def text_key(text: str) -> str:
    """A key for a text itself, for values that depend on nothing but texts."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
