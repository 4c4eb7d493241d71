"""The rows of the Jobcoach PE register (``portfolios/jobcoach/pe_register.html``), built here
rather than by the template: a page shows up to fifty activities, and the tags and variables of
their rows were most of the page's rendering. Each value is escaped once and the words are
translated once per language (``noloc_portal/html.py``)."""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from noloc_portal.html import TOKEN_PLACE, Words, day_text, escape, with_token

register = template.Library()

_ROW = (
    "<tr{}>\n"
    '    <td><div>{}</div><div class="small text-muted">{}</div>\n'
    "      {}\n"
    "      {}</td>\n"
    '    <td class="small" data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td class="text-end fw-semibold" data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td class="text-end text-nowrap">{}</td>\n'
    "  </tr>"
)
_OUTSIDE_CLASS = ' class="table-warning"'
_EVIDENCE = (
    '<a href="{}" title="{}"><i class="bi bi-paperclip" aria-hidden="true"></i>'
    '<span class="visually-hidden">{}</span></a>'
)
_EDIT = '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>'
_DELETE = (
    '\n      <form method="post" action="{}" class="d-inline" data-confirm="{}">{}'
    '<button class="btn btn-sm btn-outline-danger" type="submit" aria-label="{}">'
    '<i class="bi bi-trash" aria-hidden="true"></i></button></form>'
)
_DAY = "j M Y"


_WORDS = Words(
    now=_("heden"),
    edit=_("Bewerken"),
    confirm=_("Deze activiteit verwijderen?"),
    delete=_("Verwijderen"),
    date=_("Datum of periode"),
    category=_("Categorie"),
    points=_("Punten"),
    evidence=_("Bewijs"),
    outside=_("buiten de termijn: telt niet mee"),
    overlap=_("dezelfde bijeenkomst staat ook bij A3.1: telt maar één keer"),
    missing=_("ontbreekt"),
    not_needed=_("niet nodig"),
    taken_over=_("overgenomen"),
)
_OUTSIDE = (
    '<div class="small text-danger"><i class="bi bi-calendar-x" aria-hidden="true"></i> {}</div>'
)
_OVERLAP = (
    '<div class="small text-danger"><i class="bi bi-exclamation-triangle" aria-hidden="true">'
    "</i> {}</div>"
)
_MISSING = '<span class="badge text-bg-danger">{}</span>'
_NOT_NEEDED = '<span class="text-muted small">{}</span>'
_TAKEN_OVER = '<span class="badge text-bg-light border me-1">{}</span>'


class _Page:
    """What the rows of one page share: the words and fixed pieces in the active language, the
    place of the delete buttons' form token and the dates and numbers written so far."""

    def __init__(self):
        words = _WORDS()
        self.words = words
        self.outside = _OUTSIDE.format(words["outside"])
        self.overlap = _OVERLAP.format(words["overlap"])
        self.missing = _MISSING.format(words["missing"])
        self.not_needed = _NOT_NEEDED.format(words["not_needed"])
        self.taken_over = _TAKEN_OVER.format(words["taken_over"])
        self.csrf = TOKEN_PLACE
        self._written: dict[tuple, str] = {}

    def day(self, value) -> str:
        """``{{ value|date:"j M Y" }}``."""
        if value in (None, ""):
            return ""
        key = (type(value), value)
        text = self._written.get(key)
        if text is None:
            text = self._written[key] = escape(day_text(value, _DAY))
        return text

    def number(self, value) -> str:
        """``{{ value }}`` of a number (localised: 1,5)."""
        key = (type(value), repr(value))
        text = self._written.get(key)
        if text is None:
            text = self._written[key] = escape(localize(value))
        return text


def _page(context) -> _Page:
    """The :class:`_Page` the tags of one rendering share."""
    key = (_Page, "pe_activity_row")
    page = context.render_context.get(key)
    if page is None:
        page = context.render_context[key] = _Page()
    return page


def written_rows(rows, editable) -> str:
    """The ``<tr>`` of each activity of a page of the register, as the template's loop over
    them wrote it: the activity, its date or period, category, points, evidence and
    (``editable``) the buttons to change or remove it; the form token left out (TOKEN_PLACE),
    so that the view can remember them beside the verdict."""
    page = _Page()
    return "".join([f"\n  {_activity_row(page, row, editable)}\n  " for row in rows])


