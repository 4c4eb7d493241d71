"""``manage.py portfolio evaluate|import|export``: output, exit codes and stderr (exchange.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from noloc_portal.documents.models import Document
from portfolios.evaluation import evaluate
from portfolios.exchange.document import parse_document
from portfolios.models import Portfolio
from portfolios.services import evaluate_portfolio
from tests.portfolios.exchange_samples import (
    EVIDENCE_FILES,
    LOOPBAAN_DOCUMENT,
    bundle_contents,
    by_content,
    jobcoach_document,
    make_bundle,
)

AS_OF = "2026-11-22"


def write(tmp_path: Path, data, name: str = "portfolio.json") -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(*args: str) -> subprocess.CompletedProcess:
    """The real command line, against a database that does not exist: evaluate needs none."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "noloc_portal.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/no-such-database",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "portfolio", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def call(*args: str) -> str:
    out = StringIO()
    call_command("portfolio", *args, stdout=out)
    return out.getvalue()


# --- evaluate --------------------------------------------------------------------------------


def test_evaluate_prints_the_engines_evaluation_and_exits_0_without_a_database(tmp_path):
    document = jobcoach_document()

    result = run("evaluate", write(tmp_path, document), "--as-of", AS_OF)

    assert result.returncode == 0, result.stderr
    expected = evaluate(parse_document(document), as_of=date(2026, 11, 22)).to_json()
    assert json.loads(result.stdout) == expected
    assert result.stdout.startswith('{\n  "framework": "jobcoach-recertification"')


def test_evaluate_exits_2_with_the_json_path_on_stderr(tmp_path):
    document = jobcoach_document(
        pe_activities=[{"type": "course", "date": "2025-01-01", "sbu": -3}]
    )

    result = run("evaluate", write(tmp_path, document))

    assert result.returncode == 2
    assert result.stdout == ""
    assert "pe_activities[0].sbu: must be a positive number" in result.stderr


def test_evaluate_of_a_portfolio_that_does_not_pass_still_exits_0(tmp_path):
    output = call("evaluate", write(tmp_path, jobcoach_document(declaration={})), "--as-of", AS_OF)
    result = json.loads(output)
    assert result["submittable"] is False
    assert {"id": "JC-C", "status": "not_met"}.items() <= next(
        rule for rule in result["rules"] if rule["id"] == "JC-C"
    ).items()


def test_evaluate_supports_loopbaanprofessional_documents(tmp_path):
    output = call("evaluate", write(tmp_path, LOOPBAAN_DOCUMENT), "--as-of", AS_OF)
    result = json.loads(output)
    assert result["framework"] == "loopbaanprofessional-initial"
    assert result == evaluate(parse_document(LOOPBAAN_DOCUMENT), as_of=date(2026, 11, 22)).to_json()


def _pe(**activity) -> dict:
    return jobcoach_document(pe_activities=[{"title": "x", "date": "2025-01-01"} | activity])


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (jobcoach_document(recertification_date=1), (), "recertification_date: must be a date"),
        (_pe(type="juggling"), (), "pe_activities[0].type: unknown activity type 'juggling'"),
        (_pe(type="course", date="2025-02-30", sbu=2), (), "pe_activities[0].date: 2025-02-30"),
        (_pe(type="course", sbu=-2), (), "pe_activities[0].sbu: must be a positive number"),
        (jobcoach_document(), ("--as-of", "22-11-2026"), "--as-of"),
        (jobcoach_document(), ("--as-of", "2026-02-30"), "--as-of"),
        ('{"format": "noloc-portfolio/1",', (), "$: not valid JSON"),
        (b"\xff\xfe{}", (), "$: the document is not UTF-8"),
        ([1, 2], (), "$: the document must be a JSON object"),
        ({"format": "noloc-portfolio/2"}, (), "format: must be"),
    ],
    ids=["wrong-type", "unknown-activity", "impossible-date", "negative", "as-of-format",
         "as-of-impossible", "unreadable-json", "not-utf8", "not-an-object", "wrong-format"],
)  # fmt: skip
def test_evaluate_rejects_invalid_input_with_exit_code_2(tmp_path, content, args, expected):
    with pytest.raises(CommandError) as error:
        call("evaluate", write(tmp_path, content), *args)
    assert error.value.returncode == 2
    assert expected in str(error.value)


