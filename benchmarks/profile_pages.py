"""Where a page spends its CPU: each measured page rendered in this process under cProfile.

    DATABASE_URL=... python -m benchmarks.profile_pages [PAGE-NAME-PART] [--top 25]

Uses the data in the database (``seed_demo`` or ``benchmarks/scale.py``) and the benchmark's
settings with the plain static storage, so no collectstatic is needed."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("match", nargs="?", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", default="", help="a regular expression the lines must match")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-benchmark-only-key-0123456789")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarks.pages import find_pages, session_cookie

    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    users = get_user_model().objects
    for page in find_pages():
        if args.match.lower() not in page.name.lower():
            continue
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        if page.persona:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(
                users.get(email=page.persona)
            )
        response = client.get(page.url)
        assert response.status_code == 200, (page, response.status_code)
        start = time.process_time()
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(args.rounds):
            client.get(page.url)
        profile.disable()
        cpu = (time.process_time() - start) / args.rounds * 1000
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
        stats.print_stats(*([args.only] if args.only else []), args.top)
        print(
            f"=== {page.name} {page.url}: {cpu:.1f} ms CPU under the profiler, "
            f"{len(response.content) // 1024} KB"
        )
        print(out.getvalue().split("\n", 8)[-1])


if __name__ == "__main__":
    main()
