"""seed_demo: the demo assessor is also a professional with a draft Jobcoach portfolio and a
signed PE statement (JC-B category 4) waiting on her PE register to be taken over."""

import io

import pytest
from django.core.management import call_command

from assessments.models import PEStatement
from assessments.pe_statements import PE_STATEMENT, latest_pdf
from noloc_portal.accounts.models import Role, User
from portfolios.jobcoach.services import activity_offers_for
from portfolios.models import Portfolio, PortfolioState

pytestmark = pytest.mark.django_db


def test_the_demo_assessor_has_a_statement_to_take_over(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assessor = User.objects.get(email="assessor@example.org")
    assert assessor.has_role(Role.ASSESSOR) and assessor.has_role(Role.PROFESSIONAL)
    statement = PEStatement.objects.get(assessor=assessor)
    # Her judged Jobcoach portfolio counts; the Loopbaanprofessional one is another register.
    assert statement.candidates == 1 and statement.points == 6
    assert statement.issued_by.email == "certification@example.org"
    assert latest_pdf(statement) is not None, PE_STATEMENT
    portfolio = Portfolio.objects.get(owner=assessor, state=PortfolioState.DRAFT)
    assert [offer.ready for offer in activity_offers_for(portfolio=portfolio)] == [True]
    # Run again: nothing doubles.
    call_command("seed_demo", stdout=io.StringIO())
    assert PEStatement.objects.filter(assessor=assessor).count() == 1
    assert Portfolio.objects.filter(owner=assessor).count() == 1
