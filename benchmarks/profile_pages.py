"""Where a page spends its CPU: each measured page rendered in this process under cProfile.

    DATABASE_URL=... python -m benchmarks.profile_pages [PAGE-NAME-PART] [--top 25]

Uses the data in the database (``seed_demo`` or ``benchmarks/scale.py``) and the benchmark's
settings with the plain static storage, so no collectstatic is needed."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from benchmarks.in_process import pages_with_clients, set_up


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("match", nargs="?", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", default="", help="a regular expression the lines must match")
    args = parser.parse_args()
    set_up()
    for page, client in pages_with_clients(args.match):
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
