"""CPU per request of each measured page in this process, with the CPU of its PostgreSQL
backend: the lowest of several rounds, so that two commits can be compared alternately on a
shared machine where the benchmark of record's figures move between runs.

    DATABASE_URL=... CACHE_URL=redis://... python -m benchmarks.cpu_pages [PAGE-NAME-PART]

Uses the data in the database (``seed_demo`` or ``benchmarks/scale.py``), the benchmark's
settings with the plain static storage, and one connection kept for the whole run (as
``CONN_MAX_AGE`` keeps it in production)."""

from __future__ import annotations

import argparse
import os
import time

from benchmarks.in_process import pages_with_clients, set_up


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("match", nargs="?", default="")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("CONN_MAX_AGE", "600")
    set_up()
    from django.core import signals
    from django.db import close_old_connections, connection

    from benchmarks.run import on_cpu_ns

    # The test client would close the connection after every request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    print(f"{'page':32s} {'django':>8s} {'database':>9s} {'total':>8s}  (ms of CPU per request)")
    for page, client in pages_with_clients(args.match):
        for _ in range(20):  # warm: templates, prepared queries and statements
            client.get(page.url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        best = (float("inf"), float("inf"))
        for _ in range(args.rounds):
            own, database = time.process_time(), on_cpu_ns(pid) / 1e6
            for _ in range(args.requests):
                client.get(page.url)
            spent = (
                (time.process_time() - own) * 1000 / args.requests,
                (on_cpu_ns(pid) / 1e6 - database) / args.requests,
            )
            if sum(spent) < sum(best):
                best = spent
        print(f"{page.name:32s} {best[0]:8.2f} {best[1]:9.2f} {sum(best):8.2f}")


if __name__ == "__main__":
    main()
