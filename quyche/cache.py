"""The shared cache (Redis), which a page can do without, keeping its redis-py client.

What is kept there (drawn texts, comparisons, the API's throttle counts, the header's counts) is only ever
a saving: with Redis down a page is computed afresh and served, instead of failing on a cache it does not
need. A read misses, a write is dropped, and each failure is logged.

Django makes a new `redis.Redis` for each operation, and setting one up (its table of reply callbacks)
costs about as much as the operation itself: a page asks the cache five times or so. The client holds
nothing but its connection pool, which Django keeps anyway, and is safe to share between threads.
"""

import logging

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class RedisCacheClient(django_redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _forgiving(name, missed):
    method = getattr(django_redis.RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("The shared cache failed (%s): %s", name, error)
            return missed(*args, **kwargs)

    call.__name__ = name
    return call


def _default(key, default=None, *args, **kwargs):
    return default


class SharedCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    get = _forgiving("get", _default)
    get_many = _forgiving("get_many", lambda *args, **kwargs: {})
    add = _forgiving("add", lambda *args, **kwargs: False)
    set = _forgiving("set", lambda *args, **kwargs: None)
    set_many = _forgiving("set_many", lambda data, *args, **kwargs: list(data))
    delete = _forgiving("delete", lambda *args, **kwargs: False)
    delete_many = _forgiving("delete_many", lambda *args, **kwargs: None)
    touch = _forgiving("touch", lambda *args, **kwargs: False)
    has_key = _forgiving("has_key", lambda *args, **kwargs: False)

    def clear(self):
        """Only this cache's own keys (its KEY_PREFIX), not FLUSHDB as Django's: the Redis database also holds
        the other caches and Celery's queue."""
        try:
            client = self._cache.get_client(write=True)
            batch = []
            for key in client.scan_iter(match=self.make_key("*"), count=1000):
                batch.append(key)
                if len(batch) == 1000:
                    client.unlink(*batch)
                    batch = []
            if batch:
                client.unlink(*batch)
        except RedisError as error:
            logger.warning("The shared cache failed (clear): %s", error)
