"""The table of points per category and the category filter of the PE register, written by
``pe_category_rows`` and ``pe_category_options`` (portfolios/templatetags/jc_pe.py): the same
HTML the template's loops wrote."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, engines
from django.utils import translation

# The loops as pe_register.html had them.
LOOPS = (
    "{% for row in categories %}\n  <tr>\n"
    '    <th scope="row" class="fw-normal"><a href="?categorie={{ row.category.number }}'
    '&sorteer={{ sort }}">{{ row.category.number }}. {{ row.category.name }}</a>'
    '{% if row.literature_earned is not None %}<div class="small text-muted">'
    "{% blocktranslate with lit=row.literature_earned cap=row.category.literature_cap %}"
    "waarvan vakliteratuur en podcasts: {{ lit }} (maximaal {{ cap }} tellen mee)"
    "{% endblocktranslate %}</div>{% endif %}</th>\n"
    '    <td class="text-end">{{ row.earned }}</td>\n'
    '    <td class="text-end fw-semibold">{{ row.counted }}</td>\n'
    "    <td>{% if row.category.minimum %}{% blocktranslate with n=row.category.minimum %}"
    "minimaal {{ n }}{% endblocktranslate %}{% else %}{% blocktranslate with "
    "n=row.category.maximum %}maximaal {{ n }}{% endblocktranslate %}{% endif %}</td>\n"
    "  </tr>\n  {% endfor %}"
    '|{% for row in categories %}<option value="{{ row.category.number }}"'
    '{% if category_filter == row.category.number|stringformat:"d" %} selected{% endif %}>'
    "{{ row.category.number }}. {{ row.category.name }}</option>{% endfor %}"
)
TAGS = "{% pe_category_rows categories sort %}|{% pe_category_options categories category_filter %}"


def category(number, name, *, minimum=None, maximum=None, literature_cap=None):
    return SimpleNamespace(
        number=number,
        name=name,
        minimum=minimum,
        maximum=maximum,
        literature_cap=literature_cap,
    )


CATEGORIES = [
    {
        "category": category(1, "Vakinhoudelijk & <methodisch>", minimum=Decimal(40)),
        "earned": Decimal("42.5"),
        "counted": Decimal("42.5"),
    },
    {
        "category": category(2, "Literatuur", maximum=Decimal(20), literature_cap=Decimal("7.5")),
        "earned": Decimal(30),
        "counted": Decimal(20),
        "literature_earned": Decimal("12.25"),
    },
    {
        "category": category(3, "Overig", maximum=Decimal(0)),
        "earned": Decimal(0),
        "counted": Decimal(0),
        "literature_earned": None,
    },
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("chosen", ["", "2", "x", "02"])
@pytest.mark.parametrize("sort", ["datum", 'a"b&c'])
def test_the_tags_write_what_the_loops_wrote(language, chosen, sort):
    engine = engines["django"].engine
    context = {"categories": CATEGORIES, "sort": sort, "category_filter": chosen}
    with translation.override(language):
        loops = engine.from_string("{% load i18n %}" + LOOPS).render(Context(context))
        tags = engine.from_string("{% load jc_pe %}" + TAGS).render(Context(context))
    assert tags == loops
    assert "waarvan vakliteratuur" in tags
    assert ("42,5" if language == "nl" else "42.5") in tags
    assert (" selected>" in tags) == (chosen == "2")
