"""Who may do what with a circle (domain.md §5, KK-8). Outsiders get 404 from the views."""

from __future__ import annotations

from functools import cached_property

from kwaliteitskringen import clock
from kwaliteitskringen.models import (
    CURRENT_STATES,
    Application,
    ApplicationState,
    Circle,
    Membership,
)
from noloc_portal.prepared import PreparedQuery


def _ids(circle: Circle) -> tuple[int | None, int | None, int | None]:
    return circle.coordinator_id, circle.secretary_id, circle.treasurer_id


def can_manage_circle(user, circle: Circle) -> bool:
    """Applications, members, signals, annual report, subsidy: the coordinator (and staff)."""
    return user.is_authenticated and (user.is_staff or circle.coordinator_id == user.pk)


def can_manage_meetings(user, circle: Circle) -> bool:
    """Meetings, attendance and reports: the coordinator and the secretary."""
    return can_manage_circle(user, circle) or (
        user.is_authenticated and circle.secretary_id == user.pk
    )


def can_record_finances(user, circle: Circle) -> bool:
    """Members' payments towards costs: the coordinator and the treasurer."""
    return can_manage_circle(user, circle) or (
        user.is_authenticated and circle.treasurer_id == user.pk
    )


def can_view_dashboard(user, circle: Circle) -> bool:
    return user.is_authenticated and (user.is_staff or user.pk in _ids(circle))


def _current_membership(circle: int, member: int, year: int):
    return (
        Membership.objects.filter(circle=circle, member=member, year=year, state__in=CURRENT_STATES)
        .order_by()
        .values_list("pk", flat=True)
    )


# Most circle pages ask this, some twice: compiled once per process.
_CURRENT_MEMBERSHIP = PreparedQuery(_current_membership, circle=int, member=int, year=int)


def is_member(user, circle: Circle, *, year: int | None = None) -> bool:
    if not user.is_authenticated:
        return False
    year = year or clock.today().year
    return bool(_CURRENT_MEMBERSHIP.rows(0, 1, circle=circle.pk, member=user.pk, year=year))


def is_on_trial(user, circle: Circle) -> bool:
    return (
        user.is_authenticated
        and Application.objects.filter(
            circle=circle, applicant=user, state=ApplicationState.TRIAL
        ).exists()
    )


class CircleAccess:
    """What ``user`` may see of ``circle``, each fact asked once: a page that needs several
    (the members' page asks for the page and the programme) pays one query for the membership."""

    def __init__(self, user, circle: Circle):
        self.user, self.circle = user, circle

    @cached_property
    def dashboard(self) -> bool:
        return can_view_dashboard(self.user, self.circle)

    @cached_property
    def member(self) -> bool:
        return is_member(self.user, self.circle)

    @cached_property
    def on_trial(self) -> bool:
        return is_on_trial(self.user, self.circle)

    @property
    def circle_page(self) -> bool:
        """The members' page: this year's members, applicants on trial and the officers."""
        return self.dashboard or self.member or self.on_trial

    @property
    def programme(self) -> bool:
        """The programme and the subgroups are the circle's own: this year's members and the
        officers (and staff); not applicants on trial."""
        return self.dashboard or self.member


def can_view_circle_page(user, circle: Circle) -> bool:
    """The members' page: this year's members, applicants on trial and the circle's officers."""
    return CircleAccess(user, circle).circle_page


def can_view_meeting_report(user, meeting) -> bool:
    """Reports are for the circle's own members and officers (of both circles for a joint
    meeting), not for applicants on trial."""
    circles = [meeting.circle] + ([meeting.joint_with] if meeting.joint_with_id else [])
    return any(
        can_view_dashboard(user, circle) or is_member(user, circle, year=meeting.date.year)
        for circle in circles
    )


def can_edit_meeting_report(user, meeting) -> bool:
    return can_manage_meeting(user, meeting) or (
        user.is_authenticated and meeting.note_taker_id == user.pk
    )


def can_view_application(user, application: Application) -> bool:
    return user.is_authenticated and (
        application.applicant_id == user.pk or can_manage_circle(user, application.circle)
    )


def can_view_annual_report(user, report) -> bool:
    from kwaliteitskringen.models import ReportState

    if report.state == ReportState.PUBLISHED:
        return True
    return can_view_dashboard(user, report.circle) or (
        report.state == ReportState.SUBMITTED and can_view_region_circle(user, report.circle)
    )


def chaired_regions(user) -> set[str]:
    """The regions (case-folded) the user chairs (KK-8)."""
    from kwaliteitskringen.models import RegionalChair

    if not user.is_authenticated:
        return set()
    return {
        region.casefold()
        for region in RegionalChair.objects.filter(user=user).values_list("region", flat=True)
    }


def can_view_region(user) -> bool:
    """The regional overview: a regional chair (their regions) and staff (every region)."""
    return user.is_authenticated and (user.is_staff or bool(chaired_regions(user)))


def can_view_region_circle(user, circle: Circle) -> bool:
    """Read-only: the circle's signals, annual reports and subsidy claims for its region's chair."""
    return user.is_authenticated and (
        user.is_staff or circle.region.casefold() in chaired_regions(user)
    )


def can_view_founding_request(user, founding) -> bool:
    return user.is_authenticated and (user.is_staff or founding.founder_id == user.pk)


# --- subgroups, joint meetings and the programme (KK-7) ------------------------------------


def is_subgroup_member(user, subgroup) -> bool:
    return (
        user.is_authenticated
        and subgroup.memberships.filter(member=user, left_at__isnull=True).exists()
    )


def can_view_subgroup(user, subgroup) -> bool:
    """A subgroup is for the circle: its members and officers (and staff), not for applicants
    on trial nor for other circles."""
    circle = subgroup.circle
    return can_view_dashboard(user, circle) or is_member(user, circle)


def can_manage_subgroup(user, subgroup) -> bool:
    """Meetings and attendance of a subgroup: its convener and whoever runs the circle's
    meetings."""
    return can_manage_meetings(user, subgroup.circle) or (
        user.is_authenticated and subgroup.convener_id == user.pk
    )


def can_view_meeting(user, meeting) -> bool:
    """A circle meeting for its circle; a joint meeting for both circles; a subgroup meeting for
    the circle's members and officers."""
    if meeting.subgroup_id:
        return can_view_subgroup(user, meeting.subgroup)
    if can_view_circle_page(user, meeting.circle):
        return True
    return meeting.joint_with_id is not None and can_view_circle_page(user, meeting.joint_with)


def can_manage_meeting(user, meeting) -> bool:
    if meeting.subgroup_id:
        return can_manage_subgroup(user, meeting.subgroup)
    return can_manage_meetings(user, meeting.circle)


def can_register_for_meeting(user, meeting) -> bool:
    """Who may sign up: a subgroup's own members; for a joint meeting the members (and
    applicants on trial) of either circle."""
    if meeting.subgroup_id:
        return is_subgroup_member(user, meeting.subgroup)
    if can_view_circle_page(user, meeting.circle):
        return True
    return meeting.joint_with_id is not None and can_view_circle_page(user, meeting.joint_with)


def can_propose_programme_item(user, programme) -> bool:
    """The participants set the programme (KK-7): members of the programme's year, or of this
    year while next year's programme is drafted, and the circle's officers."""
    circle = programme.circle
    return (
        can_view_dashboard(user, circle)
        or is_member(user, circle, year=programme.year)
        or is_member(user, circle)
    )


def can_view_programme(user, circle: Circle) -> bool:
    """The programme and the subgroups are the circle's own: this year's members and the
    officers (and staff); not applicants on trial."""
    return CircleAccess(user, circle).programme
