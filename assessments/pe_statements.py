"""JC-B category 4: the assessor's PE statement (domain.md JC-B; seeds category 4).

An assessor in Register Jobcoach (re)certification earns 4 PE points per year of acting as
assessor and 2 per assessed candidate, proven by a statement signed by the certification
coordinator. The portal knows the assessments, so the coordinator issues that statement from the
records; the assessor takes it over into their own Jobcoach portfolio once (JC-B-SOURCE, through
``portfolios.hooks.on_activity_offers``).

What counts (Decision):
- A **candidate** is a Register Jobcoach portfolio (any framework whose register is the one of
  the Jobcoach recertification) on which the assessor **finished** an assignment (state judged;
  ``judged_at`` is the moment). A declined assignment never counts, nor one still waiting for the
  declaration or being judged, nor an assignment in another register.
- A portfolio counts once, in the period holding the assessor's **first** finished assignment on
  it: judging its supplement round later is the same candidate, not a new one.
- The years are the JC-B per-year rule over the period (whole months, rounded half up), so a
  calendar year is one year; the points are the engine's for the activity type the statement
  becomes, under the framework version in force at the end of the period. Category 4's cap of 30
  is the portfolio's business: the statement proves what was done.
- Periods of one assessor's statements never overlap, and a period ends by the day it is issued:
  no candidate and no year is proven twice.
- The statement names the number of candidates, never who they were: it becomes evidence in the
  assessor's portfolio, read by other assessors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assignment, AssignmentState, PEStatement
from assessments.notifications import notify, site_url
from assessments.permissions import can_view_pe_statement, is_certification_coordinator
from assessments.selectors import assessors
from noloc_portal.accounts.models import Role, User
from noloc_portal.audit.services import record_security_event
from noloc_portal.html import day_text
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import Report, register_report
from noloc_portal.pdf.services import latest_reports, queue_report
from noloc_portal.prepared import PreparedQuery
from portfolios import registry
from portfolios.hooks import ActivityOffer
from portfolios.jobcoach.framework import JOBCOACH, JOBCOACH_MENTOR_ASSESSOR, jobcoach_framework
from portfolios.jobcoach.rules import PEActivity, Window, score_activity

PE_STATEMENT = "pe_statement"


class PEStatementError(Exception):
    """A statement refused; the message is Dutch and names what to change."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- what counts -------------------------------------------------------------------------------


def jobcoach_register_frameworks() -> list[str]:
    """The framework codes whose portfolios register in Register Jobcoach."""
    register = registry.get(JOBCOACH).register_code
    return [
        framework.code for framework in registry.frameworks() if framework.register_code == register
    ]


