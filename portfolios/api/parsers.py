"""Request bodies of the exchange endpoints, read within the limits of
:mod:`portfolios.exchange.decode`: a JSON document streamed to at most its maximum size and
decoded by the exchange's own reader."""

from __future__ import annotations

from typing import Any

from rest_framework.parsers import BaseParser

from portfolios.exchange.decode import load_json, read_limited


class DocumentParser(BaseParser):
    """``application/json`` read from the request stream (never ``request.body`` whole) within
    the document limit. Size, nesting and numbers raise DocumentError naming the JSON path."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        return load_json(read_limited(stream))
