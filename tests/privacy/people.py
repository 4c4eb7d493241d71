"""The people whose data the privacy tests download and remove: a professional with portfolios
(a draft full of evidence, a decided one with its registration), a circle member, an assessor,
and someone else whose rows must never appear in another person's download."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from assessments.models import AssignmentState, Judgement
from assessments.services import record_decision
from kwaliteitskringen.models import MeetingRegistration
from noloc_portal.privacy import services
from portfolios.models import Portfolio
from tests.assessments.coordination import (
    advised_on,
    advised_portfolio,
    assign,
    submitted_round,
)
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import (
    ApplicationFactory,
    CircleFactory,
    MeetingFactory,
    MembershipFactory,
    held_meeting,
)
from tests.portfolios.factories import DocumentFactory, PEActivityFactory, complete_portfolio


@dataclass
class People:
    professional: object
    draft: Portfolio
    decided: Portfolio
    member: object
    assessor: object
    other: object
    other_portfolio: Portfolio


def make_people() -> People:
    professional = user_with(Role.PROFESSIONAL, full_name="Petra Professional", place="Zwolle")
    draft = complete_portfolio(owner=professional)
    PEActivityFactory(
        portfolio=draft,
        title="Masterclass motiverende gespreksvoering",
        evidence=DocumentFactory(owner=professional, original_name="masterclass-bewijs.pdf"),
    )
    decided = advised_portfolio(owner=professional)
    advised_on(decided, date(2026, 1, 10))
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    record_decision(
        portfolio=decided, by=coordinator, outcome="positive", decided_on=date(2026, 1, 15)
    )

    member = user_with(Role.PROFESSIONAL, full_name="Maarten Kringlid")
    circle = CircleFactory(name="Kring Zwolle-Noord")
    MembershipFactory(circle=circle, member=member, year=2026)
    held_meeting(circle, date(2026, 2, 10), present=[member], theme="Intervisie over ethiek")
    MeetingRegistration.objects.create(
        meeting=MeetingFactory(circle=circle, date=date(2026, 12, 1)), participant=member
    )
    ApplicationFactory(
        circle=CircleFactory(name="Kring Deventer"),
        applicant=member,
        expectations="Ik wil leren van collega's in de regio.",
    )

    assessor = user_with(Role.ASSESSOR, full_name="Anna Assessor")
    round_ = submitted_round()
    assignment = assign(round_, assessor=assessor, state=AssignmentState.JUDGED)
    Judgement.objects.create(
        assignment=assignment,
        criterion="jc-a1",
        verdict="meets",
        explanation="Verklaring van de werkgever is helder.",
    )

    other = user_with(Role.PROFESSIONAL, full_name="Olga Anderspersoon")
    other_portfolio = complete_portfolio(owner=other)
    PEActivityFactory(
        portfolio=other_portfolio,
        title="Cursus van Olga",
        evidence=DocumentFactory(owner=other, original_name="olga-geheim.pdf"),
    )
    other_circle = CircleFactory(name="Kring van Olga")
    MembershipFactory(circle=other_circle, member=other, year=2026)
    held_meeting(other_circle, date(2026, 2, 11), present=[other], theme="Thema van Olga")
    return People(professional, draft, decided, member, assessor, other, other_portfolio)


def built_export(user, capture):
    """Ask for the download of ``user`` and return it built (the task runs on commit)."""
    with capture(execute=True):
        export = services.request_data_export(user=user)
    export.refresh_from_db()
    return export


def open_zip(export) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))
