"""KK-12: a quality-circle meeting the member attended feeds the Jobcoach portfolio, once."""

from datetime import date

import pytest
from django.urls import reverse

from kwaliteitskringen.models import MeetingForm
from portfolios.jobcoach.models import PEActivity, ReflectionMeeting
from portfolios.jobcoach.services import add_circle_meeting, circle_meetings_offered
from portfolios.services import TransitionError, evaluate_portfolio
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting
from tests.pdf_files import pdf_pages
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(professional):
    return PortfolioFactory(owner=professional)


def test_kk12_attended_meeting_is_offered_and_added_as_pe_category_2(portfolio, client):
    meeting = held_meeting(
        CircleFactory(name="Kring Zwolle"),
        date(2025, 6, 3),
        present=[portfolio.owner],
        facilitator="Ria Post",
    )
    held_meeting(CircleFactory(), date(2025, 7, 3), absent=[portfolio.owner])
    offered = circle_meetings_offered(portfolio=portfolio)
    assert [item["meeting"] for item in offered] == [meeting]
    client.force_login(portfolio.owner)
    page = client.get(reverse("portfolios:pe", args=[portfolio.pk])).content.decode()
    assert "Kring Zwolle" in page
    client.post(
        reverse("portfolios:add_circle_meeting", args=[portfolio.pk, meeting.pk]), {"as": "pe"}
    )
    activity = PEActivity.objects.get(portfolio=portfolio)
    assert (activity.type, activity.date, activity.circle_meeting) == (
        "intercollegial_meeting",
        meeting.date,
        meeting,
    )
    assert activity.evidence is not None  # the attendance record
    evaluation = evaluate_portfolio(portfolio)
    assert evaluation.to_json()["pe"]["categories"]["2"]["earned"] == 2
    assert evaluation.rule("JC-B-EVIDENCE").status == "met"
    assert circle_meetings_offered(portfolio=portfolio) == []


def test_kk12_intervision_with_facilitator_may_count_as_reflection_meeting(portfolio):
    meeting = held_meeting(
        CircleFactory(),
        date(2025, 6, 3),
        present=[portfolio.owner],
        form=MeetingForm.INTERVISION,
        facilitator="Ria Post",
    )
    add_circle_meeting(portfolio=portfolio, meeting=meeting, as_reflection=True, by=portfolio.owner)
    reflection = ReflectionMeeting.objects.get(portfolio=portfolio)
    assert (reflection.kind, reflection.facilitator) == ("intervision", "Ria Post")
    assert evaluate_portfolio(portfolio).rule("JC-A3.1-STATEMENTS").status == "met"


def test_kk12_attendance_statement_keeps_every_letter_of_the_name(professional):
    professional.full_name = "Zoë Łukasiewicz-Şahin"
    professional.save(update_fields=["full_name"])
    portfolio = PortfolioFactory(owner=professional)
    meeting = held_meeting(
        CircleFactory(name="Kring Köln–Venlo"),
        date(2025, 6, 3),
        present=[professional],
        form=MeetingForm.INTERVISION,
        facilitator="Ría Ø. Post",
        theme="Grenzen stellen",
    )
    add_circle_meeting(portfolio=portfolio, meeting=meeting, as_reflection=True, by=professional)

    statement = ReflectionMeeting.objects.get(portfolio=portfolio).statement
    assert statement.content_type == "application/pdf"
    with statement.file.open("rb") as handle:
        pages = pdf_pages(handle.read())
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "Presentieverklaring kwaliteitskring" in text
    assert "Zoë Łukasiewicz-Şahin" in text
    assert "Kring Köln–Venlo" in text
    assert "3 juni 2025" in text
    assert "Ría Ø. Post" in text
    assert "?" not in text


def test_kk12_a_meeting_is_never_counted_twice(portfolio):
    meeting = held_meeting(
        CircleFactory(),
        date(2025, 6, 3),
        present=[portfolio.owner],
        form=MeetingForm.INTERVISION,
        facilitator="Ria Post",
    )
    add_circle_meeting(portfolio=portfolio, meeting=meeting, as_reflection=True, by=portfolio.owner)
    with pytest.raises(TransitionError, match="al in je portfolio"):
        add_circle_meeting(
            portfolio=portfolio, meeting=meeting, as_reflection=False, by=portfolio.owner
        )
    assert not PEActivity.objects.exists()


def test_kk12_case_discussion_is_not_a_reflection_meeting(portfolio):
    meeting = held_meeting(CircleFactory(), date(2025, 6, 3), present=[portfolio.owner])
    with pytest.raises(TransitionError, match="intervisiebijeenkomst"):
        add_circle_meeting(
            portfolio=portfolio, meeting=meeting, as_reflection=True, by=portfolio.owner
        )


def test_kk12_absent_member_cannot_add_the_meeting(portfolio, client):
    meeting = held_meeting(CircleFactory(), date(2025, 6, 3), absent=[portfolio.owner])
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:add_circle_meeting", args=[portfolio.pk, meeting.pk]),
        {"as": "pe"},
        follow=True,
    )
    assert "presentielijst" in response.content.decode()
    assert not PEActivity.objects.exists()


def test_kk12_other_professional_gets_404(portfolio, other_professional, client):
    meeting = held_meeting(CircleFactory(), date(2025, 6, 3), present=[other_professional])
    client.force_login(other_professional)
    url = reverse("portfolios:add_circle_meeting", args=[portfolio.pk, meeting.pk])
    assert client.post(url, {"as": "pe"}).status_code == 404
