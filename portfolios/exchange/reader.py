"""Typed reading of a ``noloc-portfolio/1`` JSON document, one value at a time.

Every reader takes the parent object, the key and the JSON path of the parent, and either
returns a Python value or raises :class:`DocumentError` naming the full path of the bad value
(``pe_activities[3].sbu: must be a positive number``). Messages are English: they are read by
the people who move documents between systems, on the command line and in API errors.

A date must lie within the input bounds of ``noloc_portal.validators`` (as in the forms), except
in a document the portal froze itself (:func:`as_stored`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

from noloc_portal.validators import DATES, DateRange
from portfolios.evaluation.common import DocumentError, Statement

# ASCII digits only: \d also matches "²" and other digits date.fromisoformat() refuses.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AS_STORED = ContextVar("as_stored", default=False)
_MISSING = object()
# No number in the format comes near this (hours of experience, words of an article); a larger
# one is a typo or an attack, and would strain the engine's decimals and the columns.
MAX_NUMBER = 1_000_000


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(path, "must be an object")
    return value


def opt_obj(parent: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = parent.get(key)
    return None if value is None else obj(value, join(path, key))


def items(parent: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
    """The elements of an optional array as ``(path, element)`` pairs; absent or null is empty."""
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DocumentError(join(path, key), "must be an array")
    return [(join(join(path, key), i), element) for i, element in enumerate(value)]


def text(parent: dict[str, Any], key: str, path: str) -> str:
    """An optional string; absent or null reads as ``""`` (which counts as missing)."""
    value = parent.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DocumentError(join(path, key), "must be a string")
    return value


def opt_text(parent: dict[str, Any], key: str, path: str) -> str | None:
    """An optional string that keeps the difference between absent/null and a given string."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(join(path, key), "must be a string")
    return value


def evidence(parent: dict[str, Any], key: str, path: str) -> str | None:
    """A file name inside the bundle, or ``None``; an empty string means no file."""
    value = opt_text(parent, key, path)
    return None if value is None or not value.strip() else value


def boolean(parent: dict[str, Any], key: str, path: str, *, default: bool = False) -> bool:
    value = parent.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise DocumentError(join(path, key), "must be true or false")
    return value


def statement(parent: dict[str, Any], key: str, path: str) -> Statement:
    """A statement object; absent or null reads as an unsigned statement without a file."""
    value = opt_obj(parent, key, path) or {}
    at = join(path, key)
    return Statement(signed=boolean(value, "signed", at), evidence=evidence(value, "evidence", at))


@contextmanager
def as_stored() -> Iterator[None]:
    """Read a document the portal froze itself (a submission) as it was stored: its dates are
    not held to the input bounds, so a dossier still shows a date saved before they existed."""
    token = _AS_STORED.set(True)
    try:
        yield
    finally:
        _AS_STORED.reset(token)


def _parse_date(value: Any, path: str, dates: DateRange) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise DocumentError(path, "must be a date written as YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise DocumentError(path, f"{value} is not a date that exists") from None
    if day not in dates and not _AS_STORED.get():
        raise DocumentError(path, f"must be between {dates.earliest} and {dates.latest}")
    return day


def opt_date(
    parent: dict[str, Any], key: str, path: str, *, dates: DateRange = DATES
) -> date | None:
    """A date within ``dates``, or ``None`` when absent or null."""
    value = parent.get(key)
    return None if value is None else _parse_date(value, join(path, key), dates)


def req_date(parent: dict[str, Any], key: str, path: str, *, dates: DateRange = DATES) -> date:
    value = parent.get(key, _MISSING)
    if value is _MISSING or value is None:
        raise DocumentError(join(path, key), "is required")
    return _parse_date(value, join(path, key), dates)


def _number(value: Any, path: str, *, integer: bool) -> float | int:
    # bool is an int in Python; a JSON true is not a number.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DocumentError(path, "must be a whole number" if integer else "must be a number")
    if integer and value != int(value):
        raise DocumentError(path, "must be a whole number")
    if value < 0:
        raise DocumentError(path, "must be a positive number")
    if value > MAX_NUMBER:
        raise DocumentError(path, f"is too large (at most {MAX_NUMBER})")
    return int(value) if integer else value


def opt_number(
    parent: dict[str, Any], key: str, path: str, *, integer: bool = False
) -> float | int | None:
    """A non-negative number, or ``None`` when absent or null."""
    value = parent.get(key)
    return None if value is None else _number(value, join(path, key), integer=integer)


def req_number(
    parent: dict[str, Any], key: str, path: str, *, integer: bool = False
) -> float | int:
    value = parent.get(key, _MISSING)
    if value is _MISSING or value is None:
        raise DocumentError(join(path, key), "is required")
    return _number(value, join(path, key), integer=integer)


def choice(parent: dict[str, Any], key: str, path: str, allowed: tuple[str, ...]) -> str:
    value = parent.get(key)
    if not isinstance(value, str) or value not in allowed:
        raise DocumentError(join(path, key), f"must be one of: {', '.join(allowed)}")
    return value
