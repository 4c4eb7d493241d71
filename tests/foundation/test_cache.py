"""The Redis cache backend keeps one client per connection pool and behaves as Django's."""

import os
import uuid

import pytest
import redis

from noloc_portal.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}; `make test` starts it")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})
    yield backend
    backend.clear()


def test_values_round_trip_with_timeouts_and_deletes(cache):
    cache.set("sessie", {"_auth_user_id": "7", "lijst": [1, 2]}, 30)
    assert cache.get("sessie") == {"_auth_user_id": "7", "lijst": [1, 2]}
    assert cache.add("sessie", "ander", 30) is False
    assert cache.add("teller", 1, 30) is True
    assert cache.incr("teller") == 2 and cache.get("teller") == 2
    cache.delete("sessie")
    assert cache.get("sessie", "weg") == "weg"
    cache.set_many({"a": 1, "b": 2}, 30)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}


def test_one_client_per_pool(cache):
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client
