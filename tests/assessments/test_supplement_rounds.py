"""Supplement rounds (workflow.md): a resubmission goes back to the same assessors, already
declared; the deadline reminds the owner once and, once passed, returns the portfolio to the
assessors on the same submission; the assessors see what changed; the owner sees the state of
their portfolio at every step."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.diff import document_diff, pair_items
from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Decision,
    Registration,
    RoundReason,
)
from assessments.services import run_supplement_deadlines
from noloc_portal.pdf.models import RenderJob
from portfolios import services
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.framework import JOBCOACH
from portfolios.models import PortfolioState
from tests.factories import Role, user_with
from tests.portfolios.factories import complete_loopbaan_portfolio, complete_portfolio

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 12, 31)


@pytest.fixture(autouse=True)
def no_dossier(monkeypatch):
    monkeypatch.setattr(services, "queue_report", lambda **kwargs: None)


@pytest.fixture
def supplement():
    """A Jobcoach portfolio whose first round (one assessor judging, one who declined) ended in
    an advice asking to supplement B by DEADLINE."""
    portfolio = complete_portfolio()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    first = portfolio.rounds.get()
    assessor = user_with(Role.ASSESSOR, email="assessor@example.org")
    declined = user_with(Role.ASSESSOR, email="declined@example.org")
    Assignment.objects.create(
        round=first, assessor=declined, state=AssignmentState.DECLINED, declined_at=timezone.now()
    )
    Assignment.objects.create(
        round=first, assessor=assessor, state=AssignmentState.JUDGED, declared_at=timezone.now()
    )
    portfolio.state = PortfolioState.IN_ASSESSMENT
    portfolio.save(update_fields=["state"])
    advice = Advice.objects.create(
        round=first,
        outcome=AdviceOutcome.SUPPLEMENT,
        motivation="Twee PE-activiteiten missen een bewijsstuk.",
        supplement_sections=["b"],
        supplement_deadline=DEADLINE,
        advised_by=assessor,
    )
    services.request_supplement(portfolio=portfolio, by=assessor, sections=["b"])
    portfolio.refresh_from_db()
    return portfolio, assessor, advice


def test_a_resubmission_opens_a_round_with_the_same_declared_assessors(
    supplement, django_capture_on_commit_callbacks
):
    portfolio, assessor, _advice = supplement
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
        again = services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    assert again == submission
    assert submission.number == 2
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.IN_ASSESSMENT
    rounds = list(portfolio.rounds.order_by("number"))
    assert len(rounds) == 2
    second = rounds[1]
    assert (second.reason, second.submission) == (RoundReason.RESUBMITTED, submission)
    carried = list(second.assignments.all())
    assert [a.assessor for a in carried] == [assessor]
    assert carried[0].state == AssignmentState.JUDGING and carried[0].declared_at is not None
    assert [m.to for m in mail.outbox] == [["assessor@example.org"]]
    assert reverse("assessments:supplement_diff", args=[second.pk]) in mail.outbox[0].body


def test_the_owner_resubmits_with_the_button(client, supplement):
    portfolio, _assessor, _advice = supplement
    client.force_login(portfolio.owner)
    response = client.post(reverse("portfolios:submit", args=[portfolio.pk]), follow=True)
    assert "Je aanvulling is ingediend" in response.content.decode()
    assert portfolio.rounds.count() == 2


def test_the_deadline_reminds_the_owner_once(supplement, django_capture_on_commit_callbacks):
    portfolio, _assessor, advice = supplement
    days = settings.SUPPLEMENT_REMINDER_DAYS
    with django_capture_on_commit_callbacks(execute=True):
        early = run_supplement_deadlines(today=DEADLINE - timedelta(days=days + 1))
        first = run_supplement_deadlines(today=DEADLINE - timedelta(days=days))
        second = run_supplement_deadlines(today=DEADLINE - timedelta(days=1))
    assert (early["reminded"], first["reminded"], second["reminded"]) == (0, 1, 0)
    assert [m.to for m in mail.outbox] == [[portfolio.owner.email]]
    assert "31 december 2026" in mail.outbox[0].body
    advice.refresh_from_db()
    assert advice.deadline_reminded_at is not None


def test_a_passed_deadline_returns_the_portfolio_to_its_assessors(
    supplement, django_capture_on_commit_callbacks
):
    portfolio, assessor, _advice = supplement
    with django_capture_on_commit_callbacks(execute=True):
        on_the_day = run_supplement_deadlines(today=DEADLINE)
        after = run_supplement_deadlines(today=DEADLINE + timedelta(days=1))
        again = run_supplement_deadlines(today=DEADLINE + timedelta(days=2))
    assert on_the_day["ended"] == 0 and after["ended"] == 1 and again["ended"] == 0
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.IN_ASSESSMENT
    assert portfolio.reopened_sections == []
    first, third = portfolio.rounds.order_by("number")
    assert third.reason == RoundReason.DEADLINE_PASSED
    assert third.submission == first.submission
    assert [(a.assessor, a.state) for a in third.assignments.all()] == [
        (assessor, AssignmentState.JUDGING)
    ]
    to = [m.to for m in mail.outbox]
    assert ["assessor@example.org"] in to and ["declined@example.org"] not in to
    with pytest.raises(services.PortfolioFrozen):
        jobcoach_services.add_activity(
            portfolio=portfolio,
            by=portfolio.owner,
            type="course",
            values={"title": "Te laat", "date": date(2025, 9, 1), "sbu": Decimal(2)},
        )


def test_a_resubmitted_portfolio_is_not_ended_by_the_deadline(supplement):
    portfolio, _assessor, _advice = supplement
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    assert run_supplement_deadlines(today=DEADLINE + timedelta(days=5)) == {
        "reminded": 0,
        "ended": 0,
    }
    assert portfolio.rounds.count() == 2


def test_the_beat_schedule_runs_the_deadline_task():
    entry = settings.CELERY_BEAT_SCHEDULE["assessments-supplement-deadlines"]
    assert entry["task"] == "assessments.tasks.supplement_deadlines"
    from assessments.tasks import supplement_deadlines

    assert supplement_deadlines.name == entry["task"]


# --- the diff ------------------------------------------------------------------------------------


def test_items_pair_by_identity_then_position():
    old = [{"title": "A", "date": "1"}, {"title": "B", "date": "2"}, {"date": "5"}, {"title": "C"}]
    new = [{"title": "B", "date": "3"}, {"title": "A", "date": "1"}, {"date": "6"}, {"title": "D"}]
    assert pair_items(old, new) == [(1, 0), (0, 1), (2, 2), (None, 3), (3, None)]
    assert pair_items([{"x": 1}], []) == [(0, None)]
    assert pair_items([], [{"x": 1}]) == [(None, 0)]


def test_the_diff_per_section_and_item():
    old = {
        "a2": {"report": "Oud"},
        "pe_activities": [
            {"type": "course", "title": "Cursus 1", "date": "2025-01-01", "sbu": 8},
            {"type": "book", "title": "Boek", "date": "2025-02-01"},
        ],
        "declaration": {"code_of_conduct": True},
    }
    new = {
        "a2": {"report": "Nieuw"},
        "pe_activities": [
            {"type": "course", "title": "Cursus 1", "date": "2025-01-01", "sbu": 12},
            {"type": "lecture", "title": "Lezing", "date": "2025-03-01"},
        ],
        "declaration": {"code_of_conduct": True},
    }
    sections = {section.key: section for section in document_diff(JOBCOACH, old, new)}
    assert sections["a2"].changed and not sections["c"].changed and not sections["a1"].changed
    (field,) = sections["a2"].fields
    assert (field.old, field.new, field.changed) == ("Oud", "Nieuw", True)
    items = sections["b"].groups[0].items
    assert [(item.title.split(" · ")[0], item.status) for item in items] == [
        ("Cursus 1", "changed"),
        ("Lezing", "added"),
        ("Boek", "removed"),
    ]
    sbu = next(f for f in items[0].fields if f.label == "Studiebelastingsuren")
    assert (sbu.old, sbu.new) == ("8", "12")
    kind = next(f for f in items[1].fields if f.label == "Soort")
    assert (kind.old, kind.new) == ("—", "Lezing of gastles over het vakgebied gegeven")


def test_the_assessor_sees_what_changed(client, supplement):
    portfolio, assessor, _advice = supplement
    activity = portfolio.pe_activities.order_by("pk").first()
    jobcoach_services.update_activity(
        portfolio=portfolio,
        by=portfolio.owner,
        activity_id=activity.pk,
        values={"title": "Cursus in de aanvulling"},
    )
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    second = portfolio.rounds.order_by("-number").first()
    url = reverse("assessments:supplement_diff", args=[second.pk])
    client.force_login(assessor)
    detail = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    assert url in detail and "Bekijk wat er veranderde" in detail
    page = client.get(url).content.decode()
    assert "Cursus in de aanvulling" in page
    assert activity.title in page and "ongewijzigd" in page and "bg-success-subtle" in page
    assert "1 onderdeel gewijzigd" in page
    client.force_login(portfolio.owner)
    assert client.get(url).status_code == 404
    client.force_login(user_with(Role.ASSESSOR))
    assert client.get(url).status_code == 404
    client.force_login(user_with(Role.CERTIFICATION_COORDINATOR))
    assert client.get(url).status_code == 200
    first = portfolio.rounds.order_by("number").first()
    client.force_login(assessor)
    assert client.get(reverse("assessments:supplement_diff", args=[first.pk])).status_code == 404


# --- the professional's status -----------------------------------------------------------------


def overview(client, portfolio) -> str:
    client.force_login(portfolio.owner)
    return client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()


def test_the_status_card_follows_every_step(client, supplement):
    portfolio, assessor, _advice = supplement
    page = overview(client, portfolio)
    assert "Aanvulling gevraagd" in page
    assert "Twee PE-activiteiten missen een bewijsstuk." in page
    assert "31 december 2026" in page
    assert reverse("portfolios:pe", args=[portfolio.pk]) in page
    section = client.get(reverse("portfolios:a2", args=[portfolio.pk])).content.decode()
    assert "Aanvulling gevraagd, uiterlijk 31 december 2026" in section
    assert "Twee PE-activiteiten missen een bewijsstuk." in section
    assert "niet heropend voor aanvulling" in section
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    assert "Dezelfde assessoren bekijken wat je hebt aangevuld" in overview(client, portfolio)
    second = portfolio.rounds.order_by("-number").first()
    final = Advice.objects.create(
        round=second,
        outcome=AdviceOutcome.POSITIVE,
        motivation="Alle onderdelen voldoen.",
        development_advice="Verdiep je in loopbaanbegeleiding van jongeren.",
        advised_by=assessor,
    )
    portfolio.state = PortfolioState.ADVISED
    portfolio.save(update_fields=["state"])
    page = overview(client, portfolio)
    assert "Advies uitgebracht" in page and "Alle onderdelen voldoen." not in page
    decision = Decision.objects.create(
        portfolio=portfolio,
        advice=final,
        outcome="positive",
        decided_on=date(2027, 1, 15),
        decided_by=user_with(Role.CERTIFICATION_COORDINATOR),
    )
    Registration.objects.create(
        owner=portfolio.owner,
        register="jobcoach",
        valid_from=date(2027, 3, 31),
        valid_until=date(2031, 3, 30),
        decision=decision,
    )
    portfolio.state = PortfolioState.DECIDED
    portfolio.save(update_fields=["state"])
    page = overview(client, portfolio)
    assert "Besluit: positief" in page
    assert "Alle onderdelen voldoen." in page
    assert "Verdiep je in loopbaanbegeleiding van jongeren." in page
    assert "30 maart 2031" in page
    assert "wordt nog gemaakt" in page
    job = RenderJob.objects.create(
        kind="assessment_report",
        content_type=ContentType.objects.get_for_model(AssessmentRound),
        object_id=second.pk,
        version=1,
        title="Beoordelingsverslag",
        state="done",
    )
    assert reverse("pdf:download", args=[job.pk]) in overview(client, portfolio)


def test_a_submitted_portfolio_says_it_waits_for_an_assessor(client):
    portfolio = complete_portfolio()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    assert "wacht op een assessor" in overview(client, portfolio)


def test_a_loopbaan_resubmission_goes_back_to_both_assessors(django_capture_on_commit_callbacks):
    portfolio = complete_loopbaan_portfolio()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    first = portfolio.rounds.get()
    pair = [user_with(Role.ASSESSOR), user_with(Role.ASSESSOR)]
    for assessor in pair:
        Assignment.objects.create(
            round=first, assessor=assessor, state=AssignmentState.JUDGED, declared_at=timezone.now()
        )
    portfolio.state = PortfolioState.IN_ASSESSMENT
    portfolio.save(update_fields=["state"])
    Advice.objects.create(
        round=first,
        outcome=AdviceOutcome.SUPPLEMENT,
        motivation="Casus 2 mist de onderbouwing.",
        supplement_sections=["cases"],
        supplement_deadline=DEADLINE,
        advised_by=pair[0],
    )
    services.request_supplement(portfolio=portfolio, by=pair[0], sections=["cases"])
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    second = portfolio.rounds.order_by("-number").first()
    assert {a.assessor for a in second.assignments.all()} == set(pair)
    assert {a.state for a in second.assignments.all()} == {AssignmentState.JUDGING}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in pair)


def test_an_older_supplement_advice_is_neither_reminded_nor_ended(supplement):
    """A second supplement request: only the latest round's advice counts."""
    portfolio, assessor, old = supplement
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    second = portfolio.rounds.order_by("-number").first()
    later = DEADLINE + timedelta(days=60)
    Advice.objects.create(
        round=second,
        outcome=AdviceOutcome.SUPPLEMENT,
        motivation="Nog een activiteit.",
        supplement_sections=["b"],
        supplement_deadline=later,
        advised_by=assessor,
    )
    services.request_supplement(portfolio=portfolio, by=assessor, sections=["b"])
    assert run_supplement_deadlines(today=DEADLINE - timedelta(days=2)) == {
        "reminded": 0,
        "ended": 0,
    }
    assert run_supplement_deadlines(today=DEADLINE + timedelta(days=1))["ended"] == 0
    old.refresh_from_db()
    assert old.deadline_reminded_at is None
    assert run_supplement_deadlines(today=later - timedelta(days=1))["reminded"] == 1
    assert run_supplement_deadlines(today=later + timedelta(days=1))["ended"] == 1
    assert portfolio.rounds.order_by("-number").first().submission == second.submission
