"""The matrix_row tag writes each row of the coverage matrix as the template did."""

import itertools
from pathlib import Path

import pytest
from django.template import Context, Template

from portfolios.loopbaan.checklist import MatrixCell, MatrixRow

# The rows as _matrix.html wrote them before the tag.
TEMPLATE_ROWS = (Path(__file__).parent / "matrix_rows_before_the_tag.html").read_text()
TAG_ROWS = (
    "{% load lp_matrix %}    {% for row in group.rows %}\n"
    "    {% matrix_row row group.key editable %}\n    {% endfor %}"
)
CELLS = tuple(
    MatrixCell(case_index=index, state=state, tone=tone, url=url)
    for index, (tone, state, url) in enumerate(
        itertools.product(
            ("ok", "nr", "gap", "open"),
            ("described", "not_relevant", "missing"),
            ("", "/portfolios/3/loopbaan/casussen/7/#taak-t1&x"),
        )
    )
)
ROWS = tuple(
    MatrixRow(
        key=f"k<{n}>",
        label=label,
        name="Kennis & <vaardigheid>",
        covered=covered,
        cells=cells,
        required=required,
    )
    for n, (label, covered, required, cells) in enumerate(
        itertools.product(("", "3"), (True, False), (True, False), (CELLS, CELLS[:1], ()))
    )
)


@pytest.mark.parametrize("editable", [True, False, ""])
def test_the_tag_writes_the_rows_as_the_template_did(editable):
    context = {"group": {"key": "tasks", "rows": ROWS}, "editable": editable}
    assert Template(TAG_ROWS).render(Context(context)) == Template(TEMPLATE_ROWS).render(
        Context(context)
    )
