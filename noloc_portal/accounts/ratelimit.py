"""A fixed-window request counter in the cache, for forms that have no lockout of their own."""

import hashlib
from datetime import timedelta

from django.core.cache import cache


def within_limit(key: str, *, limit: int, window: timedelta) -> bool:
    """Count one request for `key`; False once more than `limit` fell in the current window.

    The window starts at the first request. Keys are hashed: they may hold e-mail addresses.
    """
    cache_key = "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()
    timeout = int(window.total_seconds())
    cache.add(cache_key, 0, timeout)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        cache.add(cache_key, 1, timeout)
        count = 1
    return count <= limit
