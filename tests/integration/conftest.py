import os
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def portal_env():
    """The environment of a portal or worker process that shares this test's database (committed
    data: transactional_db), MEDIA_ROOT and a queue of its own, so no other worker takes a job."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database another process can see (PostgreSQL)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}; `make test` starts it")
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "noloc_portal.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
