"""Instructions the Python process executes per request of each measured page, counted by
valgrind's callgrind: the same figure on every run (to a tenth of a percent), where CPU time on a
shared machine moves by a third between runs. For comparing two commits, not for the targets:
it leaves out the database's share and counts instructions, not time.

    apt-get install valgrind
    DATABASE_URL=... CACHE_URL=redis://... python -m benchmarks.instructions [PAGE-NAME-PART]

Each page runs in a process of its own under callgrind, counting only from the 16th request on
(templates compiled, queries prepared), ``--requests`` requests. Uses the data in the database
(``seed_demo`` or ``benchmarks/scale.py``) and the benchmark's settings, like ``cpu_pages``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

WARM = 15


def count(out_file: Path) -> int:
    """The instructions a callgrind output file holds in all."""
    text = out_file.read_text()
    # "summary:" counts from the start of the process, 0 with --instr-atstart=no.
    found = re.search(r"^totals: (\d+)", text, re.MULTILINE)
    if not found:
        raise RuntimeError(f"no totals in {out_file}")
    return int(found.group(1))


def measure(page_name: str, requests: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out_file = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out_file}",
                sys.executable,
                "-m",
                "benchmarks.instructions",
                "--child",
                page_name,
                "--requests",
                str(requests),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return count(out_file) // requests


def child(page_name: str, requests: int) -> None:
    """Runs under callgrind: the page's requests, counted only after the warm-up."""
    from benchmarks.in_process import pages_with_clients, set_up

    os.environ.setdefault("CONN_MAX_AGE", "600")
    set_up()
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    for page, client in pages_with_clients(page_name):
        if page.name != page_name:
            continue
        for _ in range(WARM):
            response = client.get(page.url)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {response.status_code}")
        pid = str(os.getpid())
        subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
        for _ in range(requests):
            client.get(page.url)
        subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("match", nargs="?", default="")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests)
        return
    from benchmarks.in_process import set_up

    set_up()
    from benchmarks.pages import find_pages

    print(f"{'page':32s} {'instructions per request':>26s}")
    for page in find_pages():
        if args.match.lower() in page.name.lower():
            print(f"{page.name:32s} {measure(page.name, args.requests):26,d}", flush=True)


if __name__ == "__main__":
    main()