def _bounds(period_start: date, period_end: date) -> tuple[datetime, datetime]:
    """The period as aware moments: from the start of its first day to the start of the day
    after its last (both days in the portal's time zone)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period_start, time.min, tzinfo=zone),
        datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _first_finished_in(period_start: date, period_end: date) -> QuerySet[Assignment]:
    """Finished Jobcoach assignments in the period that are their assessor's first finished one
    on that portfolio (the Decision above)."""
    start, end = _bounds(period_start, period_end)
    earlier = Assignment.objects.filter(
        assessor=OuterRef("assessor"),
        round__portfolio=OuterRef("round__portfolio"),
        state=AssignmentState.JUDGED,
        judged_at__lt=start,
    )
    return Assignment.objects.filter(
        state=AssignmentState.JUDGED,
        judged_at__gte=start,
        judged_at__lt=end,
        round__portfolio__framework__in=jobcoach_register_frameworks(),
    ).exclude(Exists(earlier))


def candidates_of(assessor, *, period_start: date, period_end: date) -> list[Assignment]:
    """The assessor's candidates in the period: per portfolio the first finished assignment,
    in the order they were finished."""
    seen: set[int] = set()
    rows = []
    for assignment in (
        _first_finished_in(period_start, period_end)
        .filter(assessor=assessor)
        .select_related("round__portfolio__owner")
        .order_by("judged_at", "pk")
    ):
        if assignment.round.portfolio_id not in seen:
            seen.add(assignment.round.portfolio_id)
            rows.append(assignment)
    return rows


def assessors_in_period(*, period_start: date, period_end: date) -> QuerySet[User]:
    """Every active assessor by name, annotated with ``candidates`` in the period (a correlated
    subquery: the same queries for any number of assessors) and ``covered``: a statement of
    theirs already covers part of the period."""
    counted = (
        _first_finished_in(period_start, period_end)
        .filter(assessor=OuterRef("pk"))
        .order_by()
        .values("assessor")
        .annotate(n=Count("round__portfolio", distinct=True))
        .values("n")
    )
    return assessors().annotate(
        candidates=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        covered=Exists(_overlapping(OuterRef("pk"), period_start, period_end)),
    )


def _overlapping(assessor, period_start: date, period_end: date) -> QuerySet[PEStatement]:
    return PEStatement.objects.filter(
        assessor=assessor, period_start__lte=period_end, period_end__gte=period_start
    )


@dataclass(frozen=True)
class Proof:
    """What a statement over a period proves, as the engine scores it."""

    candidates: int
    years: int
    points: int
    framework_version: str
    explanation: str


def proof(*, candidates: int, period_start: date, period_end: date) -> Proof:
    """JC-B: the points of a Register Jobcoach assessor over the period with ``candidates``,
    computed by the engine for the activity type the statement becomes (the whole period counts:
    the portfolio's own window is applied when the assessor takes it over)."""
    framework = jobcoach_framework(on=period_end)
    score = score_activity(
        PEActivity(
            type=JOBCOACH_MENTOR_ASSESSOR,
            start=period_start,
            end=period_end,
            candidates=candidates,
        ),
        framework=framework,
        window=Window(period_start, period_end),
    )
    return Proof(
        candidates=candidates,
        years=score.years or 0,
        points=int(score.points),
        framework_version=framework.version,
        explanation=score.explanation,
    )


def check_period(period_start: date, period_end: date, *, today: date) -> None:
    if period_end < period_start:
        raise PEStatementError(
            _("Het einde van de periode ligt vóór het begin."), field="period_end"
        )
    if period_end > today:
        raise PEStatementError(
            _(
                "Een verklaring gaat over een periode die voorbij is: kies een einde tot en met "
                "vandaag."
            ),
            field="period_end",
        )


# --- the transition ----------------------------------------------------------------------------


def issue_pe_statement(
    *, assessor, period_start: date, period_end: date, by, now: datetime | None = None
) -> PEStatement:
    """The certification coordinator signs the assessor's statement over the period.

    Counts the candidates from the records, computes the points, freezes both in the statement,
    records an audit event, renders the PDF and tells the assessor after commit. Issuing the
    same period again (a double click) returns the statement already issued. Raises
    PEStatementError when ``by`` is no certification coordinator or is the assessor, when the
    assessor is not one, for a period that has not ended or ends before it starts, and when
    another statement of the assessor covers part of the period.
    """
    now = now or timezone.now()
    if not is_certification_coordinator(by):
        raise PEStatementError(_("Alleen de coördinator certificeren ondertekent deze verklaring."))
    if by.pk == assessor.pk:
        raise PEStatementError(_("Je ondertekent geen verklaring voor jezelf."))
    if not assessor.has_role(Role.ASSESSOR):
        raise PEStatementError(_("%(name)s is geen assessor.") % {"name": assessor})
    check_period(period_start, period_end, today=timezone.localdate(now))
    with transaction.atomic():
        # One statement at a time per assessor: the periods are checked under this lock.
        User.objects.select_for_update().filter(pk=assessor.pk).first()
        overlapping = list(_overlapping(assessor, period_start, period_end))
        for existing in overlapping:
            if (existing.period_start, existing.period_end) == (period_start, period_end):
                return existing
        if overlapping:
            existing = overlapping[0]
            raise PEStatementError(
                _(
                    "Er is al een verklaring over %(start)s tot en met %(end)s; periodes van "
                    "één assessor overlappen niet, zodat niets twee keer telt."
                )
                % {"start": _day(existing.period_start), "end": _day(existing.period_end)},
                field="period_start",
            )
        counted = proof(
            candidates=len(
                candidates_of(assessor, period_start=period_start, period_end=period_end)
            ),
            period_start=period_start,
            period_end=period_end,
        )
        statement = PEStatement.objects.create(
            assessor=assessor,
            period_start=period_start,
            period_end=period_end,
            candidates=counted.candidates,
            years=counted.years,
            points=counted.points,
            framework_version=counted.framework_version,
            issued_by=by,
            issued_at=now,
        )
        record_security_event(
            action="pe_statement.issued",
            actor=by,
            target=statement,
            assessor=assessor.pk,
            period_start=period_start.isoformat(),
            period_end=period_end.isoformat(),
            candidates=counted.candidates,
            points=counted.points,
        )
        queue_report(kind=PE_STATEMENT, target=statement, by=by)
        notify(
            to=[assessor],
            template="pe_statement_issued",
            context={"statement": statement, "url": site_url("assessments:my_pe_statements")},
        )
    return statement


def rerender_pe_statement(*, statement: PEStatement, by) -> RenderJob:
    """A new version of the statement's PDF (staff, when a render failed); the statement itself
    stays as it was issued."""
    return queue_report(kind=PE_STATEMENT, target=statement, by=by)


# --- reading -----------------------------------------------------------------------------------


def statements_of(assessor) -> QuerySet[PEStatement]:
    return PEStatement.objects.filter(assessor=assessor).select_related("issued_by")


def issued_statements() -> QuerySet[PEStatement]:
    return PEStatement.objects.select_related("assessor", "issued_by")


def with_latest_jobs(statements) -> list[tuple[PEStatement, RenderJob | None]]:
    """Each statement with the newest version of its PDF, in one query for all of them."""
    statements = list(statements)
    if not statements:
        return []
    latest: dict[int, RenderJob] = {}
    for job in RenderJob.objects.filter(
        kind=PE_STATEMENT,
        content_type=ContentType.objects.get_for_model(PEStatement),
        object_id__in=[statement.pk for statement in statements],
    ).order_by("object_id", "-version"):
        latest.setdefault(job.object_id, job)
    return [(statement, latest.get(statement.pk)) for statement in statements]


# --- the PDF -----------------------------------------------------------------------------------


def _day(day: date) -> str:
    return day_text(day, "j F Y")


@register_report(PE_STATEMENT, can_view=can_view_pe_statement)
def build_pe_statement(statement: PEStatement) -> Report:
    statement = PEStatement.objects.select_related("assessor", "issued_by").get(pk=statement.pk)
    framework = jobcoach_framework(version=statement.framework_version)
    kind = framework.activity_type(JOBCOACH_MENTOR_ASSESSOR)
    title = _("PE-verklaring assessor %(name)s, %(start)s – %(end)s") % {
        "name": statement.assessor.full_name or statement.assessor.email,
        "start": _day(statement.period_start),
        "end": _day(statement.period_end),
    }
    return Report(
        template="assessments/pdf/pe_statement.html",
        context={
            "title": title,
            "statement": statement,
            "framework": framework,
            "kind": kind,
            "category": framework.category(kind.category),
            "register": registry.get(JOBCOACH).register_label,
            "year_points": statement.years * kind.rate,
            "candidate_points": statement.candidates * kind.candidate_rate,
            "generated_at": timezone.now(),
        },
        title=title,
    )


def latest_pdf(statement: PEStatement) -> RenderJob | None:
    return latest_reports(statement, PE_STATEMENT).filter(state=RenderState.DONE).first()


# --- the offer in the assessor's own portfolio (portfolios.hooks.on_activity_offers) ----------


def source_of(statement: PEStatement) -> str:
    """The source an activity taken over from this statement carries (JC-B-SOURCE)."""
    return f"pe-verklaring-{statement.pk}"


def _newest_pdf(content_type: int, column: str) -> Subquery:
    """A column of the newest version of the statement's PDF, whatever its state."""
    return Subquery(
        RenderJob.objects.filter(
            kind=PE_STATEMENT, content_type_id=content_type, object_id=OuterRef("pk")
        )
        .order_by("-version")
        .values(column)[:1]
    )


# The PE register of every Jobcoach portfolio offers its owner's statements: the statements,
# each with the newest version of its PDF, in one query compiled once per process.
_OFFERED = PreparedQuery(
    lambda assessor, content_type: (
        statements_of(assessor)
        .annotate(
            pdf_pk=_newest_pdf(content_type, "pk"),
            pdf_state=_newest_pdf(content_type, "state"),
            pdf_file=_newest_pdf(content_type, "file"),
        )
        .order_by("period_start", "pk")
    ),
    assessor=int,
    content_type=int,
)


def _offered_with_jobs(owner) -> list[tuple[PEStatement, RenderJob | None]]:
    """:func:`with_latest_jobs` of the owner's statements by period, in a prepared query; the
    PDF's job holds what the offer uses of it (its state and file)."""
    content_type = ContentType.objects.get_for_model(PEStatement).pk
    return [
        (
            statement,
            None
            if statement.pdf_pk is None
            else RenderJob(
                pk=statement.pdf_pk,
                kind=PE_STATEMENT,
                content_type_id=content_type,
                object_id=statement.pk,
                state=statement.pdf_state,
                file=statement.pdf_file,
            ),
        )
        for statement in _OFFERED(assessor=owner.pk, content_type=content_type)
    ]


def pe_statement_offers(*, owner) -> list[ActivityOffer]:
    """The owner's statements as activities of category 4, each with its PDF as the evidence."""
    offers = []
    for statement, job in _offered_with_jobs(owner):
        done = job if job is not None and job.state == RenderState.DONE else None
        offers.append(
            ActivityOffer(
                source=source_of(statement),
                activity_type=JOBCOACH_MENTOR_ASSESSOR,
                title=_("Assessor Register Jobcoach %(start)s – %(end)s")
                % {"start": _day(statement.period_start), "end": _day(statement.period_end)},
                values={
                    "start": statement.period_start,
                    "end": statement.period_end,
                    "candidates": statement.candidates,
                },
                description=ngettext(
                    "Verklaring van %(by)s, afgegeven op %(day)s: %(n)s beoordeelde kandidaat, "
                    "%(points)s PE-punten",
                    "Verklaring van %(by)s, afgegeven op %(day)s: %(n)s beoordeelde "
                    "kandidaten, %(points)s PE-punten",
                    statement.candidates,
                )
                % {
                    "by": statement.issued_by,
                    "day": _day(timezone.localdate(statement.issued_at)),
                    "n": statement.candidates,
                    "points": statement.points,
                },
                ready=done is not None,
                evidence=_evidence_reader(statement, done),
            )
        )
    return offers


def _evidence_reader(statement: PEStatement, job: RenderJob | None):
    def read() -> tuple[str, bytes]:
        if job is None:
            raise LookupError(f"statement {statement.pk} has no PDF yet")
        with job.file.open("rb") as file:
            data = file.read()
        start, end = statement.period_start, statement.period_end
        name = f"pe-verklaring-assessor-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
        return name, data

    return read
