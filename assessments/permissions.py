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
