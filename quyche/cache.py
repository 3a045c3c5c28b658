"""Django's Redis cache, keeping its redis-py client.

Django makes a new `redis.Redis` for each operation, and setting one up (its table of reply callbacks)
costs about as much as the operation itself: a page asks the cache five times or so (the header's counts,
what is kept drawn). The client holds nothing but its connection pool, which Django keeps anyway, and is
safe to share between threads."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
