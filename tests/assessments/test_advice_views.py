"""The assessor's pages of a round: the judgements side by side (independent until both have
finished, AS-4), the interview (AS-4) and the advice (AS-5, AS-6)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    InterviewState,
    Verdict,
)
from assessments.services import latest_supplement_deadline
from portfolios.models import PortfolioState
from tests.assessments.rounds import assessment, held_interview
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db

DIFFERENT = [
    {"education": Verdict.MEETS, "task_2": Verdict.SUPPLEMENT_NEEDED},
    {"education": Verdict.DOES_NOT_MEET, "task_2": Verdict.SUPPLEMENT_NEEDED},
]


ADVICE_FIELDS = [
    "outcome",
    "motivation",
    "development_advice",
    "supplement_deadline",
    "supplement_sections",
]
INTERVIEW_FIELDS = ["date", "time", "location", "online_link"]


def assert_error_by_field(body: str, field: str, message: str, order: list[str]) -> None:
    """The message stands after the field's input and before the next field's."""
    start = body.index(f'name="{field}"')
    following = order[order.index(field) + 1 :]
    end = body.index(f'name="{following[0]}"') if following else body.index('type="submit"', start)
    assert message in body[start:end], body[start:end]


def page(client, name, setting, user=None):
    client.force_login(user or setting.assessors[0])
    return client.get(reverse(f"assessments:{name}", args=[setting.round.pk]))


# --- Independence and the side-by-side view (AS-4) ---------------------------------------------


@pytest.mark.parametrize("name", ["compare", "advice", "interview"])
def test_as4_the_other_assessors_judgements_stay_hidden_until_both_finished(client, name):
    setting = assessment(loopbaan=True, judged=1, verdicts=DIFFERENT)
    mine, theirs = setting.assessors
    for viewer, other in ((mine, theirs), (theirs, mine)):
        body = page(client, name, setting, viewer).content.decode()
        assert f"Toelichting van {other.full_name}" not in body
        assert other.full_name not in body or name == "interview"
    compare = page(client, "compare", setting, mine).content.decode()
    assert f"Toelichting van {mine.full_name} bij task_2" in compare
    assert "pas als jullie allebei" in compare


def test_as4_once_both_finished_the_judgements_stand_side_by_side_with_differences(client):
    setting = assessment(loopbaan=True, verdicts=DIFFERENT)
    mine, theirs = setting.assessors
    body = page(client, "compare", setting, mine).content.decode()
    assert f"Toelichting van {theirs.full_name} bij education" in body
    assert f"Toelichting van {mine.full_name} bij task_2" in body
    assert "Jouw oordeel" in body and escape(theirs.full_name) in body
    assert "verschillen bij 1 criterium" in body
    assert body.count("judgement-differs") == 1
    assert body.count("Oordelen verschillen") == 1


def test_as4_the_interview_notes_appear_beside_the_criteria_once_recorded(client):
    setting = assessment(loopbaan=True)
    held_interview(
        setting.round, setting.assessors[0], notes={"task_5": "Vroeg goed door op de vraag."}
    )
    body = page(client, "compare", setting, setting.assessors[1]).content.decode()
    assert "Vroeg goed door op de vraag." in body
    assert "Open gesprek over beide casussen." in body


def test_the_pages_speak_to_the_assessor_with_breadcrumbs_of_their_role(client):
    setting = assessment(loopbaan=True)
    for name in ("compare", "advice", "interview"):
        body = page(client, name, setting).content.decode()
        assert reverse("assessments:assigned") in body
        assert reverse("portfolios:detail", args=[setting.portfolio.pk]) in body
        assert "Dit portfolio van" in body
        assert "je portfolio" not in body.lower()


@pytest.mark.parametrize("state", ["pending_declaration", "declined"])
def test_an_assessor_who_did_not_declare_gets_404(client, state):
    setting = assessment(loopbaan=True, judged=0)
    setting.assignments[0].state = state
    setting.assignments[0].save()
    for name in ("compare", "advice", "interview", "interview_record"):
        assert page(client, name, setting).status_code == 404


def test_a_jobcoach_round_has_no_interview_page(client):
    setting = assessment()
    assert page(client, "interview", setting).status_code == 404
    assert page(client, "interview_record", setting).status_code == 404
    assert "Toetsingsgesprek" not in page(client, "advice", setting).content.decode()


# --- The advice page (AS-5, AS-6) --------------------------------------------------------------


def post_advice(client, setting, user=None, **data):
    client.force_login(user or setting.assessors[0])
    return client.post(reverse("assessments:advice", args=[setting.round.pk]), data)


def test_as5_the_advice_page_offers_outcomes_and_the_sections_by_name(client):
    setting = assessment()
    body = page(client, "advice", setting).content.decode()
    for value in ("positive", "negative", "supplement"):
        assert f'value="{value}"' in body
    assert "A3.2 Reflectieverslag" in body and 'value="a32"' in body
    assert 'value="c"' not in body  # the declaration is not judged, so never reopened
    latest = latest_supplement_deadline(timezone.localdate())
    assert f"uiterlijk {latest.day} " in body


def test_as5_a_positive_advice_from_the_page(client, django_capture_on_commit_callbacks):
    setting = assessment()
    user_with(Role.CERTIFICATION_COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_advice(
            client,
            setting,
            outcome="positive",
            motivation="Alles aangetoond.",
            development_advice="Meer vakliteratuur.",
        )
    assert response.status_code == 302
    assert response.url == reverse("assessments:advice", args=[setting.round.pk])
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.ADVISED
    assert len(mail.outbox) == 1
    body = client.get(response.url).content.decode()
    assert "Positief" in body and "Meer vakliteratuur." in body
    assert 'name="motivation"' not in body


def test_as5_a_double_post_lands_on_the_same_advice(client):
    setting = assessment()
    data = {"outcome": "negative", "motivation": "Te weinig.", "development_advice": "Meer."}
    assert post_advice(client, setting, **data).status_code == 302
    assert post_advice(client, setting, **data).status_code == 302
    assert Advice.objects.count() == 1


def test_as5_a_supplement_from_the_page(client, django_capture_on_commit_callbacks):
    setting = assessment()
    deadline = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_advice(
            client,
            setting,
            outcome="supplement",
            motivation="Vul het ontwikkelplan aan.",
            supplement_deadline=deadline.isoformat(),
            supplement_sections=["a4", "a32"],
        )
    assert response.status_code == 302
    advice = Advice.objects.get()
    assert advice.outcome == AdviceOutcome.SUPPLEMENT and advice.supplement_deadline == deadline
    assert set(advice.supplement_sections) == {"a4", "a32"}
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED
    assert mail.outbox[0].to == [setting.portfolio.owner.email]
    body = client.get(response.url).content.decode()
    assert "A4 Ontwikkelplan voor de komende vier jaar" in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"supplement_deadline": "2099-01-01"}, "supplement_deadline", "hoogstens 3 maanden"),
        ({"supplement_deadline": ""}, "supplement_deadline", "uiterste datum"),
        ({"supplement_deadline": "morgen"}, "supplement_deadline", "geldige datum"),
        ({"supplement_sections": []}, "supplement_sections", "Kies een of meer onderdelen"),
        ({"supplement_sections": ["c"]}, "supplement_sections", "geldige keuze"),
        ({"motivation": ""}, "motivation", "Onderbouw het advies"),
    ],
)
def test_as5_a_refused_supplement_shows_the_error_by_its_field_and_keeps_the_input(
    client, data, field, message
):
    setting = assessment()
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    posted = {
        "outcome": "supplement",
        "motivation": "Vul het ontwikkelplan aan.",
        "development_advice": "Ontwikkeladvies dat niet verloren mag gaan.",
        "supplement_deadline": deadline,
        "supplement_sections": ["a4"],
        **data,
    }
    response = post_advice(client, setting, **posted)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    body = response.content.decode()
    assert_error_by_field(body, field, message, ADVICE_FIELDS)
    assert "Ontwikkeladvies dat niet verloren mag gaan." in body
    assert re.search(r'<input[^>]*value="supplement"[^>]*checked', body)
    assert not Advice.objects.exists()


def test_as5_while_judging_the_page_says_what_comes_first(client):
    setting = assessment(judged=0)
    body = page(client, "advice", setting).content.decode()
    assert "Rond eerst je beoordeling" in body
    assert 'name="outcome"' not in body


def test_as4_the_joint_advice_page_waits_for_the_interview(client):
    setting = assessment(loopbaan=True)
    body = page(client, "advice", setting).content.decode()
    assert "toetsingsgesprek" in body and 'name="outcome"' not in body
    held_interview(setting.round, setting.assessors[0])
    body = page(client, "advice", setting, setting.assessors[1]).content.decode()
    assert 'name="outcome"' in body and "gezamenlijk" in body
    assert "A Opleiding" in body and "C.1 … C.4: Kerntaken (C.1)" in body
    assert 'value="plan"' not in body and 'value="declaration"' not in body


def test_as4_the_second_assessor_sees_the_joint_advice_and_cannot_change_it(client):
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[0])
    data = {"outcome": "positive", "motivation": "Samen besloten.", "development_advice": "Groei."}
    assert post_advice(client, setting, setting.assessors[0], **data).status_code == 302
    body = page(client, "advice", setting, setting.assessors[1]).content.decode()
    assert "Samen besloten." in body and escape(setting.assessors[0].full_name) in body
    response = post_advice(client, setting, setting.assessors[1], **{**data, "outcome": "negative"})
    assert response.status_code == 200
    assert "al vastgelegd door" in response.content.decode()
    assert Advice.objects.get().outcome == "positive"


# --- The interview pages (AS-4) ----------------------------------------------------------------


def post_interview(client, setting, user=None, name="interview", **data):
    client.force_login(user or setting.assessors[0])
    return client.post(reverse(f"assessments:{name}", args=[setting.round.pk]), data)


def test_as4_plan_and_move_the_interview_from_the_page(client, django_capture_on_commit_callbacks):
    setting = assessment(loopbaan=True, judged=0)
    day = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_interview(
            client, setting, date=day.isoformat(), time="10:30", location="Noloc, Utrecht"
        )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert timezone.localtime(interview.starts_at).hour == 10
    body = client.get(response.url).content.decode()
    assert "Noloc, Utrecht" in body and "Gesprek verplaatsen" in body
    assert 'value="10:30"' in body
    with django_capture_on_commit_callbacks(execute=True):
        post_interview(
            client,
            setting,
            date=day.isoformat(),
            time="13:00",
            location="",
            online_link="https://meet.example.org/x",
        )
    interview.refresh_from_db()
    assert timezone.localtime(interview.starts_at).hour == 13 and interview.location == ""
    to_candidate = [m for m in mail.outbox if m.to == [setting.portfolio.owner.email]]
    assert len(to_candidate) == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"location": ""}, "location", "plaats"),
        ({"date": "2020-01-01"}, "date", "latere datum"),
        ({"time": ""}, "time", "Vul een tijd in"),
        ({"online_link": "niet een link"}, "online_link", "https://"),
    ],
)
def test_as4_a_refused_plan_shows_the_error_by_its_field(client, data, field, message):
    setting = assessment(loopbaan=True)
    posted = {
        "date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "time": "10:30",
        "location": "Noloc, Utrecht",
        **data,
    }
    response = post_interview(client, setting, **posted)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert_error_by_field(response.content.decode(), field, message, INTERVIEW_FIELDS)
    assert not Interview.objects.exists()
    if field != "location":
        assert "Noloc, Utrecht" in response.content.decode()


def test_as4_record_the_interview_from_the_page(client):
    setting = assessment(loopbaan=True)
    Interview.objects.create(
        round=setting.round, starts_at=timezone.now() - timedelta(hours=2), location="Utrecht"
    )
    form = page(client, "interview_record", setting).content.decode()
    assert 'name="note_task_0"' in form and 'name="note_attitude"' in form
    response = post_interview(
        client,
        setting,
        name="interview_record",
        held_on=timezone.localdate().isoformat(),
        notes="Goed gesprek.",
        note_task_0="Duidelijke intake.",
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.state == InterviewState.HELD
    compare = page(client, "compare", setting, setting.assessors[1]).content.decode()
    assert "Duidelijke intake." in compare and "Goed gesprek." in compare
    # Recorded: the record page sends the assessor to the interview as recorded.
    assert page(client, "interview_record", setting).status_code == 302


def test_as4_a_refused_record_keeps_the_notes(client):
    setting = assessment(loopbaan=True)
    Interview.objects.create(
        round=setting.round, starts_at=timezone.now() + timedelta(days=2), location="Utrecht"
    )
    response = post_interview(
        client,
        setting,
        name="interview_record",
        held_on=(date.today() + timedelta(days=2)).isoformat(),
        notes="",
        note_task_4="Aantekening die blijft staan.",
    )
    assert response.status_code == 200
    assert "Aantekening die blijft staan." in response.content.decode()
    assert response.context["form"].errors["held_on"]
    assert Interview.objects.get().state == InterviewState.SCHEDULED


def test_as4_without_a_plan_the_record_page_sends_to_the_plan(client):
    setting = assessment(loopbaan=True)
    response = page(client, "interview_record", setting)
    assert response.status_code == 302
    assert response.url == reverse("assessments:interview", args=[setting.round.pk])


def test_as4_after_a_supplement_the_earlier_interview_is_shown_and_suffices(client):
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[0], notes={"task_1": "Helder gesprek."})
    setting.portfolio.state = PortfolioState.IN_ASSESSMENT
    setting.portfolio.save()
    second = AssessmentRound.objects.create(portfolio=setting.portfolio, number=2)
    for assessor in setting.assessors:
        Assignment.objects.create(round=second, assessor=assessor, state=AssignmentState.JUDGED)
    client.force_login(setting.assessors[1])
    interview = client.get(reverse("assessments:interview", args=[second.pk])).content.decode()
    assert "gehouden in beoordelingsronde 1" in interview
    compare = client.get(reverse("assessments:compare", args=[second.pk])).content.decode()
    assert "Helder gesprek." in compare and "Gehouden in beoordelingsronde 1" in compare
    advice = client.get(reverse("assessments:advice", args=[second.pk])).content.decode()
    assert 'name="outcome"' in advice
