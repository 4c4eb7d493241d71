"""Building the rows of long lists in Python: escaping without ``format_html``'s checks for lazy
strings on every value, and the fixed words of a row translated once per language.

``format_html`` and ``conditional_escape`` ask of each argument whether it is a lazy string
(``keep_lazy``); in a checklist or a matrix of forty rows that check, with a ``gettext`` per
word per row, cost more than the markup. A row built here escapes each value once with
:func:`escape` and takes its words from :class:`Words`."""

from __future__ import annotations

import datetime
import functools
import weakref
from html import escape as _escape_text

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language


def escape(value) -> str:
    """As Django's ``conditional_escape``: safe text as it is, anything else escaped."""
    if isinstance(value, SafeData):
        return str(value)
    return _escape_text(str(value))


def format_safe(format_string: str, *args, **kwargs) -> SafeString:
    """``format_html`` for the rows of a list: each value escaped by :func:`escape` (safe text
    as it is), without its check for lazy strings on every value. The same HTML."""
    # Every value is escaped; the format string is the caller's own markup, as format_html's.
    return SafeString(  # nosec B703
        format_string.format(
            *[escape(value) for value in args],
            **{name: escape(value) for name, value in kwargs.items()},
        )
    )


def joined(parts) -> SafeString:
    """``format_html_join("", "{}", ...)``: the parts one after the other, each escaped unless it
    is safe already (rows built by :func:`format_safe` are)."""
    return SafeString("".join([escape(part) for part in parts]))  # nosec B703


# Where a form's token goes in HTML written for remembering (the token differs per request, the
# HTML does not): a character PostgreSQL cannot store, so no text read from it holds it, and
# Django's forms refuse it.
TOKEN_PLACE = "\x00"


def csrf_input(token) -> SafeString:
    """The hidden field of a form's CSRF token, exactly as ``{% csrf_token %}`` writes it for a
    context's ``csrf_token`` (nothing without one, or with ``NOTPROVIDED``)."""
    if not token or token == "NOTPROVIDED":
        return SafeString("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def with_token(written: str, token) -> SafeString:
    """HTML written with ``TOKEN_PLACE`` where its forms' token goes, with :func:`csrf_input` of
    this request's ``token`` in each place. Only for HTML the portal wrote itself, every value
    in it escaped as it was written."""
    return SafeString(written.replace(TOKEN_PLACE, csrf_input(token)))  # nosec B703 B308


def day_text(value, format_string: str) -> str:
    """``date_format(value, format_string)``; for a date (not a date and time) remembered per
    language and format across requests, since the rows of a list show the same days on every
    request. A date and time is formatted afresh: two equal ones may lie in different zones."""
    if type(value) is not datetime.date:
        return date_format(value, format_string)
    return _day_text(get_language(), format_string, value)


@functools.lru_cache(maxsize=4096)
def _day_text(language: str | None, format_string: str, value: datetime.date) -> str:
    return date_format(value, format_string)


class Words:
    """Fixed words of a row, ``Words(done=gettext_lazy("in orde"))``; ``words()["done"]`` is
    the word in the active language, escaped, worked out once per language."""

    def __init__(self, **texts: Promise | str):
        self.texts = texts
        self._by_language: dict[str | None, dict[str, str]] = {}
        _ALL.add(self)

    def __call__(self) -> dict[str, str]:
        language = get_language()
        words = self._by_language.get(language)
        if words is None:
            words = {key: escape(text) for key, text in self.texts.items()}
            self._by_language[language] = words
        return words


_ALL: weakref.WeakSet[Words] = weakref.WeakSet()


# The settings a text remembered per language depends on: a test that changes one of them
# gets such texts anew (here and in noloc_portal.remembered_tags).
LANGUAGE_SETTINGS = frozenset(
    {
        "LANGUAGES",
        "LANGUAGE_CODE",
        "LOCALE_PATHS",
        "INSTALLED_APPS",
        "USE_I18N",
        "FORMAT_MODULE_PATH",
    }
)


@receiver(setting_changed)
def _forget_words(*, setting, **kwargs):
    """A test that changes the languages, the catalogues or the formats gets the words and days
    anew."""
    if setting in LANGUAGE_SETTINGS:
        for words in list(_ALL):
            words._by_language.clear()
        _day_text.cache_clear()
