"""Asking for removal, withdrawing, declining, and carrying it out: what is erased and what the
certifying body keeps."""

import pytest
from django.core import mail
from django.db import IntegrityError

from assessments.models import Assignment, Decision, Judgement, Registration
from kwaliteitskringen.models import (
    Application,
    Attendance,
    MeetingRegistration,
    Membership,
    MembershipState,
)
from noloc_portal.documents.models import Document
from noloc_portal.privacy import services
from noloc_portal.privacy.models import AccountRemovalRequest, DataExport, RemovalState
from portfolios.models import Portfolio, PortfolioState
from tests.assessments.coordination import assign, submitted_round
from tests.factories import PASSWORD, Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory
from tests.privacy.people import built_export, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(db):
    return user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)


def _ask(user, capture, reason=""):
    with capture(execute=True):
        return services.request_removal(user=user, reason=reason)


def test_asking_sends_a_confirmation_and_only_one_request_is_open(
    django_capture_on_commit_callbacks,
):
    person = user_with(Role.PROFESSIONAL)
    request = _ask(person, django_capture_on_commit_callbacks, reason="Ik stop met het vak.")
    assert request.state == RemovalState.REQUESTED
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "verwijder" in message.subject.lower()
    with pytest.raises(services.RemovalError, match="al om verwijdering"):
        services.request_removal(user=person)
    # The database holds the same line, for a request that slips past the check.
    with pytest.raises(IntegrityError):
        AccountRemovalRequest.objects.create(user=person)


