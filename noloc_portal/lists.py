"""What every list that grows shares: a page of it (style §5), row URLs built once per list
instead of one ``{% url %}`` per row, and its filter form rendered once per process for what it
shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.forms import Form
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from noloc_portal.prepared import Pageable
from noloc_portal.remembered_tags import remembered_reverse

PER_PAGE = 50


def get_page(rows: Sequence, per_page: int, number) -> Page:
    """``Paginator(rows, per_page).get_page(number)``: for a :class:`Pageable`, the page asked
    for is read with the number of rows in one query, where the paginator asks for two (the
    count, then the slice). Only a page past the end (or before the first) goes the
    paginator's way, which gives the last one."""
    paginator = Paginator(rows, per_page)
    wanted = _page_number(number)
    if isinstance(rows, Pageable) and wanted is not None and not paginator.orphans:
        found = rows.page(wanted, per_page)
        if found is not None:  # the paginator's count is the one read with the page
            return paginator._get_page(found, wanted, paginator)
    return paginator.get_page(number)


def _page_number(number) -> int | None:
    """The page ``Paginator.get_page`` gives for ``number`` where it is known without a count:
    a whole number from 1, or 1 for anything that is not a whole number; None below 1."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        wanted = int(number)
    except (TypeError, ValueError):
        return 1
    return wanted if wanted >= 1 else None


def page_of(request, rows: Sequence, *, param: str = "pagina", per_page: int = PER_PAGE) -> Page:
    """The page of ``rows`` that ``?param=`` asks for; a missing, odd or too high number gives
    the first or the last page, never an error. A queryset is counted and sliced in SQL."""
    page = get_page(rows, per_page, request.GET.get(param))
    page.previous_url = _link(request, param, page.number - 1) if page.has_previous() else None
    page.next_url = _link(request, param, page.number + 1) if page.has_next() else None
    return page


def _link(request, param: str, number: int) -> str:
    """This page's query string with another page number; the other parameters (a filter, a
    sort, the page of another list) stay."""
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"


# A value no row has, placed where the row's key goes and replaced per row.
_INT_MARK = 2147483646
_UUID_MARK = UUID("00000000-0000-4000-8000-00000000fffe")


class RowUrl:
    """``reverse(name, args=[*fixed, key])`` for many keys at the cost of one ``reverse``,
    itself remembered in this process as ``{% url %}`` is (a list page builds several, and a
    ``reverse`` was a tenth of the public circle list):
    ``edit = RowUrl("portfolios:pe_edit", portfolio.pk)``, then ``edit(activity.pk)``."""

    def __init__(self, name: str, *fixed, key: type = int):
        mark = str(_UUID_MARK if key is UUID else _INT_MARK)
        url = remembered_reverse(name, (*fixed, mark))
        self.head, found, self.tail = url.rpartition(mark)
        if not found:
            raise ValueError(f"{name} does not end in its row key")

    def __call__(self, key) -> str:
        return f"{self.head}{key}{self.tail}"


# Filter forms' HTML by what it shows; emptied when full, because the values come from visitors.
_FORM_HTML: dict[tuple, SafeString] = {}
_FORM_HTML_LIMIT = 500


def form_html(template_name: str, form: Form) -> SafeString:
    """``template_name`` rendered with ``form`` as its only context, once per process for each
    language, value of each field (what was typed, or the initial value), choices offered and
    fields disabled: a
    list's filter form looks the same on most visits, and rendering its fields through crispy's
    templates cost more than the rows. The errors follow from the values and the choices; a form
    whose fields differ otherwise from instance to instance does not belong here."""
    key = (
        template_name,
        type(form),
        get_language(),
        form.is_bound,
        tuple(
            _hashable(form[name].data if form.is_bound else form[name].value())
            for name in form.fields
        ),
        tuple(
            tuple((str(value), str(label)) for value, label in field.choices)
            for field in form.fields.values()
            if hasattr(field, "choices")
        ),
        # A page shows the form read-only to whoever may not change it.
        tuple(field.disabled for field in form.fields.values()),
    )
    html = _FORM_HTML.get(key)
    if html is None:
        if len(_FORM_HTML) >= _FORM_HTML_LIMIT:
            _FORM_HTML.clear()
        html = _FORM_HTML[key] = render_to_string(template_name, {"form": form})
    return html


# Unbound forms' HTML by what a caller knows decides it, before the form is built.
_UNBOUND_HTML: dict[tuple, SafeString] = {}


def unbound_form_html(template_name: str, key: tuple, make_form: Callable[[], Form]) -> SafeString:
    """:func:`form_html` of ``make_form()``, an unbound form that ``key`` (with the language)
    decides: its initial values and choices. A page that offers the same empty form on most
    visits then builds it only the first time (building the public circle list's interest
    form was a tenth of that page)."""
    full_key = (template_name, get_language(), key)
    html = _UNBOUND_HTML.get(full_key)
    if html is None:
        if len(_UNBOUND_HTML) >= _FORM_HTML_LIMIT:
            _UNBOUND_HTML.clear()
        html = _UNBOUND_HTML[full_key] = form_html(template_name, make_form())
    return html


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value
