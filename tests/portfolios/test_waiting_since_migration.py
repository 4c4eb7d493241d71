"""Migration 0009 stores each portfolio's waiting time (its last step in the workflow, else its
submission), which the certification queue computed from the audit trail on every request
before (run on the real database: PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.migration_steps import migrate, schema_at

BEFORE = ("portfolios", "0008_pe_activity_source")
AFTER = ("portfolios", "0009_portfolio_waiting_since")

SUBMITTED = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def at_0008(transactional_db):
    yield from schema_at(BEFORE)


def seed(apps):
    """A portfolio with steps and later edits in its trail, one submitted without a step in its
    trail, and a draft with only edits."""
    User = apps.get_model("accounts", "User")
    Portfolio = apps.get_model("portfolios", "Portfolio")
    AuditEvent = apps.get_model("portfolios", "AuditEvent")
    owner = User.objects.create(email="jc@example.org", full_name="Petra de Jong")

    def portfolio(**values):
        return Portfolio.objects.create(
            owner=owner,
            framework="jobcoach-recertification",
            framework_version="2024.1",
            **values,
        )

    def happened(portfolio, action, days):
        event = AuditEvent.objects.create(portfolio=portfolio, actor=owner, action=action)
        AuditEvent.objects.filter(pk=event.pk).update(at=SUBMITTED + timedelta(days=days))

    stepped = portfolio(state="supplement_requested", submitted_at=SUBMITTED)
    for action, days in (
        ("created", -30),
        ("submitted", 0),
        ("assessor_assigned", 2),
        ("supplement_requested", 9),
        ("section_saved", 10),
        ("pe_activity_added", 11),
        ("confirmation_requested", 12),
    ):
        happened(stepped, action, days)
    quiet = portfolio(state="submitted", submitted_at=SUBMITTED + timedelta(days=5))
    draft = portfolio()
    happened(draft, "created", 0)
    happened(draft, "section_saved", 1)
    return stepped.pk, quiet.pk, draft.pk


def test_0009_stores_the_last_step_else_the_submission(at_0008):
    stepped, quiet, draft = seed(at_0008)

    apps = migrate(AFTER)
    Portfolio = apps.get_model("portfolios", "Portfolio")
    stored = dict(Portfolio.objects.values_list("pk", "waiting_since"))
    assert stored == {
        stepped: SUBMITTED + timedelta(days=9),
        quiet: SUBMITTED + timedelta(days=5),
        draft: None,
    }
