"""Back up and restore the whole portal: the database as Django's serialised objects and every
stored file through the storage API.

Why dumpdata/loaddata and not pg_dump: one format (JSON Lines, see serializer.py) for the
embedded SQLite default and for PostgreSQL (a back-up of one restores into the other), no client
tools whose version must match the server, and files and rows checked by one manifest. Primary
keys are kept (the restore goes into an empty database); content types and permissions travel by
natural key because `migrate` numbers them anew. Sessions are left out: they are throw-away.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from noloc_portal.backup.serializer import FORMAT_NAME

logger = logging.getLogger(__name__)

FORMAT = "noloc-backup/1"
MANIFEST = "manifest.json"
DATABASE = f"database.{FORMAT_NAME}"
FILES = "files"
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The back-up cannot be written or read; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    objects: int
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_names(storage: Storage, folder: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT that nothing was stored in yet
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names.extend(_stored_names(storage, f"{folder}/{sub}" if folder else sub))
    return sorted(names)


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"File name outside the back-up: {name!r}")
    return target


def create_backup(*, to: Path, storage: Storage = default_storage) -> BackupSummary:
    """Write the database and every stored file to the new (or empty) folder ``to``."""
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"{to} is not empty")
    files_root = to / FILES
    files_root.mkdir(parents=True, exist_ok=True)

    database = to / DATABASE
    call_command(
        "dumpdata",
        format=FORMAT_NAME,
        natural_foreign=True,
        use_base_manager=True,
        exclude=EXCLUDED,
        output=str(database),
        verbosity=0,
    )
    with database.open("rb") as handle:
        objects = sum(1 for line in handle if line.strip())

    files = []
    total = 0
    for name in _stored_names(storage):
        target = _safe_target(files_root, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                copy.write(chunk)
        size = target.stat().st_size
        total += size
        files.append({"name": name, "size": size, "sha256": _sha256(target)})

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "database": {"file": DATABASE, "objects": objects, "sha256": _sha256(database)},
        "files": files,
    }
    (to / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    logger.info("Back-up in %s: %s objects, %s files", to, objects, len(files))
    return BackupSummary(objects=objects, files=len(files), bytes=total)


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in {source}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown back-up format {manifest.get('format')!r}")
    if _sha256(source / DATABASE) != manifest["database"]["sha256"]:
        raise BackupError(f"{DATABASE} does not match the manifest")
    for entry in manifest["files"]:
        path = _safe_target(source / FILES, entry["name"])
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"File {entry['name']!r} is missing or damaged")
    return manifest


def restore_backup(
    *, source: Path, replace: bool = False, storage: Storage = default_storage
) -> BackupSummary:
    """Put a back-up made by create_backup into a migrated database and the file storage.

    Everything is checked against the manifest first. The database must hold no accounts yet,
    unless ``replace``: then it is emptied first (``flush``). Stored files are written under
    their own names; files in the storage that the back-up does not hold are left alone.
    """
    manifest = _read_manifest(source)
    if get_user_model()._base_manager.exists():
        if not replace:
            raise BackupError(
                "The database already holds data; restore into an empty database or pass --replace"
            )
        call_command("flush", interactive=False, verbosity=0)

    total = 0
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            storage.delete(name)
        with _safe_target(source / FILES, name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name!r} as {saved!r}")
        total += entry["size"]

    call_command("loaddata", str(source / DATABASE), verbosity=0)
    logger.info(
        "Restored %s: %s objects, %s files",
        source,
        manifest["database"]["objects"],
        len(manifest["files"]),
    )
    return BackupSummary(
        objects=manifest["database"]["objects"], files=len(manifest["files"]), bytes=total
    )
