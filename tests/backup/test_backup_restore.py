"""`manage.py backup` / `restore` (`make backup`, `make restore`): back up, wipe, restore, and
every portfolio, evidence file (byte for byte) and decision is back."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import FileField

from assessments.models import Assignment, AssignmentState
from assessments.services import assign_assessor
from noloc_portal.accounts.models import User
from noloc_portal.audit.models import SecurityEvent
from noloc_portal.documents.models import Document
from noloc_portal.pdf.models import RenderJob
from portfolios.models import AuditEvent, Portfolio, PortfolioState, Submission
from portfolios.services import submit_portfolio
from tests.factories import Role, user_with
from tests.portfolios.factories import complete_portfolio

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _stored_files() -> dict[str, bytes]:
    """Every file a row points at, by model, row and field, with its bytes."""
    found = {}
    for model in (Document, RenderJob):
        fields = [f for f in model._meta.fields if isinstance(f, FileField)]
        for row in model.objects.all():
            for field in fields:
                file = getattr(row, field.name)
                if file:
                    with file.open("rb") as handle:
                        found[f"{model.__name__}:{row.pk}:{file.name}"] = handle.read()
    return found


def _state() -> dict:
    return {
        "users": sorted(User.objects.values_list("pk", "email", "password")),
        "portfolios": sorted(
            Portfolio.objects.values_list("pk", "owner__email", "state", "framework")
        ),
        "submissions": sorted(Submission.objects.values_list("pk", "portfolio_id", "evaluation")),
        "assignments": sorted(Assignment.objects.values_list("pk", "assessor__email", "state")),
        "events": sorted(AuditEvent.objects.values_list("pk", "action", "at")),
        "security_log": SecurityEvent.objects.count(),
        "pdfs": sorted(RenderJob.objects.values_list("pk", "state", "content_type__model")),
        "files": _stored_files(),
    }


def test_backup_wipe_restore_brings_back_every_portfolio_file_and_decision(
    media, tmp_path, django_capture_on_commit_callbacks
):
    submitted = complete_portfolio()
    draft = complete_portfolio()
    with django_capture_on_commit_callbacks(execute=True):
        submit_portfolio(portfolio=submitted, by=submitted.owner)
    round_ = submitted.rounds.get()
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    assign_assessor(round=round_, assessor=user_with(Role.ASSESSOR), by=coordinator)
    # The assessor's judgement has no service yet; the stored outcome is what must survive.
    Assignment.objects.filter(round=round_).update(state=AssignmentState.JUDGED)
    before = _state()
    assert len(before["files"]) >= 14  # every piece of evidence of both, and the dossier PDF
    assert before["pdfs"]
    assert [state for *_, state in before["assignments"]] == [AssignmentState.JUDGED]
    assert Portfolio.objects.get(pk=submitted.pk).state == PortfolioState.IN_ASSESSMENT

    backup = tmp_path / "backup"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert len(manifest["files"]) == sum(1 for path in media.rglob("*") if path.is_file())

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert not Portfolio.objects.exists() and not media.exists()

    call_command("restore", "--from", str(backup))
    assert _state() == before
    assert Portfolio.objects.get(pk=draft.pk).state == PortfolioState.DRAFT
    # The database goes on numbering after the restored rows.
    assert complete_portfolio().pk > max(submitted.pk, draft.pk)


def test_restore_refuses_a_database_that_holds_data_unless_told_to_replace(media, tmp_path):
    portfolio = complete_portfolio()
    backup = tmp_path / "backup"
    call_command("backup", "--to", str(backup))
    later = complete_portfolio()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", "--from", str(backup))
    assert Portfolio.objects.filter(pk=later.pk).exists()

    call_command("restore", "--from", str(backup), "--replace")
    assert list(Portfolio.objects.values_list("pk", flat=True)) == [portfolio.pk]


def test_a_damaged_backup_is_refused_before_anything_changes(media, tmp_path):
    complete_portfolio()
    backup = tmp_path / "backup"
    call_command("backup", "--to", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    victim = backup / "files" / manifest["files"][0]["name"]
    victim.write_bytes(victim.read_bytes() + b"x")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("restore", "--from", str(backup))
    assert not User.objects.exists()


def test_backup_refuses_a_folder_that_is_not_empty(media, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--to", str(tmp_path / "backup"))
