"""Factories for the quality-circle tests."""

from datetime import date, datetime, time

import factory
from django.utils import timezone

from kwaliteitskringen.models import (
    Application,
    ApplicationState,
    Attendance,
    Circle,
    Meeting,
    MeetingForm,
    MeetingState,
    Membership,
)
from noloc_portal.documents.services import store_bytes
from tests.factories import Role, UserFactory
from tests.pdf_files import MINIMAL_PDF

PDF_BYTES = MINIMAL_PDF


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Kwaliteitskring Test {n}")
    region = "Utrecht"
    coordinator = factory.SubFactory(UserFactory, roles=[Role.CIRCLE_COORDINATOR])
    capacity = 16
    started_on = date(2020, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    circle = factory.SubFactory(CircleFactory)
    member = factory.SubFactory(UserFactory, roles=[Role.PROFESSIONAL])
    year = 2026


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    circle = factory.SubFactory(CircleFactory)
    date = date(2026, 3, 10)
    start_time = time(19, 30)
    place = "Utrecht"
    form = MeetingForm.CASE_DISCUSSION
    theme = factory.Sequence(lambda n: f"Thema {n}")
    state = MeetingState.PLANNED


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    circle = factory.SubFactory(CircleFactory)
    applicant = factory.SubFactory(UserFactory, roles=[Role.PROFESSIONAL])
    cv = factory.LazyAttribute(
        lambda o: store_bytes(
            data=PDF_BYTES, name="cv.pdf", content_type="application/pdf", owner=o.applicant
        )
    )
    expectations = "Graag leren van collega's."
    state = ApplicationState.SUBMITTED
    submitted_at = factory.Sequence(
        lambda n: timezone.make_aware(datetime(2026, 1, 1, 9)) + timezone.timedelta(hours=n)
    )


def held_meeting(circle, day: date, present=(), absent=(), **kwargs) -> Meeting:
    """A held meeting with its attendance list."""
    meeting = MeetingFactory(circle=circle, date=day, state=MeetingState.HELD, **kwargs)
    for user in present:
        Attendance.objects.create(meeting=meeting, participant=user, present=True)
    for user in absent:
        Attendance.objects.create(meeting=meeting, participant=user, present=False)
    return meeting
