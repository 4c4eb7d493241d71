"""Every URL name × persona × GET, for the portal outside the quality circles (which have their
own matrix in tests/kwaliteitskringen/test_views.py). Outsiders get 404, anonymous visitors the
login page, POST-only views 405 on GET. A companion test fails when a URL name is missing."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import (
    Advice,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    Registration,
)
from kwaliteitskringen.urls import urlpatterns as circle_urlpatterns
from noloc_portal.pdf.services import queue_report
from noloc_portal.privacy.models import AccountRemovalRequest, DataExport
from portfolios.dossier import DOSSIER
from portfolios.evaluation import evaluate
from portfolios.exchange.document import dump_document
from portfolios.jobcoach.models import FacilitatorConfirmation
from portfolios.models import PortfolioState
from portfolios.services import portfolio_snapshot
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting
from tests.portfolios.factories import (
    CaseFactory,
    CourseFactory,
    LoopbaanPortfolioFactory,
    PEActivityFactory,
    PortfolioFactory,
    ReflectionMeetingFactory,
    complete_loopbaan_portfolio,
    complete_portfolio,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "owner",
    "other_professional",
    "assigned_assessor",
    "unassigned_assessor",
    "certification_coordinator",
    "circle_coordinator",
    "staff",
]
LOGGED_IN = [p for p in PERSONAS if p != "anonymous"]
EVERYONE = dict.fromkeys(PERSONAS, 200)
ANY_LOGGED_IN = dict.fromkeys(LOGGED_IN, 200)
OWNER = {"owner": 200}
OWNER_AND_STAFF = {"owner": 200, "staff": 200}
READERS_OF_SUBMITTED = {
    "owner": 200,
    "assigned_assessor": 200,
    "certification_coordinator": 200,
    "staff": 200,
}
PROFESSIONALS = {"owner": 200, "other_professional": 200}
POST_ONLY = dict.fromkeys(LOGGED_IN, 405)
ANONYMOUS_ONLY = {**dict.fromkeys(LOGGED_IN, 302), "anonymous": 200}


@dataclass
class World:
    owner: object
    other_professional: object
    assigned_assessor: object
    unassigned_assessor: object
    certification_coordinator: object
    circle_coordinator: object
    staff: object


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    owner = user_with(Role.PROFESSIONAL)
    people = World(
        owner=owner,
        other_professional=user_with(Role.PROFESSIONAL),
        assigned_assessor=user_with(Role.ASSESSOR),
        unassigned_assessor=user_with(Role.ASSESSOR),
        certification_coordinator=user_with(Role.CERTIFICATION_COORDINATOR),
        circle_coordinator=user_with(Role.CIRCLE_COORDINATOR),
        staff=user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True),
    )
    draft = PortfolioFactory(owner=owner)
    meeting = ReflectionMeetingFactory(portfolio=draft)
    activity = PEActivityFactory(portfolio=draft)
    confirmation = FacilitatorConfirmation.objects.create(
        meeting=meeting, email="b@example.org", expires_at="2099-01-01T00:00:00Z"
    )
    submitted = complete_portfolio(owner=owner, state=PortfolioState.SUBMITTED)
    round_ = AssessmentRound.objects.create(portfolio=submitted, number=1)
    # The assigned assessor declared no conflict of interest (AS-2): before that no content opens.
    assignment = Assignment.objects.create(
        round=round_,
        assessor=people.assigned_assessor,
        state=AssignmentState.JUDGING,
        declared_at=timezone.now(),
    )
    frozen = evaluate(portfolio_snapshot(submitted), as_of=date(2026, 11, 1))
    submission = submitted.submissions.create(
        number=1,
        submitted_by=owner,
        document=dump_document(portfolio_snapshot(submitted)),
        evaluation=frozen.to_json(),
    )
    # A resubmission round: its assessors (already declared) see what changed since round 1.
    resubmitted = AssessmentRound.objects.create(
        portfolio=submitted, number=2, submission=submission, reason="resubmitted"
    )
    Assignment.objects.create(
        round=resubmitted, assessor=people.assigned_assessor, state=AssignmentState.JUDGING
    )
    with django_capture_on_commit_callbacks(execute=False):
        job = queue_report(kind=DOSSIER, target=submission)
    job.state = "done"
    job.file.save("d.pdf", submitted.cv.file.open("rb"), save=True)
    circle_meeting = held_meeting(CircleFactory(), "2025-06-03", present=[owner])
    d, s = draft.pk, submitted.pk
    lp_draft = LoopbaanPortfolioFactory(owner=owner)
    lp_case = CaseFactory(portfolio=lp_draft)
    lp_course = CourseFactory(portfolio=lp_draft)
    lp_submitted = complete_loopbaan_portfolio(owner=owner, state=PortfolioState.SUBMITTED)
    lp_round = AssessmentRound.objects.create(portfolio=lp_submitted, number=1)
    Assignment.objects.create(
        round=lp_round,
        assessor=people.assigned_assessor,
        state=AssignmentState.JUDGING,
        declared_at=timezone.now(),
    )
    Interview.objects.create(
        round=lp_round, starts_at="2099-01-05T10:00:00+01:00", location="Utrecht"
    )
    ld, ls = lp_draft.pk, lp_submitted.pk
    # A registration of the owner that runs out: its recertification starts from a link.
    expiring = Registration.objects.create(
        owner=owner, register="jobcoach", valid_from=date(2023, 6, 1), valid_until=date(2027, 5, 31)
    )
    # The coordinator's forms: a portfolio waiting for its assessor, one waiting for a decision.
    unassigned = PortfolioFactory(owner=owner, state=PortfolioState.SUBMITTED)
    AssessmentRound.objects.create(portfolio=unassigned, number=1)
    advised = PortfolioFactory(owner=owner, state=PortfolioState.ADVISED)
    advised_round = AssessmentRound.objects.create(portfolio=advised, number=1)
    Assignment.objects.create(
        round=advised_round, assessor=people.assigned_assessor, state=AssignmentState.JUDGED
    )
    Advice.objects.create(
        round=advised_round,
        outcome="positive",
        motivation="Voldoet.",
        advised_by=people.assigned_assessor,
    )
    ls_case = lp_submitted.cases.first().pk
    registration = Registration.objects.create(
        owner=owner,
        register="jobcoach",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=1460),
    )
    export = DataExport.objects.create(user=owner, state="done", size=4, finished_at=timezone.now())
    export.file.save("export.zip", ContentFile(b"PK\x05\x06"), save=True)
    removal = AccountRemovalRequest.objects.create(user=owner)
    targets = {
        # Visitors see the front page; each persona has one role: home sends it to its start page.
        "home": ((), {**dict.fromkeys(LOGGED_IN, 302), "anonymous": 200}),
        "healthz": ((), EVERYONE),
        "accounts:login": ((), {**dict.fromkeys(LOGGED_IN, 302), "anonymous": 200}),
        "accounts:logout": ((), {**POST_ONLY, "anonymous": 405}),
        "accounts:password_change": ((), ANY_LOGGED_IN),
        "accounts:password_change_done": ((), ANY_LOGGED_IN),
        "accounts:logout_everywhere": ((), ANY_LOGGED_IN),
        "accounts:password_reset": ((), EVERYONE),
        "accounts:password_reset_done": ((), EVERYONE),
        "accounts:password_reset_confirm": (("MQ", "set-password"), EVERYONE),
        "accounts:password_reset_complete": ((), EVERYONE),
        # Sign-up is for visitors: a logged-in person is sent home.
        "accounts:signup": ((), ANONYMOUS_ONLY),
        "accounts:signup_done": ((), ANONYMOUS_ONLY),
        "accounts:signup_resend": ((), ANONYMOUS_ONLY),
        "accounts:signup_verify": (("OTk5OTk5OTk5", "1-2"), EVERYONE),  # no such account
        # Every persona passed the second step (or needs none): the code and the recovery codes
        # pages send them on; the set-up is for those without an app (here the professionals).
        "accounts:otp_verify": ((), dict.fromkeys(LOGGED_IN, 302)),
        "accounts:otp_setup": ((), {**dict.fromkeys(LOGGED_IN, 302), **PROFESSIONALS}),
        "accounts:otp_recovery_codes": ((), dict.fromkeys(LOGGED_IN, 302)),
        "portfolios:list": ((), PROFESSIONALS),
        "portfolios:new": ((), PROFESSIONALS),
        "portfolios:detail": ((d,), OWNER_AND_STAFF),
        "portfolios:detail#submitted": ((s,), READERS_OF_SUBMITTED),
        "portfolios:a1": ((d,), OWNER_AND_STAFF),
        "portfolios:a1#submitted": ((s,), READERS_OF_SUBMITTED),
        "portfolios:a2": ((d,), OWNER_AND_STAFF),
        "portfolios:meetings": ((d,), OWNER_AND_STAFF),
        "portfolios:meeting_edit": ((d, meeting.pk), OWNER_AND_STAFF),
        "portfolios:meeting_delete": ((d, meeting.pk), POST_ONLY),
        "portfolios:meeting_request_confirmation": ((d, meeting.pk), POST_ONLY),
        "portfolios:confirmation_revoke": ((d, confirmation.pk), POST_ONLY),
        "portfolios:report": ((d,), OWNER_AND_STAFF),
        "portfolios:plan": ((d,), OWNER_AND_STAFF),
        "portfolios:pe": ((d,), OWNER_AND_STAFF),
        "portfolios:pe#submitted": ((s,), READERS_OF_SUBMITTED),
        "portfolios:pe_new": ((d,), OWNER),
        "portfolios:pe_add": ((d, "course"), OWNER),
        "portfolios:pe_points": ((d, "course"), POST_ONLY),
        "portfolios:pe_edit": ((d, activity.pk), OWNER),
        "portfolios:pe_delete": ((d, activity.pk), POST_ONLY),
        "portfolios:declaration": ((d,), OWNER_AND_STAFF),
        "portfolios:add_circle_meeting": ((d, circle_meeting.pk), POST_ONLY),
        "portfolios:submit": ((d,), POST_ONLY),
        "portfolios:withdraw": ((d,), POST_ONLY),
        "portfolios:confirm": ((confirmation.token,), EVERYONE),
        "portfolios:bundle": ((d,), OWNER),
        "portfolios:bundle#submitted": ((s,), READERS_OF_SUBMITTED),
        "portfolios:detail#lp": ((ld,), OWNER_AND_STAFF),
        "portfolios:detail#lp-submitted": ((ls,), READERS_OF_SUBMITTED),
        "portfolios:lp_education": ((ld,), OWNER_AND_STAFF),
        "portfolios:lp_education#submitted": ((ls,), READERS_OF_SUBMITTED),
        "portfolios:lp_course_new": ((ld,), OWNER),
        "portfolios:lp_course_edit": ((ld, lp_course.pk), OWNER),
        "portfolios:lp_course_delete": ((ld, lp_course.pk), POST_ONLY),
        "portfolios:lp_experience": ((ld,), OWNER_AND_STAFF),
        "portfolios:lp_cases": ((ld,), OWNER_AND_STAFF),
        "portfolios:lp_cases#submitted": ((ls,), READERS_OF_SUBMITTED),
        "portfolios:lp_case_add": ((ld,), POST_ONLY),
        "portfolios:lp_case": ((ld, lp_case.pk), OWNER_AND_STAFF),
        "portfolios:lp_case#submitted": ((ls, ls_case), READERS_OF_SUBMITTED),
        "portfolios:lp_case_delete": ((ld, lp_case.pk), POST_ONLY),
        "portfolios:lp_plan": ((ld,), OWNER_AND_STAFF),
        "portfolios:lp_declaration": ((ld,), OWNER_AND_STAFF),
        "portfolios:lp_declaration#submitted": ((ls,), READERS_OF_SUBMITTED),
        "portfolios:bundle#lp": ((ld,), OWNER),
        "assessments:assigned": ((), {"assigned_assessor": 200, "unassigned_assessor": 200}),
        "assessments:certification": ((), {"certification_coordinator": 200}),
        "assessments:certification_portfolio": ((s,), {"certification_coordinator": 200}),
        "assessments:certification_portfolio#lp": ((ls,), {"certification_coordinator": 200}),
        "assessments:certification_portfolio#unassigned": (
            (unassigned.pk,),
            {"certification_coordinator": 200},
        ),
        "assessments:certification_portfolio#advised": (
            (advised.pk,),
            {"certification_coordinator": 200},
        ),
        # A draft is nobody's business but the owner's (and staff, in the admin).
        "assessments:certification_portfolio#draft": ((d,), {}),
        "assessments:certification_assign": ((s,), POST_ONLY),
        "assessments:certification_decide": ((s,), POST_ONLY),
        "assessments:certification_audit": ((s,), {"certification_coordinator": 200, "staff": 200}),
        "assessments:certification_audit#draft": ((d,), {"staff": 200}),
        "assessments:assignment": ((assignment.pk,), {"assigned_assessor": 200}),
        "assessments:judge": ((assignment.pk,), {"assigned_assessor": 200}),
        # Interview and advice: the declared assessors of the round only.
        "assessments:compare": ((round_.pk,), {"assigned_assessor": 200}),
        "assessments:compare#lp": ((lp_round.pk,), {"assigned_assessor": 200}),
        "assessments:advice": ((round_.pk,), {"assigned_assessor": 200}),
        "assessments:advice#lp": ((lp_round.pk,), {"assigned_assessor": 200}),
        "assessments:interview": ((lp_round.pk,), {"assigned_assessor": 200}),
        "assessments:interview#jobcoach": ((round_.pk,), {}),
        "assessments:interview_record": ((lp_round.pk,), {"assigned_assessor": 200}),
        "assessments:supplement_diff": (
            (resubmitted.pk,),
            {"assigned_assessor": 200, "certification_coordinator": 200, "staff": 200},
        ),
        "assessments:expiring_registrations": (
            (),
            {"certification_coordinator": 200, "staff": 200},
        ),
        "assessments:recertify": ((expiring.pk,), OWNER),
        # The public register: anyone; a registration's page: its owner, the coordinator, staff.
        "register:search": ((), EVERYONE),
        "register:entry": ((registration.public_id,), EVERYONE),
        "register:listing": ((), PROFESSIONALS),
        "register:certificate": (
            (registration.pk,),
            {"owner": 200, "certification_coordinator": 200, "staff": 200},
        ),
        # The assessor's PE statement (JC-B category 4): issued by the coordinator, read by the
        # assessor it is for (tests/assessments/test_pe_statements.py walks the rest).
        "assessments:pe_statements": ((), {"certification_coordinator": 200}),
        "assessments:pe_statement_assessor": (
            (people.assigned_assessor.pk,),
            {"certification_coordinator": 200},
        ),
        "assessments:pe_statement_issue": ((people.assigned_assessor.pk,), POST_ONLY),
        "assessments:my_pe_statements": (
            (),
            {"assigned_assessor": 200, "unassigned_assessor": 200},
        ),
        "portfolios:pe_take_over": ((d, "pe-verklaring-1"), POST_ONLY),
        "documents:download": (
            (draft.cv.uuid if draft.cv else meeting.statement.uuid,),
            OWNER_AND_STAFF,
        ),
        "documents:download#submitted": ((submitted.cv.uuid,), READERS_OF_SUBMITTED),
        "documents:inline": (
            (draft.cv.uuid if draft.cv else meeting.statement.uuid,),
            OWNER_AND_STAFF,
        ),
        "documents:inline#submitted": ((submitted.cv.uuid,), READERS_OF_SUBMITTED),
        "pdf:download": ((job.pk,), READERS_OF_SUBMITTED),
        "pdf:status": ((job.pk,), READERS_OF_SUBMITTED),
        "api-schema": ((), EVERYONE),
        "api-docs": ((), EVERYONE),
        "api-token": ((), {**POST_ONLY, "anonymous": 405}),
        "api-evaluate": ((), POST_ONLY),
        "api-portfolio-list": ((), ANY_LOGGED_IN),
        "api-portfolio-import": ((), POST_ONLY),
        "api-portfolio-detail": ((d,), OWNER_AND_STAFF),
        "api-portfolio-detail#submitted": ((s,), READERS_OF_SUBMITTED),
        "api-portfolio-evaluation": ((s,), READERS_OF_SUBMITTED),
        "api-portfolio-export": ((d,), OWNER),
        "api-portfolio-bundle": ((d,), OWNER),
        "api-portfolio-evaluation#lp": ((ls,), READERS_OF_SUBMITTED),
        "documents:download#lp-certificate": (
            (lp_submitted.courses.first().certificate.uuid,),
            READERS_OF_SUBMITTED,
        ),
        "api-portfolio-export#lp": ((ld,), OWNER),
        "privacy:mine": ((), ANY_LOGGED_IN),
        "privacy:export_request": ((), POST_ONLY),
        "privacy:export_status": ((export.key,), OWNER),
        "privacy:export_download": ((export.key,), OWNER),
        "privacy:removal_request": ((), POST_ONLY),
        "privacy:removal_withdraw": ((removal.pk,), POST_ONLY),
    }
    return people, targets


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in ("admin", "kwaliteitskringen"):
                continue
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_name_is_in_a_permission_matrix(world):
    _, targets = world
    assert set(_names(get_resolver().url_patterns)) == {key.split("#")[0] for key in targets}
    assert circle_urlpatterns  # the circle URLs have their own matrix


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_get(client, world, persona):
    people, targets = world
    if persona != "anonymous":
        client.force_login(getattr(people, persona))
    failures = []
    for key, (args, allowed) in targets.items():
        name = key.split("#")[0]
        response = client.get(reverse(name, args=args))
        status = response.status_code
        if persona == "anonymous" and "anonymous" not in allowed:
            # Pages: the login page. API: 401/403 (no session, no token).
            if name.startswith("api-"):
                ok = status in (401, 403)
            else:
                ok = status == 302 and response.url.startswith(reverse("accounts:login"))
        else:
            ok = status == allowed.get(persona, 404)
        if not ok:
            failures.append((key, status))
    assert not failures, f"{persona}: {failures}"
