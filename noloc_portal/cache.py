"""Django's Redis cache with one Redis client per connection pool.

Django's backend makes a new ``redis.Redis`` client for every cache operation (the connection
pool is shared, the client object is not). With sessions in the cache every logged-in request
reads one, and making that client was an eighth of a logged-in request's CPU before the view
ran. A client is safe to share between threads: it takes a connection from its pool per
command."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

BACKEND = "noloc_portal.cache.RedisCache"


class _ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClient
