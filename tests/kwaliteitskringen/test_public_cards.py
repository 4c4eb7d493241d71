"""The public list's cards, written by ``{% public_circle_cards %}``, are the template loop they
replace, byte for byte: every status, with and without a description and reports, one meeting
and several, and each relation a visitor can have to a circle, in Dutch and in English."""

import itertools

import pytest
from django.template import Context, Template
from django.utils import translation

from kwaliteitskringen.models import AnnualReport, Application, Circle
from noloc_portal.accounts.models import User

# The loop as public_list.html wrote it before the tag.
LOOP = Template(
    "{% load i18n %}{% for circle in circles %}\n"
    '    <div class="col">\n      <article class="card h-100">\n        <div class="card-body">\n'
    '          <div class="d-flex justify-content-between align-items-start gap-2">\n'
    '            <h3 class="h6 card-title mb-1">{{ circle.name }}</h3>\n'
    '            {% if circle.status == "open" %}<span class="badge text-bg-success">'
    '{% translate "Neemt aanmeldingen aan" %}</span>\n'
    '            {% elif circle.status == "waiting_list" %}<span class="badge text-bg-warning">'
    '{% translate "Aanmelden via wachtlijst" %}</span>\n'
    '            {% else %}<span class="badge text-bg-secondary">{% translate "Vol" %}</span>'
    "{% endif %}\n          </div>\n"
    '          {% if circle.description %}<p class="card-text small mb-2">'
    "{{ circle.description }}</p>{% endif %}\n"
    '          <p class="card-text small text-muted mb-2">\n'
    "            {% blocktranslate count n=circle.meeting_total with year=year %}{{ n }} "
    "bijeenkomst in {{ year }}{% plural %}{{ n }} bijeenkomsten in {{ year }}"
    "{% endblocktranslate %}\n"
    "            · {% blocktranslate with c=circle.coordinator %}coördinator: {{ c }}"
    "{% endblocktranslate %}\n          </p>\n"
    "          {% if circle.published_reports %}\n"
    '          <p class="small mb-2">{% translate "Jaarverslagen:" %}\n'
    '            {% for report in circle.published_reports %}<a href="{% url '
    "'kwaliteitskringen:annual_report' report.pk %}\">{{ report.year }}</a>"
    "{% if not forloop.last %}, {% endif %}{% endfor %}\n          </p>\n          {% endif %}\n"
    '          <div class="d-flex flex-wrap gap-2">\n'
    '            {% if circle.relation == "member" %}\n'
    '              <a class="btn btn-noloc btn-sm" href="{% url \'kwaliteitskringen:circle\' '
    'circle.pk %}">{% translate "Mijn kring" %}</a>\n'
    "            {% elif circle.my_application %}\n"
    '              <a class="btn btn-outline-primary btn-sm" href="{% url '
    "'kwaliteitskringen:application' circle.my_application.pk %}\">"
    '{% translate "Mijn aanmelding" %}: {{ circle.my_application.get_state_display|lower }}'
    "</a>\n            {% elif circle.takes_applicants %}\n"
    '              <a class="btn btn-outline-primary btn-sm" href="{% url '
    '\'kwaliteitskringen:apply\' circle.pk %}">{% translate "Aanmelden" %}'
    '<span class="visually-hidden"> {% translate "bij" %} {{ circle.name }}</span></a>\n'
    "            {% endif %}\n            {% if circle.managed %}\n"
    '              <a class="btn btn-outline-secondary btn-sm" href="{% url '
    '\'kwaliteitskringen:manage_members\' circle.pk %}">{% translate "Beheren" %}</a>\n'
    "            {% endif %}\n          </div>\n        </div>\n      </article>\n    </div>\n"
    "    {% endfor %}"
)
TAG = Template("{% load circle_rows %}{% public_circle_cards circles year %}")


def circles() -> list[Circle]:
    coordinator = User(pk=7, email="kees@example.org", full_name="Kees <de> Vries")
    nameless = User(pk=8, email="anna@example.org", full_name="")
    reports = [AnnualReport(pk=11, year=2025), AnnualReport(pk=12, year=2024)]
    relations = [
        ("member", None, False),
        (None, Application(pk=5, state="waitlisted"), False),
        (None, None, True),
        (None, None, False),
    ]
    made = []
    variants = itertools.product(
        ("open", "waiting_list", "full"), ("", "Samen & scherp"), (0, 1, 3), relations
    )
    for pk, (status, description, meetings, (relation, application, managed)) in enumerate(
        variants, start=1
    ):
        circle = Circle(
            pk=pk,
            name=f"Kring <{pk}> & co",
            status=status,
            description=description,
            region="Utrecht",
            coordinator=coordinator if pk % 2 else nameless,
        )
        circle.meeting_total = meetings
        circle.published_reports = reports[: pk % 3]
        circle.relation = relation
        circle.my_application = application
        circle.managed = managed
        made.append(circle)
    return made


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_cards_are_the_template_loop(language):
    context = {"circles": circles(), "year": 2026}
    with translation.override(language):
        expected = LOOP.render(Context(context))
        assert TAG.render(Context(context)) == expected
    assert expected.count('class="card h-100"') == 72
