"""What every list that grows shares: a page of it (style §5), and row URLs built once per
list instead of one ``{% url %}`` per row."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.urls import reverse

PER_PAGE = 50


def page_of(request, rows: Sequence, *, param: str = "pagina", per_page: int = PER_PAGE) -> Page:
    """The page of ``rows`` that ``?param=`` asks for; a missing, odd or too high number gives
    the first or the last page, never an error. A queryset is counted and sliced in SQL."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
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
    """``reverse(name, args=[*fixed, key])`` for many keys at the cost of one ``reverse``:
    ``edit = RowUrl("portfolios:pe_edit", portfolio.pk)``, then ``edit(activity.pk)``."""

    def __init__(self, name: str, *fixed, key: type = int):
        mark = _UUID_MARK if key is UUID else _INT_MARK
        url = reverse(name, args=[*fixed, mark])
        self.head, found, self.tail = url.rpartition(str(mark))
        if not found:
            raise ValueError(f"{name} does not end in its row key")

    def __call__(self, key) -> str:
        return f"{self.head}{key}{self.tail}"
