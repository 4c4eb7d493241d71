"""Founding a circle, interest where no circle has room, and the regional chair: the
transitions, each named after what a user notices."""

from datetime import timedelta

import pytest
from django.core import mail

from kwaliteitskringen import selectors, services
from kwaliteitskringen.models import (
    Circle,
    CircleStatus,
    FoundingRequest,
    FoundingState,
    Interest,
    InterestInvitation,
    InterestState,
    Membership,
    RegionalChair,
)
from kwaliteitskringen.services import TransitionError
from noloc_portal.accounts.otp import mfa_required
from tests.factories import Role, user_with
from tests.kwaliteitskringen.conftest import TODAY
from tests.kwaliteitskringen.factories import CircleFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _request(founder=None, **fields) -> FoundingRequest:
    return services.submit_founding_request(
        founder=founder or user_with(Role.PROFESSIONAL),
        **{
            "name": "Kwaliteitskring Amersfoort",
            "region": "Utrecht",
            "meeting_place": "Bibliotheek Amersfoort",
            "rhythm": "zes keer per jaar op dinsdagavond",
            "motivation": "In Amersfoort en omgeving is nog geen kring.",
            **fields,
        },
    )


@pytest.fixture
def secretariat(db):
    return user_with(Role.SECRETARIAT, is_staff=True)


@pytest.fixture
def chair(db):
    person = user_with(Role.PROFESSIONAL, email="voorzitter@example.org")
    services.appoint_regional_chair(
        user=person, region="Utrecht", by=user_with(Role.SECRETARIAT, is_staff=True)
    )
    return person


def _to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


# --- founding a circle ----------------------------------------------------------------------


