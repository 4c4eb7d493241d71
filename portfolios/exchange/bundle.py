"""Reading a bundle within limits: a zip holding ``portfolio.json`` and the evidence it names.

Bundles come from outside (the API, the command line), so every limit is checked before the work
it bounds, and every problem raises :class:`DocumentError` (path ``""``: the zip itself, or the
JSON path of the evidence):

- the central directory is judged before any member is read: the number of entries, the total
  unpacked size and each entry's compression ratio (``settings.EXCHANGE_BUNDLE_MAX_*``);
- members are copied in chunks to temporary files, counting the bytes actually unpacked against
  the same limits and ``settings.UPLOAD_MAX_BYTES`` per file (a declared size may lie), and are
  never held in memory whole.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
import zlib
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

from portfolios.evaluation.common import DocumentError
from portfolios.exchange.decode import DOCUMENT_MAX_BYTES, load_json

DOCUMENT_NAME = "portfolio.json"
# Entries smaller than this are bounded by their size alone; tiny files compress oddly.
_RATIO_FLOOR = 1024 * 1024
# A central-directory entry is 46 bytes plus its name and extra fields; bundle names are at
# most a few hundred bytes. More directory than this per allowed entry is not a bundle.
_DIRECTORY_BYTES_PER_ENTRY = 4096
_CHUNK = 64 * 1024
# zipfile's index of the central directory's size in the end record (see _directory_size).
_ECD_SIZE = 5


# --- Limits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleLimits:
    """What a bundle may hold (settings ``EXCHANGE_BUNDLE_MAX_*`` and ``UPLOAD_MAX_BYTES``)."""

    entries: int
    total_bytes: int
    ratio: int
    file_bytes: int

    @classmethod
    def from_settings(cls) -> BundleLimits:
        return cls(
            entries=settings.EXCHANGE_BUNDLE_MAX_ENTRIES,
            total_bytes=settings.EXCHANGE_BUNDLE_MAX_BYTES,
            ratio=settings.EXCHANGE_BUNDLE_MAX_RATIO,
            file_bytes=settings.UPLOAD_MAX_BYTES,
        )

    @property
    def upload_bytes(self) -> int:
        """The largest zip worth receiving: every member stored uncompressed, with headers."""
        return max(self.total_bytes + self.entries * _DIRECTORY_BYTES_PER_ENTRY, DOCUMENT_MAX_BYTES)


# --- Bundles ---------------------------------------------------------------------------------


def is_bundle(head: bytes) -> bool:
    """Whether input starting with ``head`` (its first four bytes suffice) is a zip."""
    return head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")


def _unsafe(name: str) -> bool:
    normal = name.replace("\\", "/")
    return (
        normal.startswith("/") or bool(re.match(r"^[A-Za-z]:", normal)) or ".." in normal.split("/")
    )


def _directory_size(source: IO[bytes]) -> int | None:
    """The size of the central directory that ZipFile is about to read into memory, or ``None``
    when there is no end record (then ZipFile reports an invalid zip).

    Read with the same function ZipFile uses (it also applies the ZIP64 record), so the limit
    holds for exactly the directory that will be parsed: a forged directory of millions of
    entries costs no memory.
    """
    try:
        record = zipfile._EndRecData(source)
    except OSError:
        return None
    return None if not record else record[_ECD_SIZE]


@dataclass
class BundleFile:
    """A bundle member unpacked to an anonymous temporary file (removed when closed)."""

    file: IO[bytes]
    size: int
    head: bytes


class Bundle:
    """An open bundle whose central directory is within the limits.

    Use it as a context manager: closing it closes the archive and removes every file unpacked
    by :meth:`unpack`.
    """

    def __init__(self, source: IO[bytes], limits: BundleLimits | None = None) -> None:
        self.limits = limits or BundleLimits.from_settings()
        directory = _directory_size(source)
        if directory is not None and directory > self.limits.entries * _DIRECTORY_BYTES_PER_ENTRY:
            raise DocumentError("", self._too_many)
        try:
            source.seek(0)
            self._archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, ValueError, OSError):
            raise DocumentError("", "the bundle is not a valid zip file") from None
        self._unpacked = ExitStack()
        self._total = 0
        try:
            self._infos = self._check_directory(self._archive.infolist())
        except BaseException:
            self._archive.close()
            raise

    @property
    def _too_many(self) -> str:
        return f"the bundle holds more than {self.limits.entries} files"

    def _check_directory(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > self.limits.entries:
            raise DocumentError("", self._too_many)
        names = [info.filename for info in infos]
        for name in names:
            if _unsafe(name):
                raise DocumentError("", f"the bundle holds an unsafe file name {name!r}")
        if len(set(names)) != len(names):
            raise DocumentError("", "the bundle holds the same file name twice")
        total = self.limits.total_bytes
        if sum(info.file_size for info in infos) > total:
            raise DocumentError("", f"the bundle unpacks to more than the maximum of {total} bytes")
        for info in infos:
            if info.file_size > _RATIO_FLOOR and (
                info.file_size > self.limits.ratio * max(info.compress_size, 1)
            ):
                raise DocumentError(
                    "",
                    f"file {info.filename!r} is compressed more than {self.limits.ratio} to 1; "
                    "the bundle looks like a zip bomb",
                )
        return {info.filename: info for info in infos if not info.is_dir()}

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._unpacked.close()
        self._archive.close()

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def document(self) -> Any:
        """The decoded ``portfolio.json``."""
        if DOCUMENT_NAME not in self._infos:
            raise DocumentError("", f"the bundle holds no {DOCUMENT_NAME}")
        with self._open(DOCUMENT_NAME) as member:
            raw = member.read(DOCUMENT_MAX_BYTES + 1)
        if len(raw) > DOCUMENT_MAX_BYTES:
            raise DocumentError("", f"{DOCUMENT_NAME} is larger than {DOCUMENT_MAX_BYTES} bytes")
        self._count(len(raw))
        return load_json(raw)

    def unpack(self, name: str, *, path: str) -> BundleFile:
        """Copy member ``name`` to a temporary file in chunks; ``path`` names it in errors."""
        limit = self.limits.file_bytes
        too_large = f"file {name!r} is larger than the maximum of {limit} bytes"
        if self._infos[name].file_size > limit:
            raise DocumentError(path, too_large)
        # Closed, and so removed, with the bundle: the import stores it after every check.
        target = self._unpacked.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
        size = 0
        head = b""
        with self._open(name) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise DocumentError(path, too_large)
                self._count(len(chunk))
                if len(head) < 16:
                    head = (head + chunk)[:16]
                target.write(chunk)
        target.seek(0)
        return BundleFile(file=target, size=size, head=head)

    def _count(self, size: int) -> None:
        self._total += size
        total = self.limits.total_bytes
        if self._total > total:
            raise DocumentError("", f"the bundle unpacks to more than the maximum of {total} bytes")

    def _open(self, name: str) -> _Member:
        try:
            return _Member(self._archive.open(self._infos[name]), name)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
            # Encrypted, an unknown compression method, or corrupt.
            raise DocumentError("", f"file {name!r} cannot be read from the bundle") from None


class _Member:
    """A zip member whose read errors (a bad CRC, corrupt data) become DocumentError."""

    def __init__(self, member: IO[bytes], name: str) -> None:
        self._member = member
        self._name = name

    def read(self, size: int = -1) -> bytes:
        try:
            return self._member.read(size)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError):
            raise DocumentError("", f"file {self._name!r} cannot be read from the bundle") from None

    def __enter__(self) -> _Member:
        return self

    def __exit__(self, *exc_info) -> None:
        self._member.close()
