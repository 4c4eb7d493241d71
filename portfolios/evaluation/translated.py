"""Rule messages translated once per evaluation, or once per batch of evaluations.

A hundred activities ask for the same few format strings hundreds of times, and a command that
evaluates a thousand documents asks for them a thousand times more. The language cannot change
within one block of :func:`translated_once`, so inside it each text is translated once; outside
it ``gettext`` and ``ngettext`` are Django's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import translation

# The texts translated so far in the block, else None.
_TRANSLATED: ContextVar[dict[tuple, str] | None] = ContextVar("rules_translated", default=None)


@contextmanager
def translated_once() -> Iterator[None]:
    """Within the block, ``gettext``/``ngettext`` below translate each text once. A block
    inside another shares the outer one's texts."""
    if _TRANSLATED.get() is not None:
        yield
        return
    token = _TRANSLATED.set({})
    try:
        yield
    finally:
        _TRANSLATED.reset(token)


# Named as Django's so that makemessages finds the texts of the modules that import them.
def gettext(message: str) -> str:
    return _once((message,), translation.gettext, message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return _once(
        (singular, plural, type(number), number), translation.ngettext, singular, plural, number
    )


def written_once(key: tuple, write: Callable[[], str]) -> str:
    """A text built from translated parts (``write()``), built once per block under ``key``."""
    return _once(key, write)


def _once(key: tuple, make: Callable[..., str], *args) -> str:
    texts = _TRANSLATED.get()
    if texts is None:
        return make(*args)
    text = texts.get(key)
    if text is None:
        text = texts[key] = make(*args)
    return text
