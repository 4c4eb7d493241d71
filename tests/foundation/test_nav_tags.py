"""The menu's start pages, a portfolio's section navigation, its rules and the register's orders,
written by tags, are the template loops they replace, byte for byte, in Dutch and in English."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from noloc_portal.accounts.navigation import START_PAGES

MENU_LOOP = Template(
    "{% for page in start_pages %}\n"
    '        <li class="nav-item"><a class="nav-link{% if request.path|slice:\':8\' == '
    'page.url|slice:\':8\' %} active{% endif %}" href="{{ page.url }}">{{ page.label }}</a>'
    "</li>\n        {% endfor %}"
)
MENU_TAG = Template("{% load layout %}{% start_page_links start_pages request.path %}")

NAV_LOOP = Template(
    "{% load i18n %}{% for progress in nav %}\n"
    '      <a class="list-group-item list-group-item-action d-flex justify-content-between '
    'align-items-center{% if request.path == progress.url %} active{% endif %}" '
    'href="{{ progress.url }}"{% if request.path == progress.url %} aria-current="page"'
    "{% endif %}>\n"
    "        <span><strong>{{ progress.section.code }}</strong> {{ progress.section.title }}"
    "</span>\n"
    '        {% if progress.complete %}<i class="bi bi-check-circle-fill text-success" '
    'title="{% translate \'in orde\' %}"></i><span class="visually-hidden">'
    '{% translate "in orde" %}</span>{% else %}<i class="bi bi-circle text-danger" '
    'title="{% translate \'nog niet in orde\' %}"></i><span class="visually-hidden">'
    '{% translate "nog niet in orde" %}</span>{% endif %}\n      </a>\n      {% endfor %}'
)
NAV_TAG = Template("{% load portfolio_tags %}{% section_nav_links nav request.path %}")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", ["/portfolios/", "/beoordelingen/certificering/", "/x/", "/"])
def test_the_menu_is_the_loop(language, path):
    context = {"start_pages": START_PAGES, "request": SimpleNamespace(path=path)}
    with translation.override(language):
        written = MENU_TAG.render(Context(context))
        assert written == MENU_LOOP.render(Context(context))
    assert written.count("nav-item") == len(START_PAGES)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_section_navigation_is_the_loop(language):
    nav = [
        SimpleNamespace(
            url=f"/portfolios/7/{code.lower()}/",
            section=SimpleNamespace(code=code, title=f"Titel <{code}> & meer"),
            complete=n % 2 == 0,
        )
        for n, code in enumerate(["A1", "A2", "B", "C"])
    ]
    for path in ["/portfolios/7/a2/", "/portfolios/7/", "/portfolios/7/c/"]:
        context = {"nav": nav, "request": SimpleNamespace(path=path)}
        with translation.override(language):
            written = NAV_TAG.render(Context(context))
            assert written == NAV_LOOP.render(Context(context))
        assert written.count("list-group-item-action") == 4


RULES_LOOP = Template(
    "{% load portfolio_tags %}{% for rule in rules %}{% rule_item rule %}{% endfor %}"
)
RULES_TAG = Template("{% load portfolio_tags %}{% rule_items rules %}")
SORT_LOOP = Template(
    '{% for key, label in sort_options %}<option value="{{ key }}"{% if sort == key %} '
    "selected{% endif %}>{{ label }}</option>{% endfor %}"
)
SORT_TAG = Template("{% load jc_pe %}{% pe_sort_options sort_options sort %}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_rules_and_the_register_orders_are_their_loops(language):
    from portfolios.jobcoach.views import SORT_LABELS

    rules = [
        SimpleNamespace(id=f"JC-B-{n}", status=status, message=f"Regel <{n}> & zo")
        for n, status in enumerate(["met", "unmet", "exempt", "warning", "unknown"])
    ]
    with translation.override(language):
        assert RULES_TAG.render(Context({"rules": rules})) == RULES_LOOP.render(
            Context({"rules": rules})
        )
        assert RULES_TAG.render(Context({"rules": []})) == ""
        for sort in ["datum", "punten", "<x>"]:
            context = {"sort_options": SORT_LABELS, "sort": sort}
            written = SORT_TAG.render(Context(context))
            assert written == SORT_LOOP.render(Context(context))
            assert written.count(" selected") == (sort != "<x>")


PORTFOLIOS_LOOP = Template(
    "{% load i18n portfolio_tags %}{% for portfolio in portfolios %}\n"
    '  <a class="list-group-item list-group-item-action d-flex justify-content-between '
    'align-items-center flex-wrap gap-2" href="{% url \'portfolios:detail\' portfolio.pk %}">\n'
    "    <span>\n"
    '      <span class="fw-semibold d-block">{{ portfolio.get_framework_display }}</span>\n'
    '      <span class="small text-muted">{% with summary=portfolio|portfolio_summary %}'
    '{% if summary %}{{ summary }} · {% endif %}{% endwith %}{% translate "gewijzigd" %} '
    '{{ portfolio.updated_at|date:"j M Y" }}</span>\n'
    "    </span>\n"
    "    <span class=\"badge {% if portfolio.state == 'draft' %}text-bg-secondary{% else %}"
    'text-bg-primary{% endif %}">{{ portfolio.get_state_display }}</span>\n'
    "  </a>\n{% endfor %}"
)
PORTFOLIOS_TAG = Template("{% load portfolio_tags %}{% portfolio_items portfolios %}")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_portfolio_list_is_the_loop(language):
    from datetime import UTC, datetime

    from portfolios.models import PortfolioState
    from portfolios.selectors import own_portfolios
    from tests.portfolios.factories import LoopbaanPortfolioFactory, PortfolioFactory

    owner = PortfolioFactory(state=PortfolioState.DECIDED).owner
    PortfolioFactory(owner=owner)
    LoopbaanPortfolioFactory(owner=owner, state=PortfolioState.SUBMITTED)
    portfolios = own_portfolios(owner)
    # Changed late in the evening in UTC: the next day in the Netherlands.
    portfolios[0].updated_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    context = {"portfolios": portfolios}
    with translation.override(language):
        written = PORTFOLIOS_TAG.render(Context(context))
        assert written == PORTFOLIOS_LOOP.render(Context(context))
    assert written.count("<a ") == 3
    assert "gewijzigd 2 " in written  # the day in the Netherlands
