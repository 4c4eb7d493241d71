"""What the in-process tools (``profile_pages``, ``cpu_pages``) share: the benchmark's settings
with the plain static storage (no collectstatic needed), and each measured page with a client
logged in as its persona."""

from __future__ import annotations

import os
from collections.abc import Iterator


def set_up() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-benchmark-only-key-0123456789")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


def pages_with_clients(match: str = "") -> Iterator[tuple]:
    """``(page, client)`` for each measured page whose name contains ``match``, the client
    holding the session its persona has after logging in (both steps)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarks.pages import find_pages, session_cookie

    users = get_user_model().objects
    for page in find_pages():
        if match.lower() not in page.name.lower():
            continue
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        if page.persona:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(
                users.get(email=page.persona)
            )
        yield page, client
