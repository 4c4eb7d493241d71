"""The benchmark's settings: production's, plus the bare view the pages are compared with.

Run with the environment production needs (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL);
requests carry ``X-Forwarded-Proto: https`` as they would behind the proxy."""

from noloc_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
