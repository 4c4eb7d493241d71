"""The rows of the certification queue and of the assessor's list are kept across requests by
what they show: a second visit writes the same HTML without writing a row, and a row whose
values change (a new assessor, a new name, another language) is written anew."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import AssignmentState
from assessments.templatetags import assessment_lists
from portfolios.models import PortfolioState
from tests.assessments.coordination import assign, submitted_round
from tests.factories import Role, user_with
from tests.mfa import force_login_with_second_step

pytestmark = pytest.mark.django_db

QUEUE = reverse("assessments:certification")
ASSIGNED = reverse("assessments:assigned")


@pytest.fixture
def written(monkeypatch):
    """How many rows the pages wrote (cache misses), by list."""
    counts = {"queue": 0, "assigned": 0}
    for name, page in (("queue", "_QueuePage"), ("assigned", "_AssignedPage")):
        original = getattr(assessment_lists, page).row

        def row(self, values, original=original, name=name):
            counts[name] += 1
            return original(self, values)

        monkeypatch.setattr(getattr(assessment_lists, page), "row", row)
    for kept in assessment_lists._ALL_KEPT:
        kept.html.clear()
    return counts


def test_the_queue_writes_a_row_once_and_again_when_what_it_shows_changes(client, written):
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    force_login_with_second_step(client, coordinator)
    round_ = submitted_round()
    round_.portfolio.state = PortfolioState.IN_ASSESSMENT
    round_.portfolio.save()
    first = client.get(QUEUE).content
    assert client.get(QUEUE).content.count(b"<tr>") == first.count(b"<tr>")
    assert written["queue"] == 1
    assignment = assign(round_)
    body = client.get(QUEUE).content.decode()
    assert str(assignment.assessor) in body and written["queue"] == 2
    assignment.assessor.full_name = "Andere Naam"
    assignment.assessor.save()
    assert "Andere Naam" in client.get(QUEUE).content.decode() and written["queue"] == 3
    assignment.state = AssignmentState.DECLINED
    assignment.save()
    assert "Andere Naam heeft afgezien" in client.get(QUEUE).content.decode()
    assert written["queue"] == 4
    rows = client.get(QUEUE).context["rows"]
    assert written["queue"] == 4
    with translation.override("en"):
        assessment_lists.queue_rows(rows)
    assert written["queue"] == 5  # another language, another key
    assessment_lists.queue_rows(rows)
    assert written["queue"] == 5


def test_the_assessors_list_writes_a_row_once_and_again_when_it_changes(client, written):
    round_ = submitted_round()
    assignment = assign(round_, state=AssignmentState.PENDING_DECLARATION)
    force_login_with_second_step(client, assignment.assessor)
    first = client.get(ASSIGNED).content.decode()
    second = client.get(ASSIGNED).content.decode()
    assert written["assigned"] == 1
    assert first.count("list-group-item-action") == second.count("list-group-item-action") == 1
    assignment.state = AssignmentState.JUDGING
    assignment.save()
    body = client.get(ASSIGNED).content.decode()
    assert reverse("assessments:judge", args=[assignment.pk]) in body
    assert written["assigned"] == 2


def test_a_change_of_languages_forgets_the_rows(settings, written):
    kept = assessment_lists._QUEUE_ROWS
    kept.html.keep(("key",), "row")
    settings.LANGUAGE_CODE = "nl"
    assert kept.html.get(("key",)) is None
