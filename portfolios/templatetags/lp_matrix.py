"""The rows of the LP coverage matrix (``portfolios/loopbaan/_matrix.html``), built here rather
than by template tags per cell: a matrix has some twenty rows and forty cells, and their tags
were the larger part of rendering an LP page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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
_MISSING_ICON = format_html('<i class="bi bi-x-lg" aria-hidden="{}"></i>', "true")


def _content(cell, editable) -> SafeString:
    """What the cell shows, as the template wrote it (with its line breaks)."""
    if cell.tone == "ok":
        return format_html(
            '<i class="bi bi-check-lg" aria-hidden="true"></i>'
            '<span class="visually-hidden">{}</span>\n        ',
            _("beschreven"),
        )
    if cell.tone == "nr":
        return format_html(
            '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>\n        ',
            cell.label,
            _("niet relevant, elders beschreven"),
        )
    if cell.tone == "gap":
        if editable and cell.url and cell.state == "not_relevant":
            return format_html(
                '<a class="link-danger fw-semibold" href="{}">{}'
                '<span class="visually-hidden">{}</span></a>\n        ',
                cell.url,
                cell.label,
                _("niet relevant genoemd, maar nergens beschreven: aanvullen"),
            )
        if editable and cell.url:
            return format_html(
                '<a class="link-danger fw-semibold" href="{}">{}'
                '<span class="visually-hidden">{}</span></a>\n        ',
                cell.url,
                _MISSING_ICON,
                _("ontbreekt: aanvullen"),
            )
        return format_html(
            '{}<span class="visually-hidden">{}</span>\n        ', _MISSING_ICON, _("ontbreekt")
        )
    return format_html(
        '<span class="text-body-tertiary" aria-hidden="true">–</span>'
        '<span class="visually-hidden">{}</span>',
        _("niet uitgewerkt (hoeft niet)"),
    )


def _covered(row) -> SafeString:
    if row.covered:
        return format_html(
            '<i class="bi bi-check-circle-fill text-success" aria-hidden="true"></i>'
            '<span class="visually-hidden">{}</span>',
            _("ja"),
        )
    if row.required:
        return format_html(
            '<i class="bi bi-x-circle-fill text-danger" aria-hidden="true"></i>'
            '<span class="visually-hidden">{}</span>',
            _("nee, nodig"),
        )
    return format_html(
        '<span class="text-body-tertiary" aria-hidden="true">–</span>'
        '<span class="visually-hidden">{}</span>',
        _("nee"),
    )


@register.simple_tag
def matrix_row(row, group_key, editable) -> SafeString:
    """One ``<tr>`` of the matrix: the row's name, its cells and whether it is covered."""
    cells = format_html_join(
        "",
        "\n      {}\n      ",
        ((_cell(cell, group_key, row.key, editable),) for cell in row.cells),
    )
    return format_html(
        _ROW_GAP if row.gap else _ROW,
        group_key,
        row.key,
        "true" if row.covered else "false",
        row.name,
        format_html("<strong>{}</strong> ", row.label) if row.label else "",
        row.name,
        cells,
        _covered(row),
    )


def _cell(cell, group_key, row_key, editable) -> SafeString:
    """One ``<td>`` of the matrix: the tone, the state, and a link to fix a gap (``editable``)."""
    return format_html(
        '<td class="text-center lp-cell lp-{}" data-group="{}" data-row="{}" data-case="{}" '
        'data-state="{}">\n        {}\n      </td>',
        cell.tone,
        group_key,
        row_key,
        cell.case_index,
        cell.state,
        _content(cell, editable),
    )
