"""What a professional reads on the checklist: the rule in Dutch first, the rule number as small
secondary text, statuses read out in Dutch, and counters that say what they count."""

import re

import pytest
from django.urls import reverse

from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    portfolio = PortfolioFactory()
    client.force_login(portfolio.owner)

    def get(name):
        return client.get(reverse(name, args=[portfolio.pk])).content.decode()

    return get


@pytest.mark.parametrize("name", ["portfolios:detail", "portfolios:meetings", "portfolios:pe"])
def test_screen_readers_hear_the_status_in_dutch(page, name):
    html = page(name)
    spoken = re.findall(r'<span class="visually-hidden">([^<]*):</span>', html)
    assert spoken, "no rule status for screen readers"
    assert set(spoken) <= {"in orde", "nog niet in orde", "let op", "vrijgesteld"}


def test_the_rule_number_comes_after_the_rule_as_secondary_text(page):
    html = page("portfolios:meetings")
    item = re.search(r'<li class="list-group-item rule-.*?</li>', html, re.S).group(0)
    number = re.search(r'<small class="[^"]*rule-id"[^>]*>(JC-[^<]+)</small>', item)
    assert number, item
    assert item.index("<span>") < item.index(number.group(0))
    assert "badge" not in item


def test_the_section_counter_says_it_counts_checks(page):
    html = page("portfolios:detail")
    assert re.search(r"\d+ van \d+ controles? in orde", html)
