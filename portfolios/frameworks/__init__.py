"""Versioned rule values of the assessment frameworks (toetsingskaders).

A framework version is plain data with an effective date. A portfolio records the version it was
started under; a document without a recorded version is judged by the version in force on its
anchor date. Modules register their versions at import time via :func:`register`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

JOBCOACH = "jobcoach-recertification"
LOOPBAAN = "loopbaanprofessional-initial"


@dataclass(frozen=True)
class FrameworkVersion:
    code: str
    version: str
    effective_from: date
    title: str
    # AS-2: how many assessors judge one assessment round of a portfolio under this version.
    assessor_count: int


_REGISTRY: dict[str, list[FrameworkVersion]] = {}


def register(version: FrameworkVersion) -> FrameworkVersion:
    versions = _REGISTRY.setdefault(version.code, [])
    versions.append(version)
    versions.sort(key=lambda v: v.effective_from)
    return version


def _load() -> None:
    # Imported for their register() side effect.
    from portfolios.frameworks import jobcoach, loopbaan  # noqa: F401


def versions_of(code: str) -> list[FrameworkVersion]:
    _load()
    return list(_REGISTRY.get(code, []))


def framework_version(code: str, *, on: date | None = None, version: str | None = None):
    """The version named ``version``, else the one in force ``on`` that date, else the newest.

    Raises ``LookupError`` for an unknown framework code or version name.
    """
    versions = versions_of(code)
    if not versions:
        raise LookupError(f"unknown framework {code!r}")
    if version is not None:
        for candidate in versions:
            if candidate.version == version:
                return candidate
        raise LookupError(f"unknown version {version!r} of framework {code!r}")
    if on is None:
        return versions[-1]
    in_force = [v for v in versions if v.effective_from <= on]
    return in_force[-1] if in_force else versions[0]
