"""Read queries shared by views, admin, PDFs and the portfolio (KK-12)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kwaliteitskringen import revisions
from kwaliteitskringen import rules as kk_rules
from kwaliteitskringen.models import (
    COUNTING_STATES,
    CURRENT_STATES,
    AnnualReport,
    Application,
    ApplicationState,
    Attendance,
    Circle,
    Contribution,
    Meeting,
    MeetingRegistration,
    MeetingState,
    Membership,
    Programme,
    ProgrammeItem,
    RenewalRound,
    ReportState,
    SignalDismissal,
    Subgroup,
    SubgroupMembership,
)
from noloc_portal.accounts.models import User
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.prepared import PreparedQuery

ANNUAL_REPORT_KIND = "kk_annual_report"


def count_of(queryset: QuerySet, *, outer: str) -> Coalesce:
    """The number of rows of ``queryset`` whose ``outer`` column points at the outer row: a
    correlated subquery, so two counts never multiply a join (style §5; two ``Count(distinct)``
    over a double join made a circle of 200 members and 100 meetings take five seconds)."""
    rows = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(rows), 0)


def year_values(year: int) -> dict:
    """``year`` and its first and last day, for prepared queries: ``date__year=year`` computes
    the bounds from the value, which a prepared query cannot."""
    return {"year": year, "year_start": date(year, 1, 1), "year_end": date(year, 12, 31)}


# --- circles -------------------------------------------------------------------------------


def _circles_with_totals(year: int, year_start: date, year_end: date) -> QuerySet[Circle]:
    return (
        Circle.objects.select_related("coordinator")
        .annotate(
            meeting_total=count_of(
                Meeting.objects.filter(date__gte=year_start, date__lte=year_end).exclude(
                    state=MeetingState.CANCELLED
                ),
                outer="circle",
            ),
            member_total=count_of(
                Membership.objects.filter(year=year, state__in=COUNTING_STATES),
                outer="circle",
            ),
        )
        .order_by("region", "name")
    )


def _published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(state=ReportState.PUBLISHED).order_by("-year")


def public_circles(*, year: int) -> QuerySet[Circle]:
    """Every circle with this year's meeting count and its published annual reports."""
    return _circles_with_totals(**year_values(year)).prefetch_related(
        Prefetch("annual_reports", queryset=_published_reports(), to_attr="published_reports")
    )


# The public list, compiled once per process; every circle is listed, so the published reports
# are read in one query for all of them instead of by a prefetch (compiled on every call).
_CIRCLES_WITH_TOTALS = PreparedQuery(_circles_with_totals, year=int, year_start=date, year_end=date)
_PUBLISHED_REPORTS = PreparedQuery(_published_reports)


def public_circles_listed(*, year: int) -> list[Circle]:
    """:func:`public_circles` evaluated, each circle with its ``published_reports``."""
    circles = _CIRCLES_WITH_TOTALS(**year_values(year))
    reports: dict[int, list[AnnualReport]] = defaultdict(list)
    for report in _PUBLISHED_REPORTS():
        reports[report.circle_id].append(report)
    for circle in circles:
        circle.published_reports = reports.get(circle.pk, [])
        for report in circle.published_reports:
            report.circle = circle  # as the prefetch leaves it
    return circles


def circles_managed_by(user) -> QuerySet[Circle]:
    """Circles where the user is coordinator, secretary or treasurer."""
    return (
        Circle.objects.filter(Q(coordinator=user) | Q(secretary=user) | Q(treasurer=user))
        .select_related("coordinator", "secretary", "treasurer")
        .order_by("region", "name")
    )


# --- members -------------------------------------------------------------------------------


def memberships_of_year(circle: Circle, year: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(circle=circle, year=year)
        .select_related("member")
        .order_by("member__full_name", "member__email")
    )


def participant_count(circle: Circle, year: int) -> int:
    """KK-2: fixed participants signed up for ``year``."""
    return Membership.objects.filter(circle=circle, year=year, state__in=COUNTING_STATES).count()


def _meetings_of_year(circle: int, year_start: date, year_end: date) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        circle=circle, date__gte=year_start, date__lte=year_end, subgroup__isnull=True
    )


# Counted on the meetings tab and in the subsidy conditions: compiled once per process.
_HELD_OF_YEAR = PreparedQuery(
    lambda **values: _meetings_of_year(**values).filter(state=MeetingState.HELD),
    circle=int,
    year_start=date,
    year_end=date,
)
_NOT_CANCELLED_OF_YEAR = PreparedQuery(
    lambda **values: _meetings_of_year(**values).exclude(state=MeetingState.CANCELLED),
    circle=int,
    year_start=date,
    year_end=date,
)


def meeting_count(circle: Circle, year: int, *, held_only: bool = False) -> int:
    """KK-2: meetings of ``year``, held or planned (cancelled ones never count)."""
    meetings = _HELD_OF_YEAR if held_only else _NOT_CANCELLED_OF_YEAR
    return meetings.count(
        circle=circle.pk, year_start=date(year, 1, 1), year_end=date(year, 12, 31)
    )


def memberships_of_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(member=user)
        .select_related("circle")
        .order_by("-year", "circle__name")
    )


