"""Request bodies of the exchange endpoints, read within the limits of
:mod:`portfolios.exchange.bundle`: a JSON document streamed to at most its maximum size and
decoded by the exchange's own reader, and a bundle upload streamed to a temporary file."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from rest_framework.parsers import BaseParser

from portfolios.evaluation.common import DocumentError
from portfolios.exchange.bundle import BundleLimits
from portfolios.exchange.decode import load_json, read_limited


class DocumentParser(BaseParser):
    """``application/json`` read from the request stream (never ``request.body`` whole) within
    the document limit. Size, nesting and numbers raise DocumentError naming the JSON path."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        return load_json(read_limited(stream))


class BundleUploadHandler(TemporaryFileUploadHandler):
    """Every uploaded file to a temporary file on disk (never in memory), refusing a request
    larger than the largest bundle worth receiving, by its Content-Length before reading and by
    the bytes received while reading."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = BundleLimits.from_settings().upload_bytes
        self.received = 0

    def _refuse(self) -> DocumentError:
        return DocumentError(
            "bundle", f"the upload is larger than the maximum of {self.limit} bytes"
        )

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit:
            raise self._refuse()
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.file.close()
            raise self._refuse()
        return super().receive_data_chunk(raw_data, start)