def test_evaluate_of_a_missing_file_exits_2(tmp_path):
    result = run("evaluate", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "nope.json: cannot read the file" in result.stderr


def test_evaluate_of_several_files_prints_one_line_per_document_in_one_process(tmp_path):
    jobcoach = write(tmp_path, jobcoach_document(), "a.json")
    loopbaan = write(tmp_path, LOOPBAAN_DOCUMENT, "b.json")

    result = run("evaluate", jobcoach, loopbaan, "--as-of", AS_OF)

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    as_of = date(2026, 11, 22)
    assert lines == [
        {"file": path, "evaluation": evaluate(parse_document(doc), as_of=as_of).to_json()}
        for path, doc in ((jobcoach, jobcoach_document()), (loopbaan, LOOPBAAN_DOCUMENT))
    ]


def test_evaluate_of_a_directory_evaluates_every_json_file_and_names_the_invalid_ones(tmp_path):
    write(tmp_path, jobcoach_document(), "1.json")
    write(tmp_path, _pe(type="course", sbu=-2), "2.json")
    write(tmp_path, "not json", "3.json")
    write(tmp_path, LOOPBAAN_DOCUMENT, "4.json")
    write(tmp_path, "ignored", "notes.txt")

    result = run("evaluate", str(tmp_path), "--as-of", AS_OF)

    assert result.returncode == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(line["file"]).name for line in lines] == ["1.json", "2.json", "3.json", "4.json"]
    assert lines[0]["evaluation"]["framework"] == "jobcoach-recertification"
    assert lines[1]["error"] == "pe_activities[0].sbu: must be a positive number"
    assert lines[2]["error"].startswith("$: not valid JSON")
    assert lines[3]["evaluation"]["framework"] == "loopbaanprofessional-initial"
    named = f"{tmp_path / '2.json'}: pe_activities[0].sbu: must be a positive number"
    assert named in result.stderr
    assert "2 of 4 documents are invalid" in result.stderr


def test_evaluate_of_an_empty_directory_or_a_bad_as_of_exits_2_before_any_output(tmp_path):
    with pytest.raises(CommandError, match=r"holds no \.json files") as error:
        call("evaluate", str(tmp_path), str(tmp_path))
    assert error.value.returncode == 2
    write(tmp_path, jobcoach_document(), "1.json")
    with pytest.raises(CommandError, match="--as-of") as error:
        call("evaluate", str(tmp_path), "--as-of", "2026-02-30")
    assert error.value.returncode == 2


# Where the test below has each forked worker note its process id (inherited at the fork).
_PIDS_FOLDER: list[Path] = []


def _noting_pid(path: str, day: date):
    from portfolios.management.commands import portfolio as command

    (_PIDS_FOLDER[0] / str(os.getpid())).touch()
    return command.__dict__["_evaluated_line"](path, day)


def test_a_large_batch_is_spread_over_processes_with_the_lines_in_order(tmp_path, monkeypatch):
    from portfolios.management.commands import portfolio as command

    folder = tmp_path / "documents"
    folder.mkdir()
    contents = [jobcoach_document(), _pe(type="course", sbu=-2), "not json", LOOPBAAN_DOCUMENT]
    for n in range(12):
        write(folder, contents[n % 4], f"{n:02d}.json")

    def batch(processes: int) -> tuple[str, str]:
        monkeypatch.setattr(command, "_processes", lambda documents: processes)
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError, match="6 of 12 documents are invalid") as error:
            call_command("portfolio", "evaluate", str(folder), "--as-of", AS_OF,
                         stdout=out, stderr=err)  # fmt: skip
        assert error.value.returncode == 2
        return out.getvalue(), err.getvalue()

    one = batch(1)
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setitem(command.__dict__, "_evaluated_line", command._batch_line)
    monkeypatch.setattr(command, "_batch_line", _noting_pid)
    _PIDS_FOLDER[:] = [pids]
    try:
        three = batch(3)
    finally:
        _PIDS_FOLDER.clear()

    assert three == one
    assert [Path(json.loads(line)["file"]).name for line in one[0].splitlines()] == [
        f"{n:02d}.json" for n in range(12)
    ]
    # Evaluated in forked workers only (how the chunks fall among the three is theirs to say).
    workers = os.listdir(pids)
    assert workers and str(os.getpid()) not in workers


def test_a_batch_uses_as_many_processes_as_it_has_hundreds_of_documents_and_cores(monkeypatch):
    from portfolios.management.commands import portfolio as command

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert command._processes(1) == command._processes(399) == 1
    assert command._processes(400) == 2
    assert command._processes(1000) == command._processes(100_000) == 4