def test_withdrawing_closes_the_request_and_a_new_one_can_follow(
    django_capture_on_commit_callbacks,
):
    person = user_with(Role.PROFESSIONAL)
    request = _ask(person, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_removal(request=request, by=person)
    request.refresh_from_db()
    assert request.state == RemovalState.WITHDRAWN
    assert request.withdrawn_at is not None
    assert "ingetrokken" in mail.outbox[-1].subject
    with pytest.raises(services.RemovalError):
        services.withdraw_removal(request=request, by=person)
    assert _ask(person, django_capture_on_commit_callbacks).is_open
    person.refresh_from_db()
    assert person.is_active


def test_declining_needs_a_note_which_the_person_reads(
    secretariat, django_capture_on_commit_callbacks
):
    person = user_with(Role.PROFESSIONAL)
    request = _ask(person, django_capture_on_commit_callbacks)
    with pytest.raises(services.RemovalError):
        services.decline_removal(request=request, by=secretariat, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_removal(
            request=request, by=secretariat, note="Je dossier loopt nog; vraag het na afloop."
        )
    request.refresh_from_db()
    assert (request.state, request.handled_by) == (RemovalState.DECLINED, secretariat)
    assert "Je dossier loopt nog" in mail.outbox[-1].body
    person.refresh_from_db()
    assert person.is_active
    with pytest.raises(services.RemovalError):
        services.carry_out_removal(request=request, by=secretariat)


def test_carrying_out_keeps_registration_and_decision_and_erases_the_rest(
    client, secretariat, django_capture_on_commit_callbacks
):
    people = make_people()
    person = people.professional
    address = person.email
    built_export(person, django_capture_on_commit_callbacks)
    draft_files = [
        people.draft.cv.file.name,
        Document.objects.get(original_name="masterclass-bewijs.pdf").file.name,
    ]
    request = _ask(person, django_capture_on_commit_callbacks, reason="Geen tijd meer.")
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_removal(request=request, by=secretariat, note="Uitgevoerd.")

    person.refresh_from_db()
    assert not person.is_active
    assert not person.has_usable_password()
    assert person.email != address and person.email.endswith(".invalid")
    assert person.place == ""
    assert not person.role_grants.exists()
    # Registrations and decisions are records of the certifying body: kept, with the name.
    assert Registration.objects.filter(owner=person).count() == 1
    assert Decision.objects.filter(portfolio=people.decided).exists()
    assert person.full_name == "Petra Professional"
    # The draft and its evidence are gone, files included; the decided portfolio stays.
    assert not Portfolio.objects.filter(pk=people.draft.pk).exists()
    assert Portfolio.objects.filter(pk=people.decided.pk, state=PortfolioState.DECIDED).exists()
    assert not Document.objects.filter(original_name="masterclass-bewijs.pdf").exists()
    storage = Document._meta.get_field("file").storage
    assert not any(storage.exists(name) for name in draft_files)
    assert not DataExport.objects.filter(user=person).exists()

    request.refresh_from_db()
    assert (request.state, request.handled_by) == (RemovalState.DONE, secretariat)
    assert request.outcome["naam_bewaard"] is True
    message = mail.outbox[-1]
    assert message.to == [address]
    assert "Petra" in message.body and "Uitgevoerd." in message.body
    # Logging in no longer works.
    assert not client.login(username=address, password=PASSWORD)
    # Someone else's rows are untouched.
    assert Portfolio.objects.filter(pk=people.other_portfolio.pk).exists()


def test_a_circle_member_without_certification_records_loses_name_and_circle_details(
    secretariat, django_capture_on_commit_callbacks
):
    people = make_people()
    member = people.member
    request = _ask(member, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_removal(request=request, by=secretariat)
    member.refresh_from_db()
    assert member.full_name.startswith("Verwijderde gebruiker")
    assert member.membership_number == ""
    # The history that backs the annual report and subsidy stays; the membership has ended.
    membership = Membership.objects.get(member=member)
    assert membership.state == MembershipState.REMOVED
    assert not membership.name_in_annual_report
    assert Attendance.objects.filter(participant=member).count() == 1
    # Applications with their CV and meeting sign-ups are erased.
    assert not Application.objects.filter(applicant=member).exists()
    assert not MeetingRegistration.objects.filter(participant=member).exists()
    assert not Document.objects.filter(owner=member).exists()


def test_an_assessors_judgements_are_kept(secretariat, django_capture_on_commit_callbacks):
    people = make_people()
    request = _ask(people.assessor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_removal(request=request, by=secretariat)
    people.assessor.refresh_from_db()
    assert not people.assessor.is_active
    assert people.assessor.full_name == "Anna Assessor"
    assert Judgement.objects.filter(assignment__assessor=people.assessor).count() == 1


def test_removal_waits_for_running_procedures(secretariat, django_capture_on_commit_callbacks):
    assessor = user_with(Role.ASSESSOR)
    assign(submitted_round(), assessor=assessor)
    coordinator = CircleFactory().coordinator
    in_assessment = submitted_round().portfolio
    for person in (assessor, coordinator, in_assessment.owner):
        request = _ask(person, django_capture_on_commit_callbacks)
        assert services.removal_blockers(person)
        with pytest.raises(services.RemovalError):
            services.carry_out_removal(request=request, by=secretariat)
        person.refresh_from_db()
        assert person.is_active
        request.refresh_from_db()
        assert request.is_open
    assert Assignment.objects.filter(assessor=assessor).exists()


def test_the_secretariat_does_not_remove_its_own_account(
    secretariat, django_capture_on_commit_callbacks
):
    request = _ask(secretariat, django_capture_on_commit_callbacks)
    with pytest.raises(services.RemovalError):
        services.carry_out_removal(request=request, by=secretariat)


def test_a_withdrawn_portfolio_with_its_submission_is_erased(
    secretariat, django_capture_on_commit_callbacks
):
    from assessments.models import AssessmentRound
    from tests.portfolios.factories import PortfolioFactory

    portfolio = PortfolioFactory(state=PortfolioState.WITHDRAWN)
    submission = portfolio.submissions.create(
        number=1, submitted_by=portfolio.owner, document={}, evaluation={}
    )
    AssessmentRound.objects.create(portfolio=portfolio, number=1, submission=submission)
    request = _ask(portfolio.owner, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_removal(request=request, by=secretariat)
    assert not Portfolio.objects.filter(pk=portfolio.pk).exists()
    request.refresh_from_db()
    assert request.outcome["portfolios_verwijderd"] == 1
