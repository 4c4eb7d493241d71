import pytest

from tests.factories import Role, user_with


@pytest.fixture
def professional(db):
    return user_with(Role.PROFESSIONAL)


@pytest.fixture
def other_professional(db):
    return user_with(Role.PROFESSIONAL)


@pytest.fixture
def assessor(db):
    return user_with(Role.ASSESSOR)


@pytest.fixture
def certification_coordinator(db):
    return user_with(Role.CERTIFICATION_COORDINATOR)


@pytest.fixture
def circle_coordinator(db):
    return user_with(Role.CIRCLE_COORDINATOR)


@pytest.fixture
def staff(db):
    return user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
