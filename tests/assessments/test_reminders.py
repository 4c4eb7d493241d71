"""The beat task that reminds assessors of assignments waiting longer than
ASSESSMENT_REMINDER_DAYS (one reminder per period) and sends the coordinators one list."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from assessments import tasks
from assessments.models import AssessmentRound, Assignment, AssignmentState
from assessments.services import send_assignment_reminders
from portfolios.models import PortfolioState
from tests.factories import Role, user_with
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def waiting(
    *,
    days: int,
    state=AssignmentState.PENDING_DECLARATION,
    declared_days=None,
    portfolio_state=PortfolioState.IN_ASSESSMENT,
    name="Assessor Een",
):
    portfolio = PortfolioFactory(state=portfolio_state, owner__full_name="Paula Portfolio")
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    assessor = user_with(Role.ASSESSOR, full_name=name)
    assignment = Assignment.objects.create(round=round_, assessor=assessor, state=state)
    Assignment.objects.filter(pk=assignment.pk).update(
        assigned_at=NOW - timedelta(days=days),
        declared_at=None if declared_days is None else NOW - timedelta(days=declared_days),
    )
    assignment.refresh_from_db()
    return assignment


def run(django_capture_on_commit_callbacks, now=NOW) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_assignment_reminders(now=now)


def test_an_assignment_waiting_for_the_declaration_too_long_is_reminded_once(
    django_capture_on_commit_callbacks,
):
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR, full_name="Coby Coördinator")
    assignment = waiting(days=15)

    assert run(django_capture_on_commit_callbacks) == 1

    to_assessor, summary = mail.outbox
    assert to_assessor.to == [assignment.assessor.email]
    assert "Paula Portfolio" in to_assessor.subject and "ronde 1" in to_assessor.subject
    assert "15 dagen geleden toegewezen" in to_assessor.body
    assert "geen belangenverstrengeling" in to_assessor.body
    assert settings.SITE_URL.rstrip("/") + reverse("assessments:assigned") in to_assessor.body
    assert summary.to == [coordinator.email]
    assert summary.subject == "Eén toewijzing wacht langer dan 14 dagen op de assessor"
    assert "Paula Portfolio" in summary.body and "Assessor Een" in summary.body
    assert "15 dagen" in summary.body
    assert reverse("assessments:certification") in summary.body
    assignment.refresh_from_db()
    assert assignment.reminded_at == NOW

    # The next daily runs of the same period send nothing.
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks, NOW + timedelta(days=1)) == 0
    assert run(django_capture_on_commit_callbacks, NOW + timedelta(days=13)) == 0
    assert mail.outbox == []
    # A whole period later it is still waiting: one more reminder.
    assert run(django_capture_on_commit_callbacks, NOW + timedelta(days=14)) == 1
    assert len(mail.outbox) == 2


def test_judging_counts_from_the_declaration(django_capture_on_commit_callbacks):
    user_with(Role.CERTIFICATION_COORDINATOR)
    late = waiting(days=40, state=AssignmentState.JUDGING, declared_days=20, name="Laat")
    recent = waiting(days=40, state=AssignmentState.JUDGING, declared_days=3, name="Vlot")

    assert run(django_capture_on_commit_callbacks) == 1

    reminder = next(m for m in mail.outbox if m.to == [late.assessor.email])
    assert "nu 20 dagen bezig" in reminder.body and "oordeel per criterium" in reminder.body
    assert not any(m.to == [recent.assessor.email] for m in mail.outbox)
    recent.refresh_from_db()
    assert recent.reminded_at is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": 13},  # not yet waiting a whole period
        {"days": 30, "state": AssignmentState.JUDGED},
        {"days": 30, "state": AssignmentState.DECLINED},
        # During a supplement the assessor waits on the owner, not the other way round.
        {
            "days": 30,
            "state": AssignmentState.JUDGING,
            "declared_days": 29,
            "portfolio_state": PortfolioState.SUPPLEMENT_REQUESTED,
        },
        {"days": 30, "portfolio_state": PortfolioState.WITHDRAWN},
    ],
)
def test_assignments_that_do_not_wait_on_the_assessor_are_left_alone(
    django_capture_on_commit_callbacks, kwargs
):
    user_with(Role.CERTIFICATION_COORDINATOR)
    assignment = waiting(**kwargs)
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assignment.refresh_from_db()
    assert assignment.reminded_at is None


def test_the_period_is_the_setting(django_capture_on_commit_callbacks, settings):
    settings.ASSESSMENT_REMINDER_DAYS = 3
    user_with(Role.CERTIFICATION_COORDINATOR)
    waiting(days=4, name="Eerste")
    waiting(days=5, name="Tweede")
    waiting(days=2, name="Derde")

    assert run(django_capture_on_commit_callbacks) == 2

    summary = mail.outbox[-1]
    assert summary.subject == "2 toewijzingen wachten langer dan 3 dagen op de assessor"
    assert "Eerste" in summary.body and "Tweede" in summary.body
    assert "Derde" not in summary.body


def test_no_summary_when_nobody_was_reminded(django_capture_on_commit_callbacks):
    user_with(Role.CERTIFICATION_COORDINATOR)
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_task_is_on_the_beat_schedule_and_runs(django_capture_on_commit_callbacks):
    entry = settings.CELERY_BEAT_SCHEDULE["assessment-assignment-reminders"]
    assert entry["task"] == "assessments.tasks.send_assignment_reminders"
    waiting(days=400)  # waiting since long before the real today
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_assignment_reminders.delay().get() == 1
    assert len(mail.outbox) == 1  # no coordinator here: the assessor only
