from assessments.models import Assignment, AssignmentState
from noloc_portal.accounts.models import Role
from portfolios.models import PortfolioState

# AS-2: an assessor has declared no conflict of interest in these states.
DECLARED_STATES = (AssignmentState.JUDGING, AssignmentState.JUDGED)


def is_assigned_assessor(user, portfolio) -> bool:
    """AS-2, AS-3: an assessor sees only portfolios assigned to them (and never their own), and
    only after declaring no conflict of interest; before that only the declaration page opens.

    Registered with portfolios.permissions as a viewer rule of every portfolio."""
    if not user.has_role(Role.ASSESSOR) or portfolio.owner_id == user.pk:
        return False
    return Assignment.objects.filter(
        round__portfolio=portfolio, assessor=user, state__in=DECLARED_STATES
    ).exists()


def is_assessor_of(user, assignment) -> bool:
    """The assessor of this assignment: the only one who declares, declines and judges it."""
    return (
        user.is_authenticated
        and assignment.assessor_id == user.pk
        and user.has_role(Role.ASSESSOR)
        and assignment.round.portfolio.owner_id != user.pk
    )


def is_certification_coordinator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CERTIFICATION_COORDINATOR)


def is_assessor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ASSESSOR)


def can_view_assessment_report(user, round) -> bool:
    """AS-7: the assessment report is read by staff, the certification coordinators and the
    assessors of the portfolio who declared no conflict of interest; by the owner only once the
    portfolio is decided. Everyone else gets a 404 from the download."""
    if not user.is_authenticated:
        return False
    if user.is_staff or is_certification_coordinator(user):
        return True
    portfolio = round.portfolio
    if portfolio.owner_id == user.pk:
        return portfolio.state == PortfolioState.DECIDED
    return (
        is_assessor(user)
        and Assignment.objects.filter(
            round__portfolio_id=portfolio.pk, assessor=user, declared_at__isnull=False
        )
        .exclude(state=AssignmentState.DECLINED)
        .exists()
    )


def can_coordinate(user, portfolio) -> bool:
    """AS-2, AS-5: the certification coordinator assigns and records decisions on every portfolio
    past the draft stage."""
    return is_certification_coordinator(user) and portfolio.state != PortfolioState.DRAFT


def can_view_audit_trail(user, portfolio) -> bool:
    """The audit trail of a portfolio: the certification coordinator and staff."""
    return user.is_authenticated and (user.is_staff or can_coordinate(user, portfolio))


# --- interview and advice (AS-4, AS-5, AS-6) ---------------------------------------------------


def declared_assignment(user, round) -> Assignment | None:
    """The user's assignment of the round once they declared no conflict of interest (AS-2):
    judging or judged, never on their own portfolio. None for everybody else, who gets a 404 on
    the round's interview and advice pages."""
    if not user.is_authenticated or not user.has_role(Role.ASSESSOR):
        return None
    if round.portfolio.owner_id == user.pk:
        return None
    return round.assignments.filter(
        assessor=user, state__in=[AssignmentState.JUDGING, AssignmentState.JUDGED]
    ).first()


# --- supplement rounds ---------------------------------------------------------------------------


def can_see_round_changes(user, round) -> bool:
    """The diff between a round's submission and the previous one: the round's assessors who
    declared (not declined, not still to declare), the certification coordinator, staff."""
    if not user.is_authenticated or round.portfolio.owner_id == user.pk:
        return False
    if user.is_staff or user.has_role(Role.CERTIFICATION_COORDINATOR):
        return True
    return (
        user.has_role(Role.ASSESSOR)
        and round.assignments.filter(
            assessor=user, state__in=[AssignmentState.JUDGING, AssignmentState.JUDGED]
        ).exists()
    )


# --- registrations running out (AS-5) ------------------------------------------------------------


def can_see_expiring_registrations(user) -> bool:
    """The list of registrations running out: the certification coordinator and the
    secretariat."""
    return user.is_authenticated and (
        user.has_role(Role.CERTIFICATION_COORDINATOR) or user.has_role(Role.SECRETARIAT)
    )


def can_recertify(user, registration) -> bool:
    """Only the registered professional starts the recertification of their registration."""
    return (
        user.is_authenticated
        and registration.owner_id == user.pk
        and user.has_role(Role.PROFESSIONAL)
    )


# --- registrations: the certificate and the public register --------------------------------------


def can_view_registration(user, registration) -> bool:
    """A registration's own page and its certificate: the registered professional, the
    certification coordinator and the secretariat (staff or the secretariat role). Everyone else
    gets a 404; the public register shows only what is public of a current registration."""
    if not user.is_authenticated:
        return False
    return (
        registration.owner_id == user.pk
        or user.is_staff
        or user.has_role(Role.SECRETARIAT)
        or is_certification_coordinator(user)
    )


def can_edit_register_listing(user) -> bool:
    """What the public register shows of a professional (their place, shown or not): the
    professional themselves."""
    return user.is_authenticated and user.has_role(Role.PROFESSIONAL)


# --- the assessor's PE statement (JC-B category 4) ----------------------------------------------


def can_view_pe_statement(user, statement) -> bool:
    """The assessor it is for, the certification coordinators and staff; everyone else a 404."""
    if not user.is_authenticated:
        return False
    return statement.assessor_id == user.pk or user.is_staff or is_certification_coordinator(user)
