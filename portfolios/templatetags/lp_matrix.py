"""The rows of the LP coverage matrix (``portfolios/loopbaan/_matrix.html``), built here rather
than by template tags per cell: a matrix has some twenty rows and forty cells, and their tags
were the larger part of rendering an LP page. The cells are joined as plain strings with each
value escaped once (``noloc_portal/html.py``): ``format_html`` per cell, with a ``gettext``
per word, was a quarter of an LP page's CPU."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from noloc_portal.html import Words, escape

register = template.Library()

# A row: its name, its cells and whether it is covered; a row with a gap is marked.
_ROW_REST = (
    '      <th scope="row" class="fw-normal" title="{}">{}{}</th>\n'
    "      {}\n"
    '      <td class="text-center">{}</td>\n'
    "    </tr>"
)
_ROW = '<tr data-group="{}" data-row="{}" data-covered="{}">\n' + _ROW_REST
_ROW_GAP = '<tr data-group="{}" data-row="{}" data-covered="{}" class="lp-row-gap">\n' + _ROW_REST
_CELL = (
    '<td class="text-center lp-cell lp-{}" data-group="{}" data-row="{}" data-case="{}" '
    'data-state="{}">\n        {}\n      </td>'
)
_MISSING_ICON = '<i class="bi bi-x-lg" aria-hidden="true"></i>'
_HIDDEN = '<span class="visually-hidden">{}</span>'


_WORDS = Words(
    described=_("beschreven"),
    elsewhere=_("niet relevant, elders beschreven"),
    claimed=_("niet relevant genoemd, maar nergens beschreven: aanvullen"),
    add=_("ontbreekt: aanvullen"),
    missing=_("ontbreekt"),
    open=_("niet uitgewerkt (hoeft niet)"),
    yes=_("ja"),
    needed=_("nee, nodig"),
    no=_("nee"),
)


def _content(cell, editable, words) -> str:
    """What the cell shows, as the template wrote it (with its line breaks)."""
    if cell.tone == "ok":
        return (
            '<i class="bi bi-check-lg" aria-hidden="true"></i>'
            + _HIDDEN.format(words["described"])
            + "\n        "
        )
    if cell.tone == "nr":
        return (
            f'<span aria-hidden="true">{escape(cell.label)}</span>'
            + _HIDDEN.format(words["elsewhere"])
            + "\n        "
        )
    if cell.tone == "gap":
        if editable and cell.url:
            shown, hidden = (
                (escape(cell.label), words["claimed"])
                if cell.state == "not_relevant"
                else (_MISSING_ICON, words["add"])
            )
            return (
                f'<a class="link-danger fw-semibold" href="{escape(cell.url)}">{shown}'
                + _HIDDEN.format(hidden)
                + "</a>\n        "
            )
        return _MISSING_ICON + _HIDDEN.format(words["missing"]) + "\n        "
    return '<span class="text-body-tertiary" aria-hidden="true">–</span>' + _HIDDEN.format(
        words["open"]
    )


def _covered(row, words) -> str:
    if row.covered:
        return (
            '<i class="bi bi-check-circle-fill text-success" aria-hidden="true"></i>'
            + _HIDDEN.format(words["yes"])
        )
    if row.required:
        return (
            '<i class="bi bi-x-circle-fill text-danger" aria-hidden="true"></i>'
            + _HIDDEN.format(words["needed"])
        )
    return '<span class="text-body-tertiary" aria-hidden="true">–</span>' + _HIDDEN.format(
        words["no"]
    )


@register.simple_tag
def matrix_row(row, group_key, editable) -> SafeString:
    """One ``<tr>`` of the matrix: the row's name, its cells and whether it is covered."""
    words = _WORDS()
    group, key = escape(group_key), escape(row.key)
    cells = "".join(
        "\n      " + _cell(cell, group, key, editable, words) + "\n      " for cell in row.cells
    )
    name = escape(row.name)
    # Every value in the row went through escape() above; the rest is this module's markup.
    return SafeString(  # nosec B703 B308
        (_ROW_GAP if row.gap else _ROW).format(
            group,
            key,
            "true" if row.covered else "false",
            name,
            f"<strong>{escape(row.label)}</strong> " if row.label else "",
            name,
            cells,
            _covered(row, words),
        )
    )


def _cell(cell, group, key, editable, words) -> str:
    """One ``<td>`` of the matrix: the tone, the state, and a link to fix a gap (``editable``)."""
    return _CELL.format(
        escape(cell.tone),
        group,
        key,
        escape(cell.case_index),
        escape(cell.state),
        _content(cell, editable, words),
    )
