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
"""

import hashlib
import logging
import pickle
import zlib

from django.core.cache import caches

from .release import release

logger = logging.getLogger(__name__)


def kept(key: str, build, *, timeout: int):
    """`build()`, kept under `key` for `timeout` seconds: `key` must name everything the value depends on."""
    cache = caches["kept"]
    key = f"{release()}:{key}"
    try:
        packed = cache.get(key)
    except Exception:  # the cache is down: the page draws, at its price
        logger.warning("The kept cache failed; building %s without it", key, exc_info=True)
        return build()
    if packed is not None:
        return pickle.loads(zlib.decompress(packed))  # noqa: S301  (written by `kept` only)
    value = build()
    try:
        cache.set(key, zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)), timeout)
    except Exception:
        logger.warning("The kept cache failed; %s is not kept", key, exc_info=True)
    return value


def text_key(text: str) -> str:
    """A key for a text itself, for values that depend on nothing but texts."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
