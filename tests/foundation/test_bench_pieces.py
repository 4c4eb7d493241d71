"""The benchmark (`make bench`) is not part of the test suite; its pieces import and parse here,
so a change elsewhere cannot leave it broken until the next run."""

import json

from benchmarks import run, scale


def test_config_reads_the_environment_and_scales_with_floors(tmp_path):
    config = run.Config.from_env({"BENCH_SCALE": "0.1", "BENCH_REQUESTS": "50", "BENCH_OUT": "x"})
    assert (config.scale, config.requests, str(config.out)) == (0.1, 50, "x")
    assert run.Config.from_env({}).scale == 1.0
    full = scale.counts(1)
    assert (full.professionals, full.activities, full.members, full.meetings) == (
        2000,
        60,
        200,
        100,
    )
    small = scale.counts(0.01)
    assert small.assignments == 200 and small.professionals == 20


def test_percentile_schedstat_and_application_name():
    values = [float(n) for n in range(1, 101)]
    assert run.percentile(values, 0.5) == 50 and run.percentile(values, 0.95) == 95
    assert run.on_cpu_ns(-1) == 0
    import os

    assert run.on_cpu_ns(os.getpid()) > 0
    assert run.with_app_name("postgres://u@h:5432/db", "web") == (
        "postgres://u@h:5432/db?application_name=web"
    )


def test_the_report_is_written_from_results(tmp_path):
    bare = {"p95_ms": 2.0, "cpu_ms_per_request": 1.0}
    row = {
        "page": "PE register", "url": "/p/", "kind": "list", "bare": bare, "requests": 10,
        "rps": 50.0, "p50_ms": 5.0, "p95_ms": 30.0, "cpu_ms_per_request": 4.0, "bytes": 2048,
        "statuses": {"200": 10}, "queries": 9, "p95_ratio": 15.0, "cpu_ratio": 4.0,
        "target": 5, "met": False,
    }  # fmt: skip
    reference = row | {"page": "bare view, logged in", "kind": "reference", "met": None}
    results = {
        "date": "2026-11-27 12:00 UTC",
        "machine": run.machine(),
        "load_average_end": [1.0, 1.0, 1.0],
        "config": {"scale": 0.1, "requests": 10, "concurrency": 8},
        "counts": scale.counts(0.1).__dict__,
        "demo": [row, reference],
        "scale": [],
    }
    run.write_report(results, tmp_path)
    report = (tmp_path / "REPORT.md").read_text()
    assert "| PE register | list | 50.0 |" in report and "**no**" in report
    assert "PE register (demo): p95 15.0×" in report
    assert "| bare view, logged in | reference |" in report and "— | reference |" in report
    assert "bare view, logged in (demo)" not in report
    assert json.loads((tmp_path / "results.json").read_text())["config"]["scale"] == 0.1


def test_a_page_row_is_its_median_pair(tmp_path):
    def load(p95_ms, cpu):
        return {"p95_ms": p95_ms, "cpu_ms_per_request": cpu, "requests": 10, "statuses": {}}

    pairs = [
        run.pair_of(load(2.0, 1.0), load(12.0, 7.0)),  # CPU 7×, p95 6×
        run.pair_of(load(2.0, 2.0), load(8.0, 8.0)),  # 4×, 4×
        run.pair_of(load(1.0, 1.0), load(5.0, 5.0)),  # 5×, 5×
    ]
    row = run.median_pair(pairs)
    assert (row["cpu_ratio"], row["cpu_ms_per_request"], row["bare"]["cpu_ms_per_request"]) == (
        5.0,
        5.0,
        1.0,
    )
    assert row["p95_ratio"] == 5.0
    assert (row["cpu_ratios"], row["p95_ratios"]) == ([7.0, 4.0, 5.0], [6.0, 4.0, 5.0])
    assert run._ratio_cell(row, "cpu") == "5.0× (4.0–7.0)"
    assert run._ratio_cell({"cpu_ratio": 3.0}, "cpu") == "3.0×"
    assert run.Config.from_env({"BENCH_PAIRS": "5"}).pairs == 5


def test_the_in_process_comparison_imports():
    from benchmarks import cpu_pages

    assert callable(cpu_pages.main)


def test_the_instruction_count_reads_the_totals_not_the_summary(tmp_path):
    from benchmarks import instructions

    out_file = tmp_path / "callgrind.out"
    # With --instr-atstart=no the summary counts nothing; the totals hold what was measured.
    out_file.write_text("version: 1\nevents: Ir\nsummary: 0\nfn=main\n1 5\ntotals: 30266842\n")
    assert instructions.count(out_file) == 30266842
