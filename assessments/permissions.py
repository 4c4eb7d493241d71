from assessments.models import Assignment, AssignmentState
from noloc_portal.accounts.models import Role


def is_assigned_assessor(user, portfolio) -> bool:
    """AS-3: an assessor sees only portfolios assigned to them (and never their own).

    Registered with portfolios.permissions as a viewer rule of every portfolio."""
    if not user.has_role(Role.ASSESSOR) or portfolio.owner_id == user.pk:
        return False
    return (
        Assignment.objects.filter(round__portfolio=portfolio, assessor=user)
        .exclude(state=AssignmentState.DECLINED)
        .exists()
    )


def is_certification_coordinator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CERTIFICATION_COORDINATOR)


def is_assessor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ASSESSOR)


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
