"""Migration 0005 moves the Jobcoach sections off the portfolio row onto JobcoachDetails, and
back when it is reversed, without losing a value (run on the real database: PostgreSQL)."""

from datetime import date

import pytest

from tests.migration_steps import migrate, schema_at

BEFORE = ("portfolios", "0004_framework_choices_from_registry")
AFTER = ("portfolios", "0005_jobcoach_details")

JOBCOACH_VALUES = {
    "recertification_date": date(2027, 3, 31),
    "a1_statement_signed": True,
    "a2_report": "Terugblik",
    "report_situation": "Situatie",
    "report_motivation": "Motivatie",
    "report_insights": "Inzichten",
    "report_consequences": "Gevolgen",
    "plan_present": "Heden",
    "plan_past": "Verleden",
    "plan_future": "Toekomst",
}


@pytest.fixture
def at_0004(transactional_db):
    yield from schema_at(BEFORE)


def seed(apps):
    """A Jobcoach portfolio with every moved field set, one with nothing set, and an LP one."""
    User = apps.get_model("accounts", "User")
    Document = apps.get_model("documents", "Document")
    Portfolio = apps.get_model("portfolios", "Portfolio")
    ReflectionMeeting = apps.get_model("portfolios", "ReflectionMeeting")
    owner = User.objects.create(email="jc@example.org", full_name="Petra de Jong")
    statement = Document.objects.create(
        owner=owner, file="x/verklaring.pdf", original_name="verklaring.pdf",
        content_type="application/pdf", size=400, sha256="0" * 64,
    )  # fmt: skip
    full = Portfolio.objects.create(
        owner=owner, framework="jobcoach-recertification", framework_version="2024.1",
        a1_statement=statement, **JOBCOACH_VALUES,
    )  # fmt: skip
    meeting = ReflectionMeeting.objects.create(portfolio=full, kind="intervision")
    full.report_meeting = meeting
    full.save(update_fields=["report_meeting"])
    empty = Portfolio.objects.create(
        owner=owner, framework="jobcoach-recertification", framework_version="2024.1"
    )
    loopbaan = Portfolio.objects.create(
        owner=owner, framework="loopbaanprofessional-initial", framework_version="2025.1"
    )
    return full.pk, empty.pk, loopbaan.pk, statement.pk, meeting.pk


def test_0005_copies_every_jobcoach_portfolio_onto_its_details_row_and_back(at_0004):
    full, empty, loopbaan, statement, meeting = seed(at_0004)

    apps = migrate(AFTER)
    Details = apps.get_model("portfolios", "JobcoachDetails")
    assert sorted(Details.objects.values_list("portfolio_id", flat=True)) == [full, empty]
    moved = Details.objects.get(portfolio_id=full)
    assert {name: getattr(moved, name) for name in JOBCOACH_VALUES} == JOBCOACH_VALUES
    assert (moved.a1_statement_id, moved.report_meeting_id) == (statement, meeting)
    blank = Details.objects.get(portfolio_id=empty)
    assert (blank.recertification_date, blank.a2_report, blank.a1_statement_id) == (None, "", None)
    Portfolio = apps.get_model("portfolios", "Portfolio")
    assert not hasattr(Portfolio.objects.get(pk=full), "a2_report")

    apps = migrate(BEFORE)
    Portfolio = apps.get_model("portfolios", "Portfolio")
    back = Portfolio.objects.get(pk=full)
    assert {name: getattr(back, name) for name in JOBCOACH_VALUES} == JOBCOACH_VALUES
    assert (back.a1_statement_id, back.report_meeting_id) == (statement, meeting)
    for pk in (empty, loopbaan):
        other = Portfolio.objects.get(pk=pk)
        assert (other.recertification_date, other.a2_report, other.a1_statement_id) == (
            None,
            "",
            None,
        )