def test_founding_request_approved_makes_an_open_circle_with_the_founder_as_coordinator(
    secretariat, chair, django_capture_on_commit_callbacks
):
    founder = user_with(Role.PROFESSIONAL, email="stichter@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        founding = _request(founder)
        services.register_interest(email="wacht@example.org", region="utrecht", consent=True)
        services.register_interest(email="elders@example.org", region="Drenthe", consent=True)
        gone = services.register_interest(email="weg@example.org", region="Utrecht", consent=True)
        services.withdraw_interest(interest=gone)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        founding = services.approve_founding_request(founding=founding, by=secretariat)

    circle = founding.circle
    assert founding.state == FoundingState.APPROVED and founding.decided_by == secretariat
    assert (circle.name, circle.region, circle.coordinator) == (
        "Kwaliteitskring Amersfoort",
        "Utrecht",
        founder,
    )
    assert circle.status == CircleStatus.OPEN and circle.started_on == TODAY
    assert "Bibliotheek Amersfoort" in circle.description
    founder = type(founder).objects.get(pk=founder.pk)
    assert founder.has_role(Role.CIRCLE_COORDINATOR)
    assert Membership.objects.filter(circle=circle, member=founder, year=2026).exists()
    # The founder, the region's chair and the interested person of the region hear of it.
    assert "opgericht" in _to("stichter@example.org")[0].subject
    assert "Kwaliteitskring Amersfoort" in _to("voorzitter@example.org")[0].body
    invitation = _to("wacht@example.org")[0]
    assert f"/kwaliteitskringen/kring/{circle.pk}/aanmelden/" in invitation.body
    assert not _to("elders@example.org") and not _to("weg@example.org")
    assert InterestInvitation.objects.get().circle == circle
    assert selectors.circles_managed_by(founder).get() == circle


def test_double_approve_is_one_transition(secretariat, django_capture_on_commit_callbacks):
    founding = _request()
    services.register_interest(email="wacht@example.org", region="Utrecht", consent=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.approve_founding_request(founding=founding, by=secretariat)
        second = services.approve_founding_request(founding=founding, by=secretariat)
    assert first.circle == second.circle
    assert Circle.objects.count() == 1
    assert len(_to("wacht@example.org")) == 1
    assert len(_to(founding.founder.email)) == 1


def test_founding_request_declined_needs_a_reason_and_tells_the_founder(
    secretariat, django_capture_on_commit_callbacks
):
    founding = _request()
    with pytest.raises(TransitionError, match="reden"):
        services.decline_founding_request(founding=founding, reason="  ", by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        founding = services.decline_founding_request(
            founding=founding, reason="Er start al een kring in Amersfoort.", by=secretariat
        )
    assert founding.state == FoundingState.DECLINED and not Circle.objects.exists()
    assert "Er start al een kring in Amersfoort." in mail.outbox[-1].body
    # A second click lands on the same result.
    assert services.decline_founding_request(founding=founding, reason="x", by=secretariat)


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("approve", "decline", "afwijzen kan niet meer"),
        ("decline", "approve", "goedkeuren kan niet meer"),
        ("withdraw", "approve", "goedkeuren kan niet meer"),
        ("approve", "withdraw", "niet meer worden ingetrokken"),
    ],
)
def test_founding_request_from_the_wrong_state_is_refused(secretariat, first, then, message):
    founding = _request()
    calls = {
        "approve": lambda: services.approve_founding_request(founding=founding, by=secretariat),
        "decline": lambda: services.decline_founding_request(
            founding=founding, reason="Nee", by=secretariat
        ),
        "withdraw": lambda: services.withdraw_founding_request(
            founding=founding, by=founding.founder
        ),
    }
    calls[first]()
    with pytest.raises(TransitionError, match=message):
        calls[then]()


def test_only_the_secretariat_decides_on_a_founding_request():
    founding = _request()
    coordinator = user_with(Role.CIRCLE_COORDINATOR)
    for call in (
        lambda: services.approve_founding_request(founding=founding, by=coordinator),
        lambda: services.approve_founding_request(founding=founding, by=founding.founder),
        lambda: services.decline_founding_request(founding=founding, reason="x", by=coordinator),
    ):
        with pytest.raises(TransitionError, match="secretariaat"):
            call()
    founding.refresh_from_db()
    assert founding.state == FoundingState.SUBMITTED


def test_a_second_request_returns_the_open_one_and_a_taken_name_is_refused():
    founder = user_with(Role.PROFESSIONAL)
    first = _request(founder)
    assert _request(founder, name="Iets anders") == first
    CircleFactory(name="Kring Zeist")
    with pytest.raises(TransitionError, match="bestaat al"):
        _request(name="kring zeist")


def test_approval_is_refused_when_the_name_was_taken_meanwhile(secretariat):
    founding = _request()
    CircleFactory(name="Kwaliteitskring Amersfoort")
    with pytest.raises(TransitionError, match="bestaat al"):
        services.approve_founding_request(founding=founding, by=secretariat)
    founding.refresh_from_db()
    assert founding.state == FoundingState.SUBMITTED


# --- interest -------------------------------------------------------------------------------


def test_interest_registered_is_confirmed_with_a_link_to_renew_or_withdraw(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.register_interest(
            email=" Iemand@Example.org ", region="Drenthe", consent=True
        )
    assert (interest.email, interest.state) == ("iemand@example.org", InterestState.ACTIVE)
    assert interest.expires_on == TODAY + timedelta(days=365)
    assert f"/kwaliteitskringen/belangstelling/{interest.token}/" in mail.outbox[0].body
    assert "Drenthe" in mail.outbox[0].subject


def test_interest_registered_twice_renews_instead_of_duplicating(monkeypatch):
    first = services.register_interest(email="a@example.org", region="Drenthe", consent=True)
    monkeypatch.setattr("kwaliteitskringen.clock.today", lambda: TODAY + timedelta(days=100))
    again = services.register_interest(email="A@example.org", region="drenthe", consent=True)
    assert again.pk == first.pk and Interest.objects.count() == 1
    assert again.expires_on == TODAY + timedelta(days=465)


def test_interest_needs_consent():
    with pytest.raises(TransitionError, match="toestemming"):
        services.register_interest(email="a@example.org", region="Drenthe", consent=False)
    assert not Interest.objects.exists()


def test_interest_expires_after_a_year_unless_renewed(django_capture_on_commit_callbacks):
    interest = services.register_interest(email="a@example.org", region="Drenthe", consent=True)
    mail.outbox.clear()
    end = interest.expires_on
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_interests(as_of=end - timedelta(days=31)) == (0, 0)
        assert services.expire_interests(as_of=end - timedelta(days=30)) == (1, 0)
        assert services.expire_interests(as_of=end - timedelta(days=29)) == (0, 0)  # once
        assert services.expire_interests(as_of=end) == (0, 0)  # valid through its last day
        assert services.expire_interests(as_of=end + timedelta(days=1)) == (0, 1)
    assert len(mail.outbox) == 1 and interest.token in mail.outbox[0].body
    interest.refresh_from_db()
    assert interest.state == InterestState.EXPIRED and interest.ended_at


def test_interest_renewed_from_the_link_also_after_it_expired(monkeypatch):
    interest = services.register_interest(email="a@example.org", region="Drenthe", consent=True)
    later = interest.expires_on + timedelta(days=10)
    services.expire_interests(as_of=later)
    renewed = services.renew_interest(interest=interest, as_of=later)
    assert renewed.state == InterestState.ACTIVE
    assert renewed.expires_on == later + timedelta(days=365) and renewed.reminded_at is None
    assert services.renew_interest(interest=interest, as_of=later).expires_on == (
        renewed.expires_on
    )


def test_interest_invited_to_a_circle_once(secretariat, django_capture_on_commit_callbacks):
    circle = CircleFactory(name="Kring Assen", region="Drenthe")
    interest = services.register_interest(email="a@example.org", region="Drenthe", consent=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_interest(interest=interest, circle=circle, by=secretariat)
        second = services.invite_interest(interest=interest, circle=circle, by=secretariat)
    assert first == second and len(mail.outbox) == 1
    assert "Kring Assen" in mail.outbox[0].subject
    assert f"/kring/{circle.pk}/aanmelden/" in mail.outbox[0].body
    assert circle.events.filter(action="interest_invited").count() == 1


def test_interest_invitation_refused_when_expired_full_or_not_the_secretariat(secretariat):
    circle = CircleFactory(region="Drenthe")
    full = CircleFactory(region="Drenthe", status=CircleStatus.FULL)
    interest = services.register_interest(email="a@example.org", region="Drenthe", consent=True)
    with pytest.raises(TransitionError, match="vol"):
        services.invite_interest(interest=interest, circle=full, by=secretariat)
    with pytest.raises(TransitionError, match="secretariaat"):
        services.invite_interest(interest=interest, circle=circle, by=circle.coordinator)
    services.withdraw_interest(interest=interest)
    with pytest.raises(TransitionError, match="ingetrokken"):
        services.invite_interest(interest=interest, circle=circle, by=secretariat)
    assert not InterestInvitation.objects.exists()


# --- the regional chair ---------------------------------------------------------------------


def test_appointing_a_chair_grants_the_role_with_the_second_login_step(secretariat):
    person = user_with(Role.PROFESSIONAL)
    assert not mfa_required(person)
    services.appoint_regional_chair(user=person, region="Utrecht", by=secretariat)
    services.appoint_regional_chair(user=person, region="utrecht", by=secretariat)
    chair = services.appoint_regional_chair(user=person, region="Gelderland", by=secretariat)
    person = type(person).objects.get(pk=person.pk)
    assert person.has_role(Role.REGIONAL_CHAIR) and mfa_required(person)
    assert RegionalChair.objects.filter(user=person).count() == 2
    services.dismiss_regional_chair(
        chair=RegionalChair.objects.get(region="Utrecht"), by=secretariat
    )
    assert type(person).objects.get(pk=person.pk).has_role(Role.REGIONAL_CHAIR)
    services.dismiss_regional_chair(chair=chair, by=secretariat)
    assert not type(person).objects.get(pk=person.pk).has_role(Role.REGIONAL_CHAIR)


def test_the_chair_is_copied_on_what_the_circles_of_the_region_send(
    chair, django_capture_on_commit_callbacks
):
    from kwaliteitskringen.models import AnnualReport

    circle = CircleFactory(name="Kring Utrecht", region="Utrecht")
    elsewhere = CircleFactory(name="Kring Assen", region="Drenthe")
    coordinator = circle.coordinator
    members = [MembershipFactory(circle=circle).member for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        report = AnnualReport.objects.create(
            circle=circle, year=2025, objective="Doel", narrative="Wat we deden"
        )
        services.submit_annual_report(report=report, by=coordinator)
        claim = services.prepare_subsidy_claim(circle=circle, year=2026, by=coordinator)
        services.submit_subsidy_claim(claim=claim, by=coordinator)
        services.split_circle(
            circle=circle,
            name="Kring Utrecht-Oost",
            region="Utrecht",
            memberships=list(Membership.objects.filter(member=members[0])),
            applications=[],
            by=coordinator,
        )
        other = AnnualReport.objects.create(
            circle=elsewhere, year=2025, objective="Doel", narrative="Wat we deden"
        )
        services.submit_annual_report(report=other, by=elsewhere.coordinator)
    subjects = sorted(message.subject for message in _to("voorzitter@example.org"))
    assert subjects == [
        "Jaarverslag 2025 van Kring Utrecht ingediend",
        "Kring Utrecht is gesplitst: Kring Utrecht-Oost",
        "Subsidiedeclaratie 2026 van Kring Utrecht ingediend",
    ]


def test_a_split_into_another_region_copies_the_chairs_of_both(
    chair, django_capture_on_commit_callbacks
):
    gelderland = user_with(Role.PROFESSIONAL, email="gelderland@example.org")
    RegionalChair.objects.create(user=gelderland, region="Gelderland")
    circle = CircleFactory(name="Kring Utrecht", region="Utrecht")
    with django_capture_on_commit_callbacks(execute=True):
        services.split_circle(
            circle=circle,
            name="Kring Arnhem",
            region="Gelderland",
            memberships=[],
            applications=[],
            by=circle.coordinator,
        )
    assert len(_to("voorzitter@example.org")) == len(_to("gelderland@example.org")) == 1
