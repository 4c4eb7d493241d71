"""The API fuzzed from its own OpenAPI schema (schemathesis): empty, overlong, wrong-type and
odd values in every parameter and body, sent as a signed-in professional who owns a portfolio.
Whatever comes in, no request answers 500."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from portfolios.exchange.storage import import_bundle
from tests.portfolios.exchange_samples import jobcoach_document, make_bundle

# The schema view is public; reading it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())


@pytest.fixture
def owner_token(db, professional):
    """A professional's token and the id of their portfolio, which the even ids that are fuzzed
    are swapped for, so that the portfolio views also see odd query values."""
    portfolio = import_bundle(make_bundle(jobcoach_document()), owner=professional)
    # The WSGI handler would close the test's connection around each request; the test client
    # prevents that the same way for its own requests.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield Token.objects.create(user=professional).key, portfolio.pk
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_api_request_answers_500(case, owner_token):
    token, portfolio_id = owner_token
    fuzzed_id = (case.path_parameters or {}).get("id")
    if isinstance(fuzzed_id, int) and fuzzed_id % 2 == 0:
        case.path_parameters["id"] = portfolio_id
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])
