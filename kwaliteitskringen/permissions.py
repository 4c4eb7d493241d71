"""Who may do what with a circle (domain.md §5, KK-8). Outsiders get 404 from the views."""

from __future__ import annotations

from kwaliteitskringen import clock
from kwaliteitskringen.models import (
    CURRENT_STATES,
    Application,
    ApplicationState,
    Circle,
    Membership,
)


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


def is_member(user, circle: Circle, *, year: int | None = None) -> bool:
    if not user.is_authenticated:
        return False
    year = year or clock.today().year
    return Membership.objects.filter(
        circle=circle, member=user, year=year, state__in=CURRENT_STATES
    ).exists()


def is_on_trial(user, circle: Circle) -> bool:
    return (
        user.is_authenticated
        and Application.objects.filter(
            circle=circle, applicant=user, state=ApplicationState.TRIAL
        ).exists()
    )


def can_view_circle_page(user, circle: Circle) -> bool:
    """The members' page: this year's members, applicants on trial and the circle's officers."""
    return can_view_dashboard(user, circle) or is_member(user, circle) or is_on_trial(user, circle)


def can_view_meeting_report(user, meeting) -> bool:
    """Reports are for the circle's own members and officers, not for applicants on trial."""
    circle = meeting.circle
    return can_view_dashboard(user, circle) or is_member(user, circle, year=meeting.date.year)


def can_edit_meeting_report(user, meeting) -> bool:
    return can_manage_meetings(user, meeting.circle) or (
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
