"""The rows of the LP coverage matrix (``portfolios/loopbaan/_matrix.html``), built here rather
than by template tags per cell: a matrix has some twenty rows and forty cells, and their tags
were the larger part of rendering an LP page.

The cells are joined as plain strings, each value escaped once with :func:`escape`, and the
words they read are translated once per page (:func:`_words`): ``format_html`` per cell, with
its checks for lazy strings, was a quarter of an LP page's CPU."""

from __future__ import annotations

from html import escape as _escape_text

from django import template
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def escape(value) -> str:
    """As Django's ``conditional_escape``: safe text as it is, anything else escaped."""
    if isinstance(value, SafeData):
        return str(value)
    return _escape_text(str(value))


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


def _words() -> dict[str, str]:
    """The matrix's words in the active language, escaped, made once per language."""
    language = get_language()
    words = _WORDS.get(language)
    if words is None:
        words = _WORDS[language] = {
            key: escape(text())
            for key, text in {
                "described": lambda: _("beschreven"),
                "elsewhere": lambda: _("niet relevant, elders beschreven"),
                "claimed": lambda: _("niet relevant genoemd, maar nergens beschreven: aanvullen"),
                "add": lambda: _("ontbreekt: aanvullen"),
                "missing": lambda: _("ontbreekt"),
                "open": lambda: _("niet uitgewerkt (hoeft niet)"),
                "yes": lambda: _("ja"),
                "needed": lambda: _("nee, nodig"),
                "no": lambda: _("nee"),
            }.items()
        }
    return words


_WORDS: dict[str | None, dict[str, str]] = {}


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
    words = _words()
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
