"""What the apps offer a person to take over, remembered under their offer revision
(portfolios.hooks.offers_revision, kept by the triggers of assessments 0007 and quality circles
0008): every write to a row an offer shows changes it, whoever writes it and however; the PE
register reads the offers only when it writes them, and never shows an offer that changed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import PEStatement
from assessments.pe_statements import PE_STATEMENT
from kwaliteitskringen.models import Attendance, Meeting
from noloc_portal.pdf.models import RenderJob, RenderState
from portfolios import hooks
from portfolios.jobcoach import services as jobcoach_services
from portfolios.models import Portfolio
from portfolios.tasks import prune_portfolio_changes
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting
from tests.portfolios.factories import PortfolioFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the revisions are kept by PostgreSQL triggers"
    ),
]

TRIGGERED = {
    "assessments_pestatement",
    "pdf_renderjob",
    "accounts_user",
    "kwaliteitskringen_attendance",
    "kwaliteitskringen_meeting",
    "kwaliteitskringen_circle",
}


def statement(assessor, coordinator, **values) -> PEStatement:
    return PEStatement.objects.create(
        assessor=assessor,
        period_start=values.get("period_start", date(2025, 1, 1)),
        period_end=values.get("period_end", date(2025, 12, 31)),
        candidates=2,
        years=1,
        points=6,
        framework_version="2024",
        issued_by=coordinator,
        issued_at=timezone.now(),
    )


@pytest.fixture
def people():
    anke = user_with(Role.ASSESSOR, Role.PROFESSIONAL, full_name="Anke Visser")
    other = user_with(Role.ASSESSOR, Role.PROFESSIONAL, full_name="Bram Ouden")
    carla = user_with(Role.CERTIFICATION_COORDINATOR, full_name="Carla Mulder")
    return anke, other, carla


def test_every_write_to_what_an_offer_shows_changes_the_owners_revision(people):
    anke, other, carla = people
    seen = [hooks.offers_revision(anke.pk)]

    def changed() -> bool:
        now = hooks.offers_revision(anke.pk)
        new = now not in seen
        seen.append(now)
        return new

    own = statement(anke, carla)
    assert changed()
    statement(other, carla, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    assert not changed()  # another person's statement
    job = RenderJob.objects.create(
        kind=PE_STATEMENT,
        content_type=ContentType.objects.get_for_model(PEStatement),
        object_id=own.pk,
        version=1,
    )
    assert changed()
    RenderJob.objects.filter(pk=job.pk).update(state=RenderState.DONE)  # a bulk update too
    assert changed()
    carla.last_login = timezone.now()
    carla.save(update_fields=["last_login"])
    assert not changed()  # a login of the coordinator who issued it
    carla.full_name = "Carla de Mulder"
    carla.save()
    assert changed()  # the offer names her
    circle = CircleFactory()
    meeting = held_meeting(circle, date(2026, 3, 3), present=[anke])
    assert changed()
    Attendance.objects.filter(meeting=meeting, participant=anke).update(present=False)
    assert changed()
    Meeting.objects.filter(pk=meeting.pk).update(facilitator="Frits")
    assert changed()
    circle.min_participants = 6
    circle.save()
    assert not changed()  # a circle's other columns do not show
    circle.name = "Kring Oost"
    circle.save()
    assert changed()
    meeting.delete()
    assert changed()
    own.delete()
    assert changed()


def test_a_trigger_on_every_table_the_offers_read(people):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger"
            " WHERE tgname LIKE 'offer_note_%'"
        )
        assert {row[0] for row in cursor.fetchall()} == TRIGGERED
    anke, _, carla = people
    portfolio = PortfolioFactory(owner=anke)
    statement(anke, carla)
    held_meeting(CircleFactory(), date(2026, 3, 3), present=[anke])
    with CaptureQueriesContext(connection) as queries:
        assert jobcoach_services.activity_offers_for(portfolio=portfolio, held=set())
        assert jobcoach_services.circle_meetings_offered(portfolio=portfolio, used=set())
    read = set()
    for query in queries.captured_queries:
        read |= set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    # What else they read is fixed (content types) or the portfolio's own (its revision).
    assert read - {"django_content_type", "portfolios_portfolio"} <= TRIGGERED
    assert read & TRIGGERED >= {"assessments_pestatement", "kwaliteitskringen_attendance"}


def test_pruning_keeps_the_revision_distinct_from_every_one_before(people):
    anke, _, carla = people
    first = hooks.offers_revision(anke.pk)
    statement(anke, carla)
    second = hooks.offers_revision(anke.pk)
    held_meeting(CircleFactory(), date(2026, 3, 3), present=[anke])
    third = hooks.offers_revision(anke.pk)
    prune_portfolio_changes()  # the nightly task: the last change noted per person is kept
    pruned = hooks.offers_revision(anke.pk)
    assert len({first, second, third, pruned}) == 4 or pruned == third
    statement(anke, carla, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    assert hooks.offers_revision(anke.pk) not in {first, second, third, pruned}


OFFERS = re.compile(r'id="verklaringen"|id="kring-bijeenkomsten"')


def test_the_register_reads_the_offers_once_and_shows_a_new_one_at_once(client, people):
    anke, _, carla = people
    portfolio = PortfolioFactory(owner=anke)
    client.force_login(anke)
    url = reverse("portfolios:pe", args=[portfolio.pk])
    statement(anke, carla)
    first = client.get(url).content.decode()
    assert "Assessor Register Jobcoach" in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content.decode()
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    # Both revisions come with the portfolio's row, in its query.
    assert not any(q["sql"].startswith("SELECT md5") for q in queries.captured_queries)
    assert "offer_change" in tables and "portfolio_change" in tables
    assert "assessments_pestatement" not in tables
    assert "kwaliteitskringen_attendance" not in tables
    blank = re.compile(r'value="[^"]+"')
    assert blank.sub("", first) == blank.sub("", second)
    # A meeting attended since: on the next visit, not from memory.
    held_meeting(CircleFactory(name="Kring Noord"), date(2026, 3, 3), present=[anke])
    third = client.get(url).content.decode()
    assert "Kring Noord" in third and len(OFFERS.findall(third)) == 2
    # The statement withdrawn: gone on the next visit.
    PEStatement.objects.filter(assessor=anke).delete()
    assert "Assessor Register Jobcoach" not in client.get(url).content.decode()
    assert Portfolio.objects.filter(pk=portfolio.pk).exists()


def test_the_revisions_read_with_the_portfolio_are_those_read_alone(people):
    from django.test import RequestFactory

    from portfolios import remembered
    from portfolios.pages import portfolio_or_404

    anke, _, carla = people
    portfolio = PortfolioFactory(owner=anke)
    statement(anke, carla)
    request = RequestFactory().get("/")
    request.user = anke
    read = portfolio_or_404(
        request, portfolio.pk, framework=portfolio.framework, with_revisions=True
    )
    assert read.read_revision == remembered.revision(portfolio) is not None
    assert read.read_offers_revision == hooks.offers_revision(anke.pk) is not None
    assert remembered.key_of(read, as_of=date(2026, 3, 3), read=True) == remembered.key_of(
        portfolio, as_of=date(2026, 3, 3)
    )
    request.user = carla  # may not read it
    with pytest.raises(Http404):
        portfolio_or_404(request, portfolio.pk, framework=portfolio.framework, with_revisions=True)
