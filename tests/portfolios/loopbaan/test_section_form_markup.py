"""The one-text forms of the Loopbaanprofessional sections (the diversity of the cases, the
development plan) drawn once per process for their values and whether they are read-only
(portfolios.pages.section_page, noloc_portal.lists.form_html): the same page as drawn anew."""

import re

import pytest
from django.urls import reverse

from noloc_portal import lists
from noloc_portal.validators import text_limit
from portfolios.loopbaan.models import LoopbaanDetails
from portfolios.models import Portfolio, PortfolioState
from tests.portfolios.factories import complete_loopbaan_portfolio

pytestmark = pytest.mark.django_db

PER_RESPONSE = re.compile(r'(csrfmiddlewaretoken" value="|csrf-token" content="|nonce=")[^"]+')
PAGES = ["portfolios:lp_cases", "portfolios:lp_plan"]


@pytest.fixture(autouse=True)
def forgotten():
    lists._FORM_HTML.clear()
    yield
    lists._FORM_HTML.clear()


@pytest.fixture
def drawn(monkeypatch):
    """How often a form was drawn to be remembered."""
    calls = []
    draw = lists.render_to_string

    def counting(template_name, context):
        calls.append(template_name)
        return draw(template_name, context)

    monkeypatch.setattr(lists, "render_to_string", counting)
    return calls


def text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return PER_RESPONSE.sub("", response.content.decode())


@pytest.mark.parametrize("name", PAGES)
def test_the_form_is_drawn_once_and_the_page_stays_the_same(client, drawn, name):
    portfolio = complete_loopbaan_portfolio()
    client.force_login(portfolio.owner)
    url = reverse(name, args=[portfolio.pk])
    first = text(client, url)
    assert text(client, url) == first
    assert len(drawn) == 1
    lists._FORM_HTML.clear()
    assert text(client, url) == first  # drawn anew
    assert len(drawn) == 2


def test_a_new_text_is_drawn_anew(client, drawn):
    portfolio = complete_loopbaan_portfolio()
    client.force_login(portfolio.owner)
    url = reverse("portfolios:lp_cases", args=[portfolio.pk])
    text(client, url)
    response = client.post(url, {"diversity": "Heel & <anders> dan de eerste casus."})
    assert response.status_code == 302
    page = text(client, url)
    assert "Heel &amp; &lt;anders&gt; dan de eerste casus." in page
    assert len(drawn) == 2


def test_a_read_only_form_is_drawn_apart_from_an_editable_one(client):
    editable = complete_loopbaan_portfolio()
    frozen = complete_loopbaan_portfolio()
    LoopbaanDetails.objects.filter(portfolio=frozen).update(
        diversity=LoopbaanDetails.objects.get(portfolio=editable).diversity
    )
    Portfolio.objects.filter(pk=frozen.pk).update(state=PortfolioState.SUBMITTED)
    client.force_login(editable.owner)
    mine = text(client, reverse("portfolios:lp_cases", args=[editable.pk]))
    client.force_login(frozen.owner)
    theirs = text(client, reverse("portfolios:lp_cases", args=[frozen.pk]))
    textarea = re.compile(r'<textarea name="diversity"[^>]*>')
    assert "disabled" not in textarea.search(mine).group()
    assert "disabled" in textarea.search(theirs).group()


def test_a_refused_text_comes_back_with_its_error_and_all_that_was_typed(client, drawn):
    portfolio = complete_loopbaan_portfolio()
    client.force_login(portfolio.owner)
    url = reverse("portfolios:lp_cases", args=[portfolio.pk])
    text(client, url)
    limit = text_limit(LoopbaanDetails._meta.get_field("diversity"))
    typed = "x" * (limit + 1)
    response = client.post(url, {"diversity": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert typed in page and "is-invalid" in page
    assert len(drawn) == 1  # a bound form is drawn for its page alone, never remembered
    assert len(lists._FORM_HTML) == 1
