"""`seed_demo` gives the demo assessors and the certification coordinator work in every state of
the assessment (issue: a portfolio to assign, one awaiting declaration, one being judged, two
Loopbaanprofessional assessors who differ, a supplement round with a diff, one advised, one
decided with a registration)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.diff import document_diff
from assessments.models import AdviceOutcome, AssignmentState, Registration, Verdict
from assessments.register_selectors import current_registrations
from portfolios.models import Portfolio, PortfolioState

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    return {p.owner.email: p for p in Portfolio.objects.exclude(state=PortfolioState.DRAFT)}


def test_every_state_of_the_assessment_has_demo_work(demo):
    assert demo["jeroen.bos@example.org"].state == PortfolioState.SUBMITTED
    pending = demo["linda.smit@example.org"].rounds.get().assignments.get()
    assert pending.state == AssignmentState.PENDING_DECLARATION
    judging = demo["mark.devries@example.org"].rounds.get().assignments.get()
    assert judging.state == AssignmentState.JUDGING and judging.judgements.exists()
    advised = demo["ruud.kramer@example.org"]
    assert advised.state == PortfolioState.ADVISED
    decided = demo["professional@example.org"]
    assert decided.state == PortfolioState.DECIDED
    registration = Registration.objects.get(decision__portfolio=decided)
    assert registration.register == "jobcoach"


def test_the_two_loopbaan_assessors_differ(demo):
    round_ = demo["fatima.yilmaz@example.org"].rounds.get()
    first, second = (
        {j.criterion: j.verdict for j in assignment.judgements.all()}
        for assignment in round_.assignments.order_by("pk")
    )
    assert all(a.state == AssignmentState.JUDGED for a in round_.assignments.all())
    assert first != second
    assert first["task_4"] == Verdict.SUPPLEMENT_NEEDED and second["task_4"] == Verdict.MEETS
    assert round_.interview.state == "scheduled"


def test_the_supplement_round_has_a_diff_to_read(demo):
    portfolio = demo["sophie.mulder@example.org"]
    first, second = portfolio.rounds.order_by("number")
    assert first.advice.outcome == AdviceOutcome.SUPPLEMENT
    assert second.reason == "resubmitted"
    assert second.assignments.get().state == AssignmentState.JUDGING
    assert portfolio.state == PortfolioState.IN_ASSESSMENT
    diff = document_diff(portfolio.framework, first.submission.document, second.submission.document)
    assert [section.key for section in diff if section.changed] == ["b"]


def test_the_demo_fills_the_public_register(demo, client):
    today = timezone.localdate()
    current = current_registrations(as_of=today).select_related("owner")
    assert current.count() >= 5
    assert any(r.owner.show_place_in_register and r.owner.place for r in current)
    assert any(not r.owner.show_place_in_register for r in current)
    assert current.filter(valid_until__lte=today + timedelta(days=90)).exists()
    expired = Registration.objects.filter(valid_until__lt=today).select_related("owner").get()
    body = client.get(reverse("register:search")).content.decode()
    assert expired.owner.full_name not in body
    assert "Jeroen Bos" in body and "Utrecht" in body
    # professional@ has a current registration and the one her recertification decision made.
    own = Registration.objects.filter(owner__email="professional@example.org")
    assert own.count() == 2 and own.filter(decision__isnull=False, previous__isnull=False).exists()