def applications_of_user(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("circle").order_by("-pk")


# --- applications --------------------------------------------------------------------------


def open_applications(circle: Circle) -> QuerySet[Application]:
    """Submitted, waitlisted and trial applications, oldest application first (KK-6)."""
    return (
        Application.objects.filter(
            circle=circle,
            state__in=[
                ApplicationState.SUBMITTED,
                ApplicationState.WAITLISTED,
                ApplicationState.TRIAL,
            ],
        )
        .select_related("applicant", "cv")
        .order_by("submitted_at", "pk")
    )


def waiting_list(circle: Circle) -> QuerySet[Application]:
    """KK-6: the waiting list in order of application."""
    return (
        Application.objects.filter(circle=circle, state=ApplicationState.WAITLISTED)
        .select_related("applicant")
        .order_by("submitted_at", "pk")
    )


def waiting_list_position(application: Application) -> int | None:
    """1-based place on the waiting list, or None when not waitlisted."""
    if application.state != ApplicationState.WAITLISTED:
        return None
    ahead = Application.objects.filter(
        circle_id=application.circle_id, state=ApplicationState.WAITLISTED
    ).filter(
        Q(submitted_at__lt=application.submitted_at)
        | Q(submitted_at=application.submitted_at, pk__lt=application.pk)
    )
    return ahead.count() + 1


def occupied_places(circle: Circle, year: int) -> int:
    """Places taken: this year's participants and applicants on trial."""
    on_trial = Application.objects.filter(circle=circle, state=ApplicationState.TRIAL).count()
    return participant_count(circle, year) + on_trial


@dataclass(frozen=True)
class TrialProgress:
    attended: list[Meeting]
    consecutive_done: bool
    fee_recorded: bool
    required: int

    @property
    def complete(self) -> bool:
        return self.consecutive_done and self.fee_recorded


def trial_progress(application: Application, *, trial_meetings: int) -> TrialProgress:
    """KK-5: the held meetings since the trial began, and whether two in a row were attended."""
    held = list(
        Meeting.objects.filter(
            circle_id=application.circle_id, state=MeetingState.HELD, subgroup__isnull=True
        )
        .filter(date__gte=application.trial_started_on or date.min)
        .order_by("date", "start_time", "pk")
    )
    present = dict(
        Attendance.objects.filter(
            meeting__in=held, participant_id=application.applicant_id
        ).values_list("meeting_id", "present")
    )
    sequence = [present.get(meeting.pk, False) for meeting in held]
    return TrialProgress(
        attended=[meeting for meeting in held if present.get(meeting.pk)],
        consecutive_done=kk_rules.trial_attended(sequence, trial_meetings=trial_meetings),
        fee_recorded=application.trial_fee_recorded_at is not None,
        required=trial_meetings,
    )


# --- meetings ------------------------------------------------------------------------------


def meetings_of_circle(circle: Circle) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(circle=circle)
        .select_related("host", "note_taker")
        .annotate(
            registered_total=count_of(MeetingRegistration.objects.all(), outer="meeting"),
            present_total=count_of(Attendance.objects.filter(present=True), outer="meeting"),
        )
        .order_by("-date", "-pk")
    )


def attended_meetings_of(user) -> QuerySet[Meeting]:
    """KK-12: meetings the user attended (held, marked present), with circle, date, form and
    facilitator — what the Jobcoach portfolio offers as proof of participation."""
    return (
        Meeting.objects.filter(
            state=MeetingState.HELD,
            attendances__participant=user,
            attendances__present=True,
        )
        .select_related("circle", "host")
        .order_by("-date", "-pk")
    )


def _members_with_hosting(
    circle: int, year: int, as_of: date, year_start: date, year_end: date
) -> QuerySet[Membership]:
    # The evenings each member hosted, joined once and grouped: a correlated subquery per
    # member scanned the circle's meetings twice per member (3.6 -> 0.7 ms in PostgreSQL at 200
    # members and 100 meetings).
    hosted = "member__hosted_circle_meetings"
    of_circle = Q(**{f"{hosted}__circle": circle, f"{hosted}__subgroup__isnull": True})
    return (
        memberships_of_year(circle, year)
        .filter(state__in=CURRENT_STATES)
        .annotate(
            last_hosted=Max(
                f"{hosted}__date", filter=of_circle & Q(**{f"{hosted}__state": MeetingState.HELD})
            ),
            next_hosting=Max(
                f"{hosted}__date",
                filter=of_circle
                & Q(**{f"{hosted}__state": MeetingState.PLANNED, f"{hosted}__date__gte": as_of}),
            ),
            contributed=Exists(
                Contribution.objects.filter(
                    circle=circle,
                    date__gte=year_start,
                    date__lte=year_end,
                    participant_id=OuterRef("member_id"),
                )
            ),
        )
        .values_list(
            "pk",
            "member_id",
            "member__full_name",
            "member__email",
            "last_hosted",
            "next_hosting",
            "contributed",
        )
    )


# Every dashboard tab and the circle page ask this: compiled once per process.
_MEMBERS_WITH_HOSTING = PreparedQuery(
    _members_with_hosting,
    circle=int,
    year=int,
    as_of=date,
    year_start=date,
    year_end=date,
)


class MemberName:
    """A member as the rotation and the signals write them, read as values: ``full_name``,
    ``email``, and ``str()`` as ``User.__str__``. Equal to the user with the same id, so a row
    can be looked up by the user it is about."""

    __slots__ = ("email", "full_name", "pk")

    def __init__(self, pk: int, full_name: str, email: str):
        self.pk = pk
        self.full_name = full_name
        self.email = email

    def __str__(self) -> str:
        return self.full_name or self.email

    def __eq__(self, other) -> bool:
        if isinstance(other, MemberName | User):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