def test_the_portfolio_command_skips_the_system_checks():
    from portfolios.management.commands.portfolio import Command

    assert Command.requires_system_checks == []


# --- import ----------------------------------------------------------------------------------


def test_import_bundle_prints_the_new_id(tmp_path, professional):
    output = call("import", write(tmp_path, make_bundle(jobcoach_document()), "b.zip"),
                  "--owner", professional.email.upper())  # fmt: skip

    portfolio = Portfolio.objects.get(pk=json.loads(output)["id"])
    assert portfolio.owner == professional
    assert portfolio.state == "draft"
    assert portfolio.events.get().action == "imported"
    assert portfolio.events.get().actor is None  # the command line has no signed-in user


def test_import_of_an_unknown_owner_exits_2_naming_owner(tmp_path, db):
    with pytest.raises(CommandError, match="--owner") as error:
        call("import", write(tmp_path, jobcoach_document()), "--owner", "nobody@example.org")
    assert error.value.returncode == 2
    assert not Portfolio.objects.exists()


def test_import_of_an_invalid_bundle_exits_2_and_writes_nothing(tmp_path, professional):
    files = {k: v for k, v in EVIDENCE_FILES.items() if k != "cert.pdf"}
    bundle = write(tmp_path, make_bundle(jobcoach_document(), files), "b.zip")

    with pytest.raises(CommandError) as error:
        call("import", bundle, "--owner", professional.email)

    assert error.value.returncode == 2
    assert "pe_activities[0].evidence: file 'cert.pdf' is not in the bundle" in str(error.value)
    assert (Portfolio.objects.count(), Document.objects.count()) == (0, 0)


def test_import_of_a_plain_document_with_evidence_needs_without_files(tmp_path, professional):
    path = write(tmp_path, jobcoach_document())
    with pytest.raises(CommandError, match=r"a1\.cv: file 'cv\.pdf' cannot be resolved") as error:
        call("import", path, "--owner", professional.email)
    assert error.value.returncode == 2
    assert not Portfolio.objects.exists()

    output = call("import", path, "--owner", professional.email, "--without-files")

    portfolio = Portfolio.objects.get(pk=json.loads(output)["id"])
    assert portfolio.cv is None
    assert portfolio.pe_activities.count() == 5


def test_import_of_a_missing_file_exits_2(tmp_path, professional):
    with pytest.raises(CommandError, match="cannot read the file") as error:
        call("import", str(tmp_path / "weg.zip"), "--owner", professional.email)
    assert error.value.returncode == 2


# --- export ----------------------------------------------------------------------------------


def test_export_then_import_gives_an_equal_portfolio(tmp_path, professional):
    original = write(tmp_path, make_bundle(jobcoach_document()), "in.zip")
    first = Portfolio.objects.get(
        pk=json.loads(call("import", original, "--owner", professional.email))["id"]
    )
    call("export", str(first.pk), "--out", str(tmp_path / "out.zip"))
    second = Portfolio.objects.get(
        pk=json.loads(call("import", str(tmp_path / "out.zip"), "--owner", professional.email))[
            "id"
        ]
    )
    call("export", str(second.pk), "--out", str(tmp_path / "again.zip"))

    first_bundle = bundle_contents((tmp_path / "out.zip").read_bytes())
    second_bundle = bundle_contents((tmp_path / "again.zip").read_bytes())
    assert by_content(*first_bundle) == by_content(*second_bundle)
    as_of = date(2026, 11, 22)
    assert (
        evaluate_portfolio(first, as_of=as_of).to_json()
        == evaluate_portfolio(second, as_of=as_of).to_json()
    )
    # And the stored portfolio evaluates like the document it came from.
    expected = evaluate(parse_document(jobcoach_document()), as_of=as_of).to_json()
    assert evaluate_portfolio(second, as_of=as_of).to_json() == expected


@pytest.mark.parametrize("portfolio_id", ["999999", "abc"])
def test_export_of_an_unknown_id_exits_2(tmp_path, db, portfolio_id):
    with pytest.raises(CommandError, match="no portfolio with id") as error:
        call("export", portfolio_id, "--out", str(tmp_path / "out.zip"))
    assert error.value.returncode == 2
    assert not (tmp_path / "out.zip").exists()
