"""Transitions of workflow.md (quality circle), named after the rule they enforce."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from kwaliteitskringen import rules, selectors, services
from kwaliteitskringen.models import (
    ApplicationState,
    Attendance,
    CircleRules,
    CircleStatus,
    ClaimState,
    Meeting,
    MeetingRegistration,
    MeetingState,
    Membership,
    MembershipState,
    ReportState,
    Subgroup,
)
from kwaliteitskringen.services import TransitionError
from tests.factories import Role, user_with
from tests.kwaliteitskringen.conftest import TODAY
from tests.kwaliteitskringen.factories import (
    ApplicationFactory,
    CircleFactory,
    MeetingFactory,
    MembershipFactory,
    held_meeting,
)

pytestmark = pytest.mark.django_db


def members(circle, n, year=2026):
    return [MembershipFactory(circle=circle, year=year).member for _ in range(n)]


def signal_kinds(circle, as_of=TODAY):
    return sorted(s.kind for s in selectors.circle_signals(circle, as_of=as_of)[0])


# --- KK-2: thresholds at their edges --------------------------------------------------------


@pytest.mark.parametrize(("count", "flagged"), [(7, True), (8, False)])
def test_kk2_fewer_than_8_participants_is_signalled(count, flagged):
    circle = CircleFactory()
    people = members(circle, count)
    for month in range(1, 6):
        held_meeting(circle, date(2026, month, 10), present=people, host=people[month])
    assert ("participants" in signal_kinds(circle)) is flagged


@pytest.mark.parametrize(("count", "flagged"), [(4, True), (5, False)])
def test_kk2_fewer_than_5_meetings_held_or_planned_is_signalled(count, flagged):
    circle = CircleFactory()
    people = members(circle, 8)
    for month in range(1, count):
        held_meeting(circle, date(2026, month, 10), present=people)
    MeetingFactory(circle=circle, date=date(2026, 12, 8))  # planned counts
    MeetingFactory(circle=circle, date=date(2026, 12, 9), state=MeetingState.CANCELLED)
    assert ("meetings" in signal_kinds(circle)) is flagged


def test_kk2_thresholds_come_from_the_rules_the_admin_edits():
    circle = CircleFactory()
    members(circle, 7)
    assert "participants" in signal_kinds(circle)
    CircleRules.objects.create(effective_year=2026, min_participants=6)
    assert "participants" not in signal_kinds(circle)


def test_kk2_lapsed_and_removed_members_do_not_count_this_year():
    circle = CircleFactory()
    people = members(circle, 8)
    services.remove_member(
        membership=Membership.objects.get(member=people[0]),
        reason="Verhuisd",
        by=circle.coordinator,
    )
    assert selectors.participant_count(circle, 2026) == 7


# --- KK-3: absences and contributions -------------------------------------------------------


def test_kk3_two_consecutive_absences_raise_a_signal_two_non_consecutive_do_not():
    circle = CircleFactory()
    ruud, hanneke, anna = members(circle, 3)
    held_meeting(circle, date(2026, 3, 1), present=[anna, ruud], absent=[hanneke])
    held_meeting(circle, date(2026, 5, 1), present=[anna, hanneke], absent=[ruud])
    MeetingFactory(circle=circle, date=date(2026, 6, 1), state=MeetingState.CANCELLED)
    held_meeting(circle, date(2026, 7, 1), present=[anna], absent=[ruud, hanneke])
    absent = [s for s in selectors.circle_signals(circle, as_of=TODAY)[0] if s.kind == "absent"]
    assert [s.values["name"] for s in absent] == [ruud]
    assert [s.membership_id for s in absent] == [
        Membership.objects.get(circle=circle, member=ruud, year=TODAY.year).pk
    ]


def test_kk3_signals_agree_with_the_rule_on_every_sequence_of_four_meetings():
    """The database finds the runs of absences; the rule says what a run is. Each member has
    another sequence of present, absent and no record over four held meetings, with a
    cancelled, a planned, a subgroup meeting and one of last year in between."""
    circle = CircleFactory()
    sequences = list(itertools.product((True, False, None), repeat=4))
    people = members(circle, len(sequences))
    days = [date(2026, month, 1) for month in (2, 4, 6, 8)]
    held = [MeetingFactory(circle=circle, date=day, state=MeetingState.HELD) for day in days]
    MeetingFactory(circle=circle, date=date(2026, 3, 1), state=MeetingState.CANCELLED)
    MeetingFactory(circle=circle, date=date(2026, 12, 1))
    others = [
        MeetingFactory(circle=circle, date=date(2025, 12, 1), state=MeetingState.HELD),
        MeetingFactory(
            circle=circle,
            date=date(2026, 5, 1),
            state=MeetingState.HELD,
            subgroup=Subgroup.objects.create(circle=circle, name="Intervisie"),
        ),
    ]
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, participant=person, present=mark)
            for person, sequence in zip(people, sequences, strict=True)
            for meeting, mark in zip(held, sequence, strict=True)
            if mark is not None
        ]
        + [Attendance(meeting=m, participant=p, present=False) for m in others for p in people]
    )
    signals = {
        s.values["name"]: s
        for s in selectors.circle_signals(circle, as_of=TODAY)[0]
        if s.kind == "absent"
    }
    for person, sequence in zip(people, sequences, strict=True):
        flagged = rules.absent_twice_in_a_row(sequence)
        assert (person in signals) is flagged, sequence
        if flagged:
            absent = [
                meeting for meeting, mark in zip(held, sequence, strict=True) if mark is False
            ]
            assert signals[person].absent_on == tuple(meeting.date for meeting in absent)
            assert signals[person].key == f"absent:{person.pk}:{absent[-1].pk}"


def test_kk3_member_without_contribution_is_signalled_until_one_is_recorded():
    circle = CircleFactory()
    (quiet,) = members(circle, 1)
    assert "contribution" in signal_kinds(circle)
    services.record_contribution(
        circle=circle,
        participant=quiet,
        on=TODAY,
        description="Casus ingebracht",
        by=circle.coordinator,
    )
    assert "contribution" not in signal_kinds(circle)


def test_kk3_hosting_a_held_meeting_counts_as_a_contribution():
    circle = CircleFactory()
    (host,) = members(circle, 1)
    held_meeting(circle, date(2026, 4, 1), present=[host], host=host)
    assert "contribution" not in signal_kinds(circle)


def test_signal_dismissed_with_a_note_stays_away_and_a_double_click_is_harmless():
    circle = CircleFactory()
    members(circle, 1)
    signal = next(s for s in selectors.circle_signals(circle, as_of=TODAY)[0])
    with pytest.raises(TransitionError, match="waarom"):
        services.dismiss_signal(circle=circle, key=signal.key, note=" ", by=circle.coordinator)
    for _ in range(2):
        services.dismiss_signal(
            circle=circle, key=signal.key, note="Nieuwe leden in januari", by=circle.coordinator
        )
    keys = [s.key for s in selectors.circle_signals(circle, as_of=TODAY)[0]]
    assert signal.key not in keys


def test_kk3_coordinator_removes_a_member_with_a_reason_only():
    circle = CircleFactory()
    membership = MembershipFactory(circle=circle)
    with pytest.raises(TransitionError, match="reden"):
        services.remove_member(membership=membership, reason="", by=circle.coordinator)
    with pytest.raises(TransitionError, match="rechten"):
        services.remove_member(membership=membership, reason="Afwezig", by=membership.member)
    services.remove_member(membership=membership, reason="Twee keer afwezig", by=circle.coordinator)
    again = services.remove_member(membership=membership, reason="x", by=circle.coordinator)
    assert again.state == MembershipState.REMOVED and again.end_reason == "Twee keer afwezig"


# --- KK-7: hosting rotation -----------------------------------------------------------------


def test_kk7_rotation_shows_who_hosted_when_and_who_is_due():
    circle = CircleFactory()
    recent, long_ago, never, planned = members(circle, 4)
    held_meeting(circle, date(2026, 2, 1), host=recent)
    held_meeting(circle, date(2024, 11, 1), host=long_ago)
    MeetingFactory(circle=circle, date=date(2026, 12, 8), host=planned)
    rows = {
        r["member"]: r for r in selectors.hosting_rotation(circle, as_of=TODAY, interval_years=2)
    }
    assert rows[recent]["last"] == date(2026, 2, 1) and not rows[recent]["due"]
    assert rows[long_ago]["due"] and rows[never]["due"]
    assert not rows[planned]["due"]
    assert signal_kinds(circle).count("hosting") == 2


# --- KK-4 … KK-6: applications, waiting list, trial ------------------------------------------


def test_kk6_waiting_list_is_ordered_by_application_date_and_position_is_shown():
    circle = CircleFactory(status=CircleStatus.WAITING_LIST)
    late = ApplicationFactory(
        circle=circle, submitted_at=ApplicationFactory.submitted_at.function(9)
    )
    early = ApplicationFactory(
        circle=circle, submitted_at=ApplicationFactory.submitted_at.function(1)
    )
    for application in (late, early):
        services.waitlist_application(application=application, by=circle.coordinator)
    assert list(selectors.waiting_list(circle)) == [early, late]
    late.refresh_from_db()
    early.refresh_from_db()
    assert selectors.waiting_list_position(early) == 1
    assert selectors.waiting_list_position(late) == 2


def test_kk6_only_the_first_on_the_waiting_list_is_invited():
    circle = CircleFactory()
    first = ApplicationFactory(circle=circle, state=ApplicationState.WAITLISTED)
    second = ApplicationFactory(circle=circle, state=ApplicationState.WAITLISTED)
    with pytest.raises(TransitionError, match="eerder op de wachtlijst"):
        services.accept_for_trial(application=second, by=circle.coordinator)
    assert services.accept_for_trial(application=first, by=circle.coordinator).state == "trial"
    assert services.accept_for_trial(application=second, by=circle.coordinator).state == "trial"


def test_kk5_trial_needs_room_in_the_circle():
    circle = CircleFactory(capacity=2)
    members(circle, 2)
    application = ApplicationFactory(circle=circle)
    with pytest.raises(TransitionError, match="vol"):
        services.accept_for_trial(application=application, by=circle.coordinator)
    services.waitlist_application(application=application, by=circle.coordinator)
    application.refresh_from_db()
    assert application.state == ApplicationState.WAITLISTED


def test_kk4_decline_needs_a_reason_and_tells_the_applicant(django_capture_on_commit_callbacks):
    circle = CircleFactory()
    application = ApplicationFactory(circle=circle)
    with pytest.raises(TransitionError, match="reden"):
        services.decline_application(application=application, reason=" ", by=circle.coordinator)
    with pytest.raises(TransitionError, match="rechten"):
        services.decline_application(application=application, reason="x", by=user_with())
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_application(
            application=application,
            reason="Nog te weinig ervaring in het vak",
            by=circle.coordinator,
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.DECLINED
    assert "Nog te weinig ervaring" in mail.outbox[0].body
    with pytest.raises(TransitionError, match="afgewezen"):
        services.accept_for_trial(application=application, by=circle.coordinator)


def test_kk5_trial_of_two_consecutive_meetings_then_the_applicant_joins():
    circle = CircleFactory()
    application = ApplicationFactory(circle=circle)
    services.accept_for_trial(
        application=application, by=circle.coordinator, as_of=date(2026, 3, 1)
    )
    applicant = application.applicant
    held_meeting(circle, date(2026, 3, 10), present=[applicant])
    held_meeting(circle, date(2026, 4, 10), absent=[applicant])
    held_meeting(circle, date(2026, 5, 10), present=[applicant])
    services.record_trial_fee(application=application, amount=Decimal("15"), by=circle.coordinator)
    with pytest.raises(TransitionError, match="opeenvolgende"):
        services.join_circle(application=application, by=applicant)
    held_meeting(circle, date(2026, 6, 10), present=[applicant])
    membership = services.join_circle(application=application, by=applicant)
    assert membership.year == 2026 and membership.state == MembershipState.ACTIVE
    assert services.join_circle(application=application, by=applicant) == membership  # double click


def test_kk5_joining_needs_the_trial_contribution_recorded():
    circle = CircleFactory()
    application = ApplicationFactory(circle=circle)
    services.accept_for_trial(
        application=application, by=circle.coordinator, as_of=date(2026, 3, 1)
    )
    held_meeting(circle, date(2026, 3, 10), present=[application.applicant])
    held_meeting(circle, date(2026, 4, 10), present=[application.applicant])
    with pytest.raises(TransitionError, match="bijdrage"):
        services.join_circle(application=application, by=application.applicant)


def test_applying_twice_returns_the_open_application_and_a_full_circle_refuses():
    circle = CircleFactory()
    first = ApplicationFactory(circle=circle)
    again = services.apply_to_circle(
        circle=circle, applicant=first.applicant, cv=first.cv, expectations="Nogmaals"
    )
    assert again == first
    full = CircleFactory(status=CircleStatus.FULL)
    with pytest.raises(TransitionError, match="vol"):
        services.apply_to_circle(
            circle=full, applicant=first.applicant, cv=first.cv, expectations="x"
        )


def test_kk6_split_moves_members_and_waiting_applicants_keeping_history():
    circle = CircleFactory(capacity=3)
    people = members(circle, 3)
    waiting = ApplicationFactory(circle=circle, state=ApplicationState.WAITLISTED)
    moving = list(Membership.objects.filter(member__in=people[:2]))
    new = services.split_circle(
        circle=circle,
        name="Kring Utrecht-Oost",
        region="Utrecht",
        memberships=moving,
        applications=[waiting],
        by=circle.coordinator,
        as_of=TODAY,
    )
    assert new.split_from == circle and new.coordinator == circle.coordinator
    assert selectors.participant_count(circle, 2026) == 1
    assert selectors.participant_count(new, 2026) == 2
    assert Membership.objects.filter(circle=circle, state=MembershipState.MOVED).count() == 2
    waiting.refresh_from_db()
    assert waiting.circle == new


# --- KK-2: yearly membership and renewal ----------------------------------------------------


def test_kk2_renewal_round_for_next_year_keeps_history():
    circle = CircleFactory()
    stays, leaves = members(circle, 2)
    with pytest.raises(TransitionError, match="niet geopend"):
        services.renew_membership(circle=circle, member=stays, year=2027, by=stays)
    services.open_renewal_round(circle=circle, year=2027, by=circle.coordinator)
    services.renew_membership(circle=circle, member=stays, year=2027, by=stays)
    renewal = circle.renewal_rounds.get()
    with pytest.raises(TransitionError, match="1 januari"):
        services.close_renewal_round(renewal=renewal, by=circle.coordinator, as_of=TODAY)
    services.close_renewal_round(renewal=renewal, by=circle.coordinator, as_of=date(2027, 1, 5))
    states = dict(Membership.objects.filter(year=2026).values_list("member", "state"))
    assert states == {stays.pk: MembershipState.RENEWED, leaves.pk: MembershipState.LAPSED}
    assert Membership.objects.get(year=2027).member == stays
    assert selectors.participant_count(circle, 2026) == 2  # both took part in 2026


# --- KK-11: meetings, attendance, reminders -------------------------------------------------


def test_kk11_attendance_lists_every_member_and_makes_the_report_template():
    circle = CircleFactory()
    here, away = members(circle, 2)
    meeting = MeetingFactory(circle=circle, date=date(2026, 11, 17), host=here)
    with pytest.raises(TransitionError, match="geen deelnemer"):
        services.record_attendance(meeting=meeting, present={user_with().pk}, by=circle.coordinator)
    services.record_attendance(meeting=meeting, present={here.pk}, by=circle.coordinator)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert dict(meeting.attendances.values_list("participant", "present")) == {
        here.pk: True,
        away.pk: False,
    }
    assert "Afspraken en acties" in meeting.report
    assert list(selectors.attended_meetings_of(here)) == [meeting]
    assert list(selectors.attended_meetings_of(away)) == []


def test_kk11_attendance_is_not_recorded_before_the_meeting_day():
    circle = CircleFactory()
    meeting = MeetingFactory(circle=circle, date=date(2026, 12, 8))
    with pytest.raises(TransitionError, match="vanaf de dag"):
        services.record_attendance(meeting=meeting, present=set(), by=circle.coordinator)


def test_kk11_reminder_is_sent_once_n_days_before(django_capture_on_commit_callbacks):
    circle = CircleFactory()
    (member,) = members(circle, 1)
    soon = MeetingFactory(circle=circle, date=date(2026, 11, 26))  # 3 days ahead
    later = MeetingFactory(circle=circle, date=date(2026, 11, 27))  # 4 days ahead
    for meeting in (soon, later):
        services.register_for_meeting(meeting=meeting, participant=member)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(as_of=TODAY) == 1
        assert services.send_due_reminders(as_of=TODAY) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "Herinnering" in mail.outbox[0].subject
    assert MeetingRegistration.objects.get(meeting=soon).reminder_sent_at is not None


def test_kk11_only_members_register_and_only_for_planned_meetings():
    circle = CircleFactory()
    meeting = MeetingFactory(circle=circle, date=date(2026, 12, 8))
    with pytest.raises(TransitionError, match="deelnemers"):
        services.register_for_meeting(meeting=meeting, participant=user_with(Role.PROFESSIONAL))
    (member,) = members(circle, 1)
    first = services.register_for_meeting(meeting=meeting, participant=member)
    assert services.register_for_meeting(meeting=meeting, participant=member) == first
    past = held_meeting(circle, date(2026, 10, 1))
    with pytest.raises(TransitionError, match="geplande"):
        services.register_for_meeting(meeting=past, participant=member)


def test_cancelled_meeting_cannot_be_recorded():
    circle = CircleFactory()
    meeting = MeetingFactory(circle=circle, date=date(2026, 11, 1))
    services.cancel_meeting(meeting=meeting, reason="Zaal niet beschikbaar", by=circle.coordinator)
    with pytest.raises(TransitionError, match="geannuleerd"):
        services.record_attendance(meeting=meeting, present=set(), by=circle.coordinator)


# --- KK-10: annual report -------------------------------------------------------------------


def test_kk10_annual_report_draft_submit_publish(django_capture_on_commit_callbacks):
    circle = CircleFactory()
    people = members(circle, 3, year=2025)
    for month in (2, 5, 9):
        held_meeting(circle, date(2025, month, 1), present=people)
    MeetingFactory(circle=circle, date=date(2025, 10, 1), state=MeetingState.CANCELLED)
    report = services.prepare_annual_report(circle=circle, year=2025, by=circle.coordinator)
    assert (report.member_count, report.meeting_count) == (3, 3)
    with pytest.raises(TransitionError, match="toelichting"):
        services.submit_annual_report(report=report, by=circle.coordinator)
    services.update_annual_report(
        report=report, objective="Leren", narrative="Drie avonden", by=circle.coordinator
    )
    staff = user_with(is_staff=True)
    with pytest.raises(TransitionError, match="ingediend"):
        services.publish_annual_report(report=report, by=staff)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit_annual_report(report=report, by=circle.coordinator)
        services.submit_annual_report(report=report, by=circle.coordinator)  # double click
    with pytest.raises(TransitionError, match="secretariaat"):
        services.publish_annual_report(report=report, by=circle.coordinator)
    with pytest.raises(TransitionError, match="niet meer"):
        services.update_annual_report(
            report=report, objective="x", narrative="y", by=circle.coordinator
        )
    assert services.publish_annual_report(report=report, by=staff).state == ReportState.PUBLISHED


# --- KK-9: subsidy --------------------------------------------------------------------------


def _complete_year(circle, year=2026, participants=8, meetings=5):
    people = members(circle, participants, year=year)
    for month in range(1, meetings + 1):
        held_meeting(circle, date(year, month, 10), present=people)
    return people


def test_kk9_conditions_are_checked_and_shown():
    circle = CircleFactory()
    _complete_year(circle)
    conditions, money = selectors.subsidy_conditions(circle, 2026)
    met = {c.code: c.met for c in conditions}
    assert met == {"previous_report": False, "participants": True, "meetings": True}
    report = services.prepare_annual_report(circle=circle, year=2025, by=circle.coordinator)
    report.state = ReportState.SUBMITTED
    report.save()
    conditions, money = selectors.subsidy_conditions(circle, 2026)
    assert all(c.met for c in conditions)
    assert money["amount"] == Decimal("250.00") and not money["staffel"]


@pytest.mark.parametrize(
    ("participants", "meetings", "met"), [(7, 5, False), (8, 4, False), (8, 5, True)]
)
def test_kk9_thresholds_at_their_edges(participants, meetings, met):
    circle = CircleFactory(started_on=date(2026, 1, 1))  # new: no previous report needed
    _complete_year(circle, participants=participants, meetings=meetings)
    conditions, _money = selectors.subsidy_conditions(circle, 2026)
    assert all(c.met for c in conditions) is met


def test_kk9_circle_started_during_the_year_gets_the_staffel():
    circle = CircleFactory(started_on=date(2026, 3, 1))
    conditions, money = selectors.subsidy_conditions(circle, 2026)
    assert money["amount"] == Decimal("187.50") and money["months"] == 9
    assert next(c for c in conditions if c.code == "previous_report").met


def test_kk9_amount_is_a_rule_value():
    CircleRules.objects.create(effective_year=2026, subsidy_amount=Decimal("300.00"))
    circle = CircleFactory()
    assert selectors.subsidy_conditions(circle, 2026)[1]["amount"] == Decimal("300.00")
    assert selectors.subsidy_conditions(circle, 2025)[1]["amount"] == Decimal("250.00")


@pytest.mark.parametrize(("as_of", "ok"), [(date(2026, 12, 31), True), (date(2027, 1, 1), False)])
def test_kk9_claim_must_be_submitted_before_the_year_ends(as_of, ok):
    circle = CircleFactory()
    claim = services.prepare_subsidy_claim(circle=circle, year=2026, by=circle.coordinator)
    if ok:
        claim = services.submit_subsidy_claim(claim=claim, by=circle.coordinator, as_of=as_of)
        assert claim.state == ClaimState.SUBMITTED
        assert {c["code"] for c in claim.conditions} == {
            "previous_report",
            "participants",
            "meetings",
        }
    else:
        with pytest.raises(TransitionError, match="31-12-2026"):
            services.submit_subsidy_claim(claim=claim, by=circle.coordinator, as_of=as_of)


def test_kk9_secretariat_approves_or_rejects_with_a_reason():
    circle = CircleFactory()
    staff = user_with(is_staff=True)
    claim = services.prepare_subsidy_claim(circle=circle, year=2026, by=circle.coordinator)
    with pytest.raises(TransitionError, match="ingediende"):
        services.approve_subsidy_claim(claim=claim, by=staff)
    services.submit_subsidy_claim(claim=claim, by=circle.coordinator)
    with pytest.raises(TransitionError, match="secretariaat"):
        services.approve_subsidy_claim(claim=claim, by=circle.coordinator)
    with pytest.raises(TransitionError, match="reden"):
        services.reject_subsidy_claim(claim=claim, reason="", by=staff)
    claim = services.reject_subsidy_claim(claim=claim, reason="Te weinig bijeenkomsten", by=staff)
    assert claim.state == ClaimState.REJECTED
    with pytest.raises(TransitionError):
        services.approve_subsidy_claim(claim=claim, by=staff)


def test_kk9_treasurer_records_cost_shares():
    treasurer = user_with(Role.PROFESSIONAL)
    circle = CircleFactory(treasurer=treasurer)
    (member,) = members(circle, 1)
    share = services.record_cost_share(
        circle=circle,
        member=member,
        year=2026,
        amount=Decimal("20.00"),
        description="Zaalhuur",
        by=treasurer,
    )
    assert share.amount == Decimal("20.00")
    with pytest.raises(TransitionError, match="groter dan 0"):
        services.record_cost_share(
            circle=circle,
            member=member,
            year=2026,
            amount=Decimal("0"),
            description="x",
            by=treasurer,
        )
    with pytest.raises(TransitionError, match="rechten"):
        services.record_cost_share(
            circle=circle, member=member, year=2026, amount=Decimal("5"), description="x", by=member
        )


def test_meetings_of_other_years_do_not_count():
    circle = CircleFactory()
    held_meeting(circle, date(2025, 12, 31))
    assert selectors.meeting_count(circle, 2026) == 0
    assert Meeting.objects.count() == 1


def test_kk11_reminder_beat_task_is_scheduled_and_calls_the_service(
    settings, django_capture_on_commit_callbacks
):
    from kwaliteitskringen.tasks import send_meeting_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["kwaliteitskringen-meeting-reminders"]
    assert entry["task"] == send_meeting_reminders.name
    circle = CircleFactory()
    (member,) = members(circle, 1)
    meeting = MeetingFactory(circle=circle, date=date(2026, 11, 24))
    services.register_for_meeting(meeting=meeting, participant=member)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_meeting_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