class CurrentMember(NamedTuple):
    """A current membership with what the hosting rotation and the signals need, as plain
    values: a circle of 200 members built 400 model instances for the signal badge of every
    tab (3.5 ms of a page's CPU)."""

    membership_id: int
    member_id: int
    member: MemberName
    last_hosted: date | None  # the last evening held
    next_hosting: date | None  # the latest planned from the day asked on
    contributed: bool  # an active contribution this year


def current_members(circle: Circle, *, as_of: date) -> list[CurrentMember]:
    """The current memberships of ``as_of.year`` in the members' order, each with what the
    hosting rotation and the signals need, in one query."""
    return [
        CurrentMember(
            pk, member_id, MemberName(member_id, full_name, email), last, upcoming, contributed
        )
        for pk, member_id, full_name, email, last, upcoming, contributed in _MEMBERS_WITH_HOSTING(
            circle=circle.pk, as_of=as_of, **year_values(as_of.year)
        )
    ]


def hosting_rotation(
    circle: Circle, *, as_of: date, interval_years: int, members: list[CurrentMember] | None = None
) -> list[dict]:
    """KK-7: per current member, the last evening hosted, the next one planned, and whether due.
    ``members``: :func:`current_members` of the same day, when the caller has them already."""
    if members is None:
        members = current_members(circle, as_of=as_of)
    rows = []
    for current in members:
        last = current.last_hosted
        upcoming = current.next_hosting
        due = upcoming is None and kk_rules.hosting_due(
            last_hosted=last, as_of=as_of, interval_years=interval_years
        )
        rows.append({"member": current.member, "last": last, "planned": upcoming, "due": due})
    rows.sort(key=lambda row: (not row["due"], row["last"] or date.min, row["member"].full_name))
    return rows


def hosting_history(circle: Circle) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(circle=circle, host__isnull=False, subgroup__isnull=True)
        .exclude(state=MeetingState.CANCELLED)
        .select_related("host")
        .order_by("-date")
    )


# --- signals -------------------------------------------------------------------------------


@dataclass(slots=True)
class Signal:
    """Something the coordinator should look at (KK-2, KK-3, KK-7). ``key`` is stable, so a
    dismissal sticks until the facts change. ``text`` is the message, or its format when
    ``values`` are given: every tab of the dashboard counts the signals, only the signals tab
    shows them, so a circle of 200 members does not write 400 messages for a badge."""

    key: str
    kind: str
    text: str
    membership_id: int | None = None  # the membership a signal is about, to remove it
    values: dict | None = None
    absent_on: tuple[date, ...] = ()

    @property
    def message(self) -> str:
        return str(self.text) if self.values is None else self.text % self.values

    @property
    def details(self) -> list[str]:
        return [f"{day:%d-%m-%Y}" for day in self.absent_on]


_ABSENT_TWICE = gettext_lazy("%(name)s was bij twee opeenvolgende bijeenkomsten afwezig (KK-3).")
_NO_CONTRIBUTION = gettext_lazy(
    "%(name)s heeft dit jaar nog geen actieve bijdrage geleverd (KK-3)."
)
_HOSTED_LAST = gettext_lazy(
    "%(name)s verzorgde voor het laatst een avond op %(date)s en is aan de beurt (KK-7)."
)
_NEVER_HOSTED = gettext_lazy("%(name)s heeft nog geen avond verzorgd en is aan de beurt (KK-7).")


# The signals' queries, compiled once per process: every dashboard tab counts the signals.
_SIGNAL_MEETINGS = PreparedQuery(
    lambda circle, year_start, year_end: (
        Meeting.objects.filter(
            circle=circle, date__gte=year_start, date__lte=year_end, subgroup__isnull=True
        )
        .exclude(state=MeetingState.CANCELLED)
        .order_by("date", "start_time", "pk")
        .values_list("pk", "date", "state", "host_id")
    ),
    circle=int,
    year_start=date,
    year_end=date,
)


def _absences_sql() -> str:
    meeting, attendance = Meeting._meta.db_table, Attendance._meta.db_table
    return f"""
        SELECT a.participant_id, a.meeting_id
        FROM {attendance} a JOIN {meeting} m ON m.id = a.meeting_id
        WHERE m.circle_id = %(circle)s AND m.date >= %(year_start)s AND m.date <= %(year_end)s
            AND m.subgroup_id IS NULL AND m.state = %(held)s AND a.present = %(no)s
    """  # nosec B608: the table names are the models', the values are parameters


_ABSENCES_SQL = _absences_sql()