@register.simple_tag(takes_context=True)
def pe_activity_rows(context, written: str) -> SafeString:
    """:func:`written_rows` with this request's form token in its place (as ``{% csrf_token %}``
    writes it)."""
    # Every value of the rows went through escape().
    return with_token(written, context.get("csrf_token"))


def _activity_row(page: _Page, row, editable) -> str:
    words = page.words
    activity = row["activity"]
    score = row["score"]
    in_window = score["in_window"]
    if activity.date:
        when = page.day(activity.date)
    else:
        end = page.day(activity.end) if activity.end else words["now"]
        when = f"{page.day(activity.start)} – {end}"
    evidence = activity.evidence
    if evidence:
        name = escape(evidence.original_name)
        proof = _EVIDENCE.format(escape(row["evidence_url"]), name, name)
    elif row["missing_evidence"]:
        proof = page.missing
    else:
        proof = page.not_needed
    actions = ""
    if editable:
        change = (
            page.taken_over
            if activity.source
            else _EDIT.format(escape(row["edit_url"]), words["edit"])
        )
        actions = change + _DELETE.format(
            escape(row["delete_url"]), words["confirm"], page.csrf, words["delete"]
        )
    # Every value went through escape(); the rest is this module's markup.
    return _ROW.format(
        "" if in_window else _OUTSIDE_CLASS,
        escape(activity.title or "—"),
        escape(row["kind"].label),
        "" if in_window else page.outside,
        page.overlap if row["overlap"] else "",
        words["date"],
        when,
        words["category"],
        page.number(row["kind"].category),
        words["points"],
        page.number(score["points"]),
        words["evidence"],
        proof,
        actions,
    )


# --- the points per category, above the register -----------------------------------------------

_CATEGORY_ROW = (
    "\n  <tr>\n"
    '    <th scope="row" class="fw-normal"><a href="?categorie={}&sorteer={}">{}. {}</a>{}</th>\n'
    '    <td class="text-end">{}</td>\n'
    '    <td class="text-end fw-semibold">{}</td>\n'
    "    <td>{}</td>\n"
    "  </tr>\n  "
)
_LITERATURE = '<div class="small text-muted">{}</div>'
_OPTION = '<option value="{}"{}>{}. {}</option>'


@register.simple_tag(takes_context=True)
def pe_category_rows(context, categories, sort) -> SafeString:
    """The ``<tr>`` of each category in the table of points (``categories``: the view's rows,
    each category with what the engine counted for it), linking to the register filtered on it
    in the ``sort`` shown."""
    page = _page(context)
    sort_text = escape(sort)
    literature = gettext("waarvan vakliteratuur en podcasts: %(lit)s (maximaal %(cap)s tellen mee)")
    written = []
    for row in categories:
        category = row["category"]
        number = page.number(category.number)
        extra = ""
        if row.get("literature_earned") is not None:
            extra = _LITERATURE.format(
                literature
                % {
                    "lit": page.number(row["literature_earned"]),
                    "cap": page.number(category.literature_cap),
                }
            )
        if category.minimum:
            limit = gettext("minimaal %(n)s") % {"n": page.number(category.minimum)}
        else:
            limit = gettext("maximaal %(n)s") % {"n": page.number(category.maximum)}
        written.append(
            _CATEGORY_ROW.format(
                number,
                sort_text,
                number,
                escape(category.name),
                extra,
                page.number(row["earned"]),
                page.number(row["counted"]),
                limit,
            )
        )
    # Every value went through escape(); the rest is this module's markup and the catalogue's.
    return SafeString("".join(written))  # nosec B703 B308


@register.simple_tag(takes_context=True)
def pe_category_options(context, categories, chosen) -> SafeString:
    """The ``<option>`` of each category in the register's filter, ``chosen`` (the filter's
    value as typed: text) selected."""
    page = _page(context)
    written = []
    for row in categories:
        category = row["category"]
        number = page.number(category.number)
        # As the template's |stringformat:"d".
        selected = " selected" if chosen == f"{category.number:d}" else ""
        written.append(_OPTION.format(number, selected, number, escape(category.name)))
    return SafeString("".join(written))  # nosec B703 B308


@register.simple_tag
def pe_sort_options(options, chosen) -> SafeString:
    """The ``<option>`` of each order the register offers (``options``: key and label),
    ``chosen`` selected."""
    return SafeString(  # nosec B703 B308
        "".join(
            [
                f'<option value="{escape(key)}"{" selected" if chosen == key else ""}>'
                f"{escape(label)}</option>"
                for key, label in options
            ]
        )
    )
