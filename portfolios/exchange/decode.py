"""Decoding a ``noloc-portfolio/1`` document from bytes, within limits.

Documents come from outside (the API, the command line, a bundle), so a malformed one must end
as a :class:`DocumentError` naming the JSON path (``$`` for the whole document), never deeper in
the code: a document is at most :data:`DOCUMENT_MAX_BYTES`, nests at most :data:`MAX_DEPTH`
levels (a deeper one must not reach code that recurses, json.loads included) and holds only
finite numbers that Python reads without trouble (JSON has no ``NaN`` or ``Infinity``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from portfolios.evaluation.common import DocumentError
from portfolios.exchange.reader import join

# The document is text only; far below this even with long reports.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# exchange.md documents nest five levels deep (cases[0].tasks.3.text); room for added fields.
MAX_DEPTH = 64
# Longer integers are no count of anything; Python refuses to read past 4300 digits anyway.
_MAX_INTEGER_DIGITS = 30


def read_limited(stream: IO[bytes], limit: int = DOCUMENT_MAX_BYTES) -> bytes:
    """At most ``limit`` bytes of a stream; raises DocumentError at ``$`` when there are more."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise DocumentError("$", f"the document is larger than the maximum of {limit} bytes")
    return raw


@dataclass(frozen=True)
class _Refused:
    """A value json.loads met that the document may not hold; reported with its path."""

    message: str


def _integer(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > _MAX_INTEGER_DIGITS:
        return _Refused("is too large")
    return int(text)


def _float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused("is too large")


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows")


def load_json(raw: bytes | str) -> Any:
    """Decode a JSON document within the limits of this module; raises DocumentError."""
    if len(raw) > DOCUMENT_MAX_BYTES:
        raise DocumentError(
            "$", f"the document is larger than the maximum of {DOCUMENT_MAX_BYTES} bytes"
        )
    try:
        # UTF-8 (a byte-order mark is tolerated); json.loads would also guess UTF-16/32.
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise DocumentError("$", "the document is not UTF-8 text") from None
    refused: list[_Refused] = []

    def marked(parse: Callable[[str], Any]) -> Callable[[str], Any]:
        def parse_and_mark(token: str) -> Any:
            value = parse(token)
            if isinstance(value, _Refused):
                refused.append(value)
            return value

        return parse_and_mark

    try:
        data = json.loads(
            text,
            parse_int=marked(_integer),
            parse_float=marked(_float),
            parse_constant=marked(_constant),
        )
    except json.JSONDecodeError as error:
        raise DocumentError(
            "$", f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        # json.loads recurses once per level; find where the text nests too deep.
        _check_nesting(text)
        raise DocumentError("$", f"nests deeper than {MAX_DEPTH} levels") from None
    # The walk finds where: needed only when a value was refused, or when the text has enough
    # brackets to nest too deep (brackets inside strings count too: an overestimate).
    if refused or text.count("[") + text.count("{") > MAX_DEPTH:
        _check_values(data)
    return data


# Strings (skipped whole, so brackets inside them do not count) and the structural characters.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]', re.DOTALL)


class _Level:
    __slots__ = ("expects_key", "is_object", "key")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.key: str | int = "" if is_object else 0
        self.expects_key = is_object


def _path(levels: list[_Level]) -> str:
    return _spelled([level.key for level in levels]) or "$"


def _check_nesting(text: str) -> None:
    """Refuse a text nested deeper than MAX_DEPTH, naming the path of the value that goes too
    deep, without decoding it (json.loads cannot: it runs out of stack first).

    Only the structure is followed; syntax errors are json.loads's to report.
    """
    levels: list[_Level] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            if len(levels) == MAX_DEPTH:
                raise DocumentError(_path(levels), f"nests deeper than {MAX_DEPTH} levels")
            levels.append(_Level(is_object=token == "{"))
        elif not levels:
            continue
        elif token in ("]", "}"):
            levels.pop()
        elif token == ",":
            level = levels[-1]
            if level.is_object:
                level.expects_key = True
            else:
                level.key = int(level.key) + 1
        elif token == ":":
            levels[-1].expects_key = False
        elif levels[-1].expects_key:
            try:
                levels[-1].key = json.loads(token)
            except ValueError:
                levels[-1].key = token


def _items(container: dict | list) -> Iterator[tuple[str | int, Any]]:
    return iter(container.items() if isinstance(container, dict) else enumerate(container))


def _check_values(data: Any) -> None:
    """Refuse, in document order, the first value nested deeper than MAX_DEPTH or marked by
    json.loads (NaN, Infinity, a number out of range), naming its path.

    Depth first without recursion; the path is spelled out only for the value refused.
    """
    if isinstance(data, _Refused):
        raise DocumentError("$", data.message)
    if not isinstance(data, dict | list):
        return
    keys: list[str | int] = []
    levels = [_items(data)]
    while levels:
        for key, value in levels[-1]:
            if isinstance(value, _Refused):
                raise DocumentError(_spelled([*keys, key]), value.message)
            if isinstance(value, dict | list):
                if len(levels) == MAX_DEPTH:
                    raise DocumentError(
                        _spelled([*keys, key]), f"nests deeper than {MAX_DEPTH} levels"
                    )
                keys.append(key)
                levels.append(_items(value))
                break
        else:
            levels.pop()
            if keys:
                keys.pop()


def _spelled(keys: list[str | int]) -> str:
    path = ""
    for key in keys:
        path = join(path, key)
    return path
