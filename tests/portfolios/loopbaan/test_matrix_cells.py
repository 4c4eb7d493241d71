"""The matrix_cell tag writes each cell of the coverage matrix as the template did."""

import itertools

import pytest
from django.template import Context, Template

from portfolios.loopbaan.checklist import MatrixCell

# The cell as _matrix.html wrote it before the tag.
TEMPLATE_CELL = (
    '{% load i18n %}<td class="text-center lp-cell lp-{{ cell.tone }}" data-group="{{ group.key }}"'
    ' data-row="{{ row.key }}" data-case="{{ cell.case_index }}" data-state="{{ cell.state }}">\n'
    '        {% if cell.tone == "ok" %}<i class="bi bi-check-lg" aria-hidden="true"></i><span '
    'class="visually-hidden">{% translate "beschreven" %}</span>\n        {% elif cell.tone == '
    '"nr" %}<span aria-hidden="true">{{ cell.label }}</span><span class="visually-hidden">'
    '{% translate "niet relevant, elders beschreven" %}</span>\n        {% elif cell.tone == "gap"'
    ' %}{% if editable and cell.url %}<a class="link-danger fw-semibold" href="{{ cell.url }}">'
    '{% if cell.state == "not_relevant" %}{{ cell.label }}{% else %}<i class="bi bi-x-lg" '
    'aria-hidden="true"></i>{% endif %}<span class="visually-hidden">{% if cell.state == '
    '"not_relevant" %}{% translate "niet relevant genoemd, maar nergens beschreven: aanvullen" %}'
    '{% else %}{% translate "ontbreekt: aanvullen" %}{% endif %}</span></a>{% else %}<i '
    'class="bi bi-x-lg" aria-hidden="true"></i><span class="visually-hidden">{% translate '
    '"ontbreekt" %}</span>{% endif %}\n        {% else %}<span class="text-body-tertiary" '
    'aria-hidden="true">–</span><span class="visually-hidden">{% translate "niet uitgewerkt '
    '(hoeft niet)" %}</span>{% endif %}\n      </td>'
)
TAG_CELL = "{% load lp_matrix %}{% matrix_cell cell group.key row.key editable %}"


@pytest.mark.parametrize(
    "tone, state, url, editable",
    itertools.product(
        ("ok", "nr", "gap", "open"),
        ("described", "not_relevant", "missing"),
        ("", "/portfolios/3/loopbaan/casussen/7/#taak-t1&x"),
        (True, False, ""),
    ),
)
def test_the_tag_writes_the_cell_as_the_template_did(tone, state, url, editable):
    context = {
        "cell": MatrixCell(case_index=1, state=state, tone=tone, url=url),
        "group": {"key": "tasks"},
        "row": {"key": "t<1>"},
        "editable": editable,
    }
    assert Template(TAG_CELL).render(Context(context)) == Template(TEMPLATE_CELL).render(
        Context(context)
    )