def absences_in_a_row(
    circle: int, year_start: date, year_end: date, *, held: list[tuple[int, date]]
) -> dict[int, list[tuple[int, date]]]:
    """KK-3 for the held meetings of the year (``held``: their ``(id, date)`` in order), by
    member: the ``(meeting id, date)`` of every absence of each member absent from two
    consecutive held meetings, in order. A presence, or a meeting without a record, between two
    absences breaks the run, as in :func:`kwaliteitskringen.rules.absent_twice_in_a_row`.

    A circle of 200 members with 100 meetings has 4,000 absences: they are read as plain pairs
    (through the ORM, as values, they cost two milliseconds of every dashboard tab), and only
    the members with a run are sorted."""
    place = {meeting_id: at for at, (meeting_id, _day) in enumerate(held)}
    with connection.cursor() as cursor:
        cursor.execute(
            _ABSENCES_SQL,
            {
                "circle": circle,
                "year_start": year_start,
                "year_end": year_end,
                "held": MeetingState.HELD,
                "no": False,
            },
        )
        # Each absence as one number, member * width + place: hashed faster than a pair. The
        # place after the last (width - 1) is never an absence, so "the next place" never
        # reaches the next member. Not when the meeting changed between the two queries.
        width = len(held) + 1
        absent = {p * width + place[m] for p, m in cursor.fetchall() if m in place}
    in_a_row = {key // width for key in absent if key + 1 in absent}
    runs: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for key in sorted(key for key in absent if key // width in in_a_row):
        participant, at = divmod(key, width)
        runs[participant].append(held[at])
    return runs


_DISMISSALS = PreparedQuery(
    lambda circle: SignalDismissal.objects.filter(circle=circle).select_related("dismissed_by"),
    circle=int,
)


def circle_signals(
    circle: Circle,
    *,
    as_of: date,
    rotation: list[dict] | None = None,
    members: list[CurrentMember] | None = None,
    rule=None,
) -> tuple[list[Signal], list[SignalDismissal]]:
    """The open signals of ``as_of.year`` and the dismissals on record, in five queries.
    ``rotation`` (:func:`hosting_rotation`), ``members`` (:func:`current_members`) and ``rule``
    (``rules_for(as_of.year)``) of the same day, when the caller has them already."""
    year = as_of.year
    if rule is None:
        rule = kk_rules.rules_for(year)
    if members is None:
        members = current_members(circle, as_of=as_of)
    of_year = {"circle": circle.pk, "year_start": date(year, 1, 1), "year_end": date(year, 12, 31)}
    meetings = _SIGNAL_MEETINGS(**of_year)
    held = [(pk, day) for pk, day, state, _host in meetings if state == MeetingState.HELD]
    absences = absences_in_a_row(**of_year, held=held)
    contributors = {current.member_id for current in members if current.contributed}
    contributors |= {
        host for *_meeting, state, host in meetings if state == MeetingState.HELD and host
    }
    dismissals = _DISMISSALS(circle=circle.pk)
    dismissed = {dismissal.key for dismissal in dismissals}

    signals: list[Signal] = []
    if len(members) < rule.min_participants:
        signals.append(
            Signal(
                key=f"participants:{year}:{len(members)}",
                kind="participants",
                text=_(
                    "De kring heeft dit jaar %(count)s deelnemers; het minimum is %(min)s (KK-2)."
                )
                % {"count": len(members), "min": rule.min_participants},
            )
        )
    if len(meetings) < rule.min_meetings:
        signals.append(
            Signal(
                key=f"meetings:{year}:{len(meetings)}",
                kind="meetings",
                text=_(
                    "Er zijn dit jaar %(count)s bijeenkomsten gehouden of gepland; het minimum "
                    "is %(min)s (KK-2)."
                )
                % {"count": len(meetings), "min": rule.min_meetings},
            )
        )
    for current in members:
        absent = absences.get(current.member_id)
        if absent:
            signals.append(
                Signal(
                    key=f"absent:{current.member_id}:{absent[-1][0]}",
                    kind="absent",
                    membership_id=current.membership_id,
                    text=_ABSENT_TWICE,
                    values={"name": current.member},
                    absent_on=tuple(day for _meeting, day in absent),
                )
            )
        if current.member_id not in contributors:
            signals.append(
                Signal(
                    key=f"contribution:{current.member_id}:{year}",
                    kind="contribution",
                    membership_id=current.membership_id,
                    text=_NO_CONTRIBUTION,
                    values={"name": current.member},
                )
            )
    if rotation is None:
        rotation = hosting_rotation(
            circle, as_of=as_of, interval_years=rule.hosting_interval_years, members=members
        )
    for row in rotation:
        if row["due"]:
            last = row["last"]
            signals.append(
                Signal(
                    key=f"hosting:{row['member'].pk}:{last.isoformat() if last else 'never'}",
                    kind="hosting",
                    text=_HOSTED_LAST if last else _NEVER_HOSTED,
                    values=(
                        {"name": row["member"], "date": f"{last:%d-%m-%Y}"}
                        if last
                        else {"name": row["member"]}
                    ),
                )
            )
    return [s for s in signals if s.key not in dismissed], dismissals


class CircleRotation(NamedTuple):
    """The circle's current members and hosting rotation of a day, as :func:`circle_rotation`
    remembers them. Shared between requests: read them, do not change them."""

    members: list[CurrentMember]
    rotation: list[dict]  # hosting_rotation


class CircleFigures(NamedTuple):
    """The rotation with the open signals and the dismissals on record, as
    :func:`circle_figures` remembers them. Shared between requests: read, do not change."""

    members: list[CurrentMember]
    rotation: list[dict]
    signals: list[Signal]
    dismissals: list[SignalDismissal]


def circle_rotation(
    circle: Circle, *, as_of: date, rule=None, revision: revisions.Revision | None = None
) -> CircleRotation:
    """:func:`current_members` and :func:`hosting_rotation` of ``as_of``, remembered under the
    circle's revision (``kwaliteitskringen.revisions``) and the year's hosting interval
    (``rule``: ``rules_for(as_of.year)``, ``revision``: the circle's, when the caller has them
    already)."""
    if rule is None:
        rule = kk_rules.rules_for(as_of.year)
    if revision is None:
        revision = revisions.Revision.of(circle)
    interval = rule.hosting_interval_years

    def work_out() -> CircleRotation:
        members = current_members(circle, as_of=as_of)
        rotation = hosting_rotation(circle, as_of=as_of, interval_years=interval, members=members)
        return CircleRotation(members, rotation)

    return revision.remembered(("rotation", as_of, interval), work_out)


def circle_figures(
    circle: Circle, *, as_of: date, rule=None, revision: revisions.Revision | None = None
) -> CircleFigures:
    """:func:`circle_rotation` with :func:`circle_signals` of ``as_of``, remembered alike under
    the circle's revision and the year's rule values."""
    if rule is None:
        rule = kk_rules.rules_for(as_of.year)
    if revision is None:
        revision = revisions.Revision.of(circle)
    rule_values = (rule.min_participants, rule.min_meetings, rule.hosting_interval_years)

    def work_out() -> CircleFigures:
        members, rotation = circle_rotation(circle, as_of=as_of, rule=rule, revision=revision)
        signals, dismissals = circle_signals(
            circle, as_of=as_of, rotation=rotation, members=members, rule=rule
        )
        return CircleFigures(members, rotation, signals, list(dismissals))

    return revision.remembered(("figures", as_of, rule_values), work_out)


# --- annual report and subsidy -------------------------------------------------------------


def annual_report_figures(circle: Circle, year: int) -> dict:
    """KK-10: the figures of the report, from the records."""
    held = list(
        Meeting.objects.filter(
            circle=circle, date__year=year, state=MeetingState.HELD, subgroup__isnull=True
        )
        .select_related("host")
        .order_by("date", "pk")
    )
    return {
        "member_count": participant_count(circle, year),
        "meeting_count": len(held),
        "activities": [
            {
                "date": f"{meeting.date:%d-%m-%Y}",
                "form": meeting.get_form_display(),
                "theme": meeting.theme,
                "host": str(meeting.host) if meeting.host else "",
                "host_id": meeting.host_id,
            }
            for meeting in held
        ],
    }


def name_consents(circle: Circle, member_ids: set[int]) -> set[int]:
    """Those of ``member_ids`` who allow their name in the circle's published annual reports:
    their newest membership of the circle says so."""
    newest: dict[int, bool] = {}
    rows = (
        Membership.objects.filter(circle=circle, member_id__in=member_ids)
        .order_by("member_id", "-year")
        .values_list("member_id", "name_in_annual_report")
    )
    for member_id, consent in rows:
        newest.setdefault(member_id, consent)
    return {member_id for member_id, consent in newest.items() if consent}


def published_activities(report: AnnualReport) -> list[dict]:
    """The activities as the published report (page and PDF) shows them to everyone: a host by
    name only with their consent, otherwise by their role in the circle. A line stored before
    the host's id was kept cannot be checked, so it never names the host."""
    circle = report.circle
    roles = {
        person_id: role
        for person_id, role in [
            (circle.treasurer_id, _("de penningmeester")),
            (circle.secretary_id, _("de secretaris")),
            (circle.coordinator_id, _("de kringcoördinator")),
        ]
        if person_id is not None
    }
    host_ids = {a["host_id"] for a in report.activities if a.get("host_id")}
    consented = name_consents(circle, host_ids) if host_ids else set()
    shown = []
    for activity in report.activities:
        host_id = activity.get("host_id")
        if not activity.get("host"):
            host = ""
        elif host_id in consented:
            host = activity["host"]
        else:
            host = roles.get(host_id) or _("een deelnemer")
        shown.append({**activity, "host": host})
    return shown


def latest_pdf(report: AnnualReport) -> RenderJob | None:
    from django.contrib.contenttypes.models import ContentType

    return (
        RenderJob.objects.filter(
            kind=ANNUAL_REPORT_KIND,
            content_type=ContentType.objects.get_for_model(AnnualReport),
            object_id=report.pk,
        )
        .order_by("-version")
        .first()
    )


def latest_done_pdfs(report_ids: list[int]) -> dict[int, RenderJob]:
    """The newest finished PDF per annual report, in one query."""
    from django.contrib.contenttypes.models import ContentType

    jobs = RenderJob.objects.filter(
        kind=ANNUAL_REPORT_KIND,
        content_type=ContentType.objects.get_for_model(AnnualReport),
        object_id__in=report_ids,
        state=RenderState.DONE,
    ).order_by("object_id", "-version")
    newest: dict[int, RenderJob] = {}
    for job in jobs:
        newest.setdefault(job.object_id, job)
    return newest


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    met: bool
    detail: str


def subsidy_conditions(circle: Circle, year: int) -> tuple[list[Condition], dict]:
    """KK-9: the payout conditions for ``year`` and the amount after the staffel."""
    rule = kk_rules.rules_for(year)
    previous = AnnualReport.objects.filter(circle=circle, year=year - 1).first()
    new_circle = circle.started_on.year >= year
    participants = participant_count(circle, year)
    meetings = meeting_count(circle, year)
    held = meeting_count(circle, year, held_only=True)
    conditions = [
        Condition(
            "previous_report",
            _("Jaarverslag %(year)s ontvangen") % {"year": year - 1},
            met=new_circle or bool(previous and previous.received),
            detail=(
                _("Niet van toepassing: de kring is in %(year)s gestart.") % {"year": year}
                if new_circle
                else (
                    previous.get_state_display()
                    if previous
                    else _("Nog geen jaarverslag over %(year)s.") % {"year": year - 1}
                )
            ),
        ),
        Condition(
            "participants",
            _("Minimaal %(min)s deelnemers") % {"min": rule.min_participants},
            met=participants >= rule.min_participants,
            detail=_("%(count)s deelnemers ingeschreven voor %(year)s")
            % {"count": participants, "year": year},
        ),
        Condition(
            "meetings",
            _("Minimaal %(min)s bijeenkomsten") % {"min": rule.min_meetings},
            met=meetings >= rule.min_meetings,
            detail=_("%(count)s gehouden of gepland, waarvan %(held)s gehouden")
            % {"count": meetings, "held": held},
        ),
    ]
    amount, months = kk_rules.staffel_amount(
        full_amount=rule.subsidy_amount,
        started_on=circle.started_on,
        year=year,
        method=rule.staffel_method,
    )
    return conditions, {
        "amount": amount,
        "months": months,
        "full_amount": rule.subsidy_amount,
        "staffel": months < 12,
        "deadline": kk_rules.claim_deadline(year),
    }


# --- founding requests and the regional chair ------------------------------------------------


def founding_requests_of(user) -> QuerySet:
    from kwaliteitskringen.models import FoundingRequest

    return FoundingRequest.objects.filter(founder=user).select_related("circle").order_by("-pk")


def region_circles(user, *, year: int) -> QuerySet[Circle]:
    """The circles a regional chair looks after (staff: every circle), with this year's
    participant and meeting counts and their annual reports and subsidy claims."""
    from kwaliteitskringen.models import SubsidyClaim
    from kwaliteitskringen.permissions import chaired_regions
    from kwaliteitskringen.regions import in_regions

    circles = Circle.objects.all()
    if not user.is_staff:
        circles = circles.filter(in_regions(chaired_regions(user)))
    participants = (
        Membership.objects.filter(circle=OuterRef("pk"), year=year, state__in=COUNTING_STATES)
        .values("circle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    meetings = (
        Meeting.objects.filter(circle=OuterRef("pk"), date__year=year, subgroup__isnull=True)
        .exclude(state=MeetingState.CANCELLED)
        .values("circle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        circles.select_related("coordinator")
        .annotate(
            member_total=Coalesce(Subquery(participants), 0),
            meeting_total=Coalesce(Subquery(meetings), 0),
        )
        .prefetch_related(
            Prefetch(
                "annual_reports",
                queryset=AnnualReport.objects.order_by("-year"),
                to_attr="reports",
            ),
            Prefetch(
                "subsidy_claims",
                queryset=SubsidyClaim.objects.order_by("-year"),
                to_attr="claims",
            ),
        )
        .order_by("region", "name")
    )


# --- the year's programme, subgroups and joint meetings (KK-7) ------------------------------


def correlated_count(queryset: QuerySet, outer: str) -> Coalesce:
    """A correlated count subquery over ``queryset`` grouped by the field ``outer`` that points
    at the outer row: one number per outer row, no multiplied joins."""
    return Coalesce(
        Subquery(
            queryset.filter(**{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(total=Count("pk"))
            .values("total")[:1]
        ),
        0,
    )


def programme_of(circle: Circle, year: int) -> Programme | None:
    """The circle's programme of ``year`` with its items (host, proposer, meeting) in order."""
    return (
        Programme.objects.filter(circle=circle, year=year)
        .select_related("circle", "agreed_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ProgrammeItem.objects.select_related(
                    "host", "proposed_by", "meeting"
                ).order_by("date", "pk"),
            )
        )
        .first()
    )


def host_suggestions(programme: Programme, rotation: list[dict]) -> dict[int, object]:
    """KK-7: for each item without a host, the next member by the hosting rotation who hosts
    nothing in this programme yet (``rotation`` as ``hosting_rotation`` orders it: who is due
    first, then who hosted longest ago)."""
    items = list(programme.items.all())
    taken = {item.host_id for item in items if item.host_id}
    queue = [row["member"] for row in rotation if row["member"].pk not in taken]
    suggestions: dict[int, object] = {}
    for item in items:
        if item.host_id is None and queue:
            suggestions[item.pk] = queue.pop(0)
    return suggestions


def _subgroups_counted(circle) -> QuerySet[Subgroup]:
    return (
        Subgroup.objects.filter(circle=circle)
        .select_related("convener")
        .annotate(
            member_total=correlated_count(
                SubgroupMembership.objects.filter(left_at__isnull=True), "subgroup"
            ),
            meeting_total=correlated_count(
                Meeting.objects.exclude(state=MeetingState.CANCELLED), "subgroup"
            ),
        )
        .order_by("name")
    )


def _with_mine(subgroups: QuerySet[Subgroup], member) -> QuerySet[Subgroup]:
    return subgroups.annotate(
        mine=Exists(
            SubgroupMembership.objects.filter(
                subgroup=OuterRef("pk"), member=member, left_at__isnull=True
            )
        )
    )


def subgroups_of(circle: Circle, *, user=None) -> QuerySet[Subgroup]:
    """The circle's subgroups with their current member and meeting counts (correlated
    subqueries) and whether ``user`` is in each."""
    subgroups = _subgroups_counted(circle)
    if user is not None and user.is_authenticated:
        subgroups = _with_mine(subgroups, user)
    return subgroups


def subgroup_members(subgroup: Subgroup) -> QuerySet[SubgroupMembership]:
    return (
        SubgroupMembership.objects.filter(subgroup=subgroup, left_at__isnull=True)
        .select_related("member")
        .order_by("member__full_name", "member__email")
    )


def subgroup_meetings(subgroup: Subgroup) -> QuerySet[Meeting]:
    """The subgroup's meetings, newest first, with registrations and presences counted by
    correlated subqueries."""
    from kwaliteitskringen.models import MeetingRegistration

    return (
        Meeting.objects.filter(subgroup=subgroup)
        .select_related("host")
        .annotate(
            registered_total=correlated_count(MeetingRegistration.objects.all(), "meeting"),
            present_total=correlated_count(Attendance.objects.filter(present=True), "meeting"),
        )
        .order_by("-date", "-pk")
    )


def guest_meetings(circle: Circle) -> QuerySet[Meeting]:
    """Joint meetings another circle holds together with ``circle`` (KK-7)."""
    return (
        Meeting.objects.filter(joint_with=circle)
        .select_related("circle", "host")
        .order_by("-date", "-pk")
    )


# --- the members' page of a circle, compiled once per process ------------------------------

# Without meetings_of_circle's counts, which the members' page does not show: at 100 meetings
# of 200 members they counted 40,000 registrations and attendances for every visit.
# The host as the name the page writes (as ``User.__str__``), not as a user: a hundred meetings
# built a hundred users for the few upcoming ones that name their host.
_OWN_MEETINGS_SINCE = PreparedQuery(
    lambda circle, since: (
        Meeting.objects.filter(circle=circle, date__gte=since, subgroup__isnull=True)
        .annotate(
            host_name=Coalesce(
                NullIf("host__full_name", Value("")), "host__email", output_field=CharField()
            ),
        )
        .order_by("-date", "-pk")
    ),
    circle=int,
    since=date,
)
_GUEST_MEETINGS_SINCE = PreparedQuery(
    lambda circle, since: guest_meetings(circle).filter(date__gte=since),
    circle=int,
    since=date,
)


def recent_meetings(
    circle: Circle, *, since: date, revision: revisions.Revision | None = None
) -> list[Meeting]:
    """The circle's own meetings from ``since`` on (subgroup meetings live on the subgroup's
    page) and the joint meetings another circle holds with it, newest first; ``host_name``: the
    host as the page names them, or None. Remembered at the circle's ``revision``, when given."""

    def read() -> list[Meeting]:
        meetings = _OWN_MEETINGS_SINCE(circle=circle.pk, since=since)
        for meeting in _GUEST_MEETINGS_SINCE(circle=circle.pk, since=since):
            meeting.host_name = str(meeting.host) if meeting.host else None
            meetings.append(meeting)
        return sorted(meetings, key=lambda m: (m.date, m.pk), reverse=True)

    return revisions.remembered_at(revision, ("recent meetings", since), read)


# The meetings of recent_meetings by their circle and date rather than a list of ids, which a
# prepared query cannot take.
_REGISTERED_SINCE = PreparedQuery(
    lambda participant, circle, since: MeetingRegistration.objects.filter(
        Q(meeting__circle=circle, meeting__subgroup__isnull=True) | Q(meeting__joint_with=circle),
        participant=participant,
        meeting__date__gte=since,
    ).values_list("meeting_id", flat=True),
    participant=int,
    circle=int,
    since=date,
)


def registered_meeting_ids(
    user, circle: Circle, *, since: date, revision: revisions.Revision | None = None
) -> set[int]:
    """The meetings of :func:`recent_meetings` the user signed up for (remembered at the
    circle's ``revision``, when given)."""

    def read() -> set[int]:
        return set(_REGISTERED_SINCE(participant=user.pk, circle=circle.pk, since=since))

    return revisions.remembered_at(revision, ("registered", user.pk, since), read)


# Without the circle and the host of attended_meetings_of: the circle is the page's, the rows
# name neither, and a member of a year's standing has a hundred of them (300 instances -> 100).
_ATTENDED_IN_CIRCLE = PreparedQuery(
    lambda participant, circle: (
        attended_meetings_of(participant).filter(circle=circle).select_related(None)
    ),
    participant=int,
    circle=int,
)


def attended_in_circle(
    user, circle: Circle, *, revision: revisions.Revision | None = None
) -> list[Meeting]:
    """:func:`attended_meetings_of` the user, in this circle (``meeting.circle`` is ``circle``;
    the host is not read). Remembered at the circle's ``revision``, when given."""

    def read() -> list[Meeting]:
        meetings = _ATTENDED_IN_CIRCLE(participant=user.pk, circle=circle.pk)
        keep_circle = Meeting.circle.field.set_cached_value  # without the checks of `m.circle = c`
        for meeting in meetings:
            keep_circle(meeting, circle)
        return meetings

    return revisions.remembered_at(revision, ("attended", user.pk), read)


_PROGRAMME = PreparedQuery(
    lambda circle, year: Programme.objects.filter(circle=circle, year=year).select_related(
        "circle", "agreed_by"
    ),
    circle=int,
    year=int,
)
_PROGRAMME_ITEMS = PreparedQuery(
    lambda programme: (
        ProgrammeItem.objects.filter(programme=programme)
        .select_related("host", "proposed_by", "meeting")
        .order_by("date", "pk")
    ),
    programme=int,
)


def programme_with_items(circle: Circle, year: int) -> tuple[Programme | None, list]:
    """:func:`programme_of` and its items, each query compiled once per process (the items
    by the programme's id, not as a prefetch, which is compiled on every call)."""
    programme = next(iter(_PROGRAMME.rows(0, 1, circle=circle.pk, year=year)), None)
    if programme is None:
        return None, []
    return programme, _PROGRAMME_ITEMS(programme=programme.pk)


_SUBGROUPS_FOR = PreparedQuery(
    lambda circle, member: _with_mine(_subgroups_counted(circle), member),
    circle=int,
    member=int,
)


def subgroups_for(circle: Circle, user) -> list[Subgroup]:
    """:func:`subgroups_of` for a logged-in user, evaluated."""
    return _SUBGROUPS_FOR(circle=circle.pk, member=user.pk)


_RENEWAL_OPEN = PreparedQuery(
    lambda circle, year: RenewalRound.objects.filter(
        circle=circle, year=year, closed_at__isnull=True
    ),
    circle=int,
    year=int,
)


def open_renewal(circle: Circle, year: int):
    """The circle's renewal round for ``year`` if it is still open (at most one a year)."""
    return next(iter(_RENEWAL_OPEN.rows(0, 1, circle=circle.pk, year=year)), None)


_MEMBERSHIPS_IN_YEARS = PreparedQuery(
    lambda circle, member, first, last: Membership.objects.filter(
        circle=circle, member=member, year__gte=first, year__lte=last
    ),
    circle=int,
    member=int,
    first=int,
    last=int,
)


def memberships_in_years(circle: Circle, user, first: int, last: int) -> dict[int, Membership]:
    """The user's memberships of the circle from ``first`` to ``last``, by year."""
    rows = _MEMBERSHIPS_IN_YEARS(circle=circle.pk, member=user.pk, first=first, last=last)
    return {membership.year: membership for membership in rows}


# --- the coordinator's members and meetings tabs, compiled once per process -----------------

_MEMBERSHIPS_OF_YEAR = PreparedQuery(
    lambda circle, year: memberships_of_year(circle, year), circle=int, year=int
)


def memberships_of_year_pageable(circle: Circle, year: int):
    """:func:`memberships_of_year` for a paginator (noloc_portal.lists.page_of)."""
    return _MEMBERSHIPS_OF_YEAR.pageable(circle=circle.pk, year=year)


_CURRENT_OF_YEAR = PreparedQuery(
    lambda circle, year: Membership.objects.filter(
        circle=circle, year=year, state__in=CURRENT_STATES
    ),
    circle=int,
    year=int,
)


def current_member_count(circle: Circle, year: int) -> int:
    """The current memberships (active or renewed) of ``year``."""
    return _CURRENT_OF_YEAR.count(circle=circle.pk, year=year)


_MEMBER_IDS_OF_YEAR = PreparedQuery(
    lambda circle, year: (
        Membership.objects.filter(circle=circle, year=year)
        .order_by()
        .values_list("member_id", flat=True)
    ),
    circle=int,
    year=int,
)


def member_ids_of_year(circle: Circle, year: int) -> set[int]:
    """Who has a membership of ``year``, whatever its state."""
    return set(_MEMBER_IDS_OF_YEAR(circle=circle.pk, year=year))


_RENEWAL_ROUNDS = PreparedQuery(
    lambda circle, first, last: RenewalRound.objects.filter(
        circle=circle, year__gte=first, year__lte=last
    ),
    circle=int,
    first=int,
    last=int,
)


def renewal_rounds(circle: Circle, first: int, last: int) -> dict[int, RenewalRound]:
    """The circle's renewal rounds from ``first`` to ``last``, by year."""
    rows = _RENEWAL_ROUNDS(circle=circle.pk, first=first, last=last)
    return {renewal_round.year: renewal_round for renewal_round in rows}


_CONTRIBUTIONS_OF_YEAR = PreparedQuery(
    lambda circle, year_start, year_end: Contribution.objects.filter(
        circle=circle, date__gte=year_start, date__lte=year_end
    ).select_related("participant"),
    circle=int,
    year_start=date,
    year_end=date,
)


def contributions_of_year(circle: Circle, year: int, *, limit: int) -> list[Contribution]:
    """The first ``limit`` contributions of ``year``, newest first."""
    return _CONTRIBUTIONS_OF_YEAR.rows(
        0, limit, circle=circle.pk, year_start=date(year, 1, 1), year_end=date(year, 12, 31)
    )


_CIRCLE_MEETINGS = PreparedQuery(
    lambda circle: meetings_of_circle(circle).filter(subgroup__isnull=True), circle=int
)


def circle_meetings_pageable(circle: Circle, *, revision: revisions.Revision | None = None):
    """The circle's own meetings (no subgroup's) of :func:`meetings_of_circle`, for a
    paginator; counted and sliced once per ``revision`` of the circle, when given."""
    rows = _CIRCLE_MEETINGS.pageable(circle=circle.pk)
    if revision is None:
        return rows
    return revisions.RememberedRows(revision, ("meetings",), rows)


_GUEST_MEETINGS = PreparedQuery(guest_meetings, circle=int)
_HOSTING_HISTORY = PreparedQuery(hosting_history, circle=int)


def latest_guest_meetings(
    circle: Circle, *, limit: int, revision: revisions.Revision | None = None
) -> list[Meeting]:
    def read() -> list[Meeting]:
        return _GUEST_MEETINGS.rows(0, limit, circle=circle.pk)

    return revisions.remembered_at(revision, ("guest meetings", limit), read)


def latest_hosting(
    circle: Circle, *, limit: int, revision: revisions.Revision | None = None
) -> list[Meeting]:
    def read() -> list[Meeting]:
        return _HOSTING_HISTORY.rows(0, limit, circle=circle.pk)

    return revisions.remembered_at(revision, ("hosting", limit), read)
