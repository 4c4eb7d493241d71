"""The frameworks (toetsingskaders) a portfolio can follow, and their versioned rule values.

The core never names a framework. Each framework is a package (``portfolios.jobcoach``,
``portfolios.loopbaan``) listed in the ``PORTFOLIO_FRAMEWORKS`` setting; its ``registration``
module calls :func:`register` with a :class:`Framework` that tells the core how to build, judge,
exchange, show and print a portfolio of that framework. A framework version is plain data with an
effective date, registered through :func:`register_version`; a portfolio records the version it
was started under, and a document without one is judged by the version in force on its anchor date.

``tests/portfolios/test_toy_framework.py`` registers the smallest complete framework (one section,
one rule) from a test: the worked example of what a new framework package provides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.conf import settings

from noloc_portal.choices import forget_labels


@dataclass(frozen=True)
class Criterion:
    """What an assessor judges (AS-3): framework data, versioned with the framework.

    ``rule_prefixes`` name the engine's rules shown beside the criterion; ``section`` is the key
    of the checklist section that holds its content (what a supplement request reopens);
    ``indicators`` say what the assessor looks for. A criterion whose ``skip_when_exempt`` rule is
    exempt in the frozen evaluation is not judged (JC-A2 within its exemption window)."""

    key: str
    code: str
    title: str
    section: str
    rule_prefixes: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    group: str = ""
    skip_when_exempt: str = ""


@dataclass(frozen=True)
class FrameworkVersion:
    code: str
    version: str
    effective_from: date
    title: str
    # AS-2: how many assessors judge one assessment round of a portfolio under this version.
    assessor_count: int
    # AS-3: the criteria every assessor judges; AS-4: whether a certification interview follows.
    criteria: tuple[Criterion, ...] = field(default=(), kw_only=True)
    interview: bool = field(default=False, kw_only=True)

    def criterion(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)


@dataclass(frozen=True, kw_only=True)
class Framework:
    """What the core needs from a framework package. Every callable is the package's own."""

    code: str
    label: Any
    # The snapshot dataclass its rules judge, and the doors to it.
    snapshot_type: type
    evaluate: Callable[..., Any]  # (snapshot, *, as_of, framework=None) -> Evaluation
    parse: Callable[[dict[str, Any]], Any]  # noloc-portfolio/1 document -> snapshot
    dump: Callable[[Any], dict[str, Any]]  # snapshot -> document
    # Models <-> snapshot.
    prefetch: Callable[[Any], Any]  # Portfolio queryset -> queryset the snapshot reads cheaply
    # Optional, for one portfolio on every page: pk -> the Portfolio with what `snapshot_of`
    # reads, as `prefetch` gives it (None when there is no such portfolio of this framework),
    # in queries compiled once per process (noloc_portal.prepared).
    load: Callable[[int], Any] | None = None
    snapshot_of: Callable[[Any], Any]  # stored Portfolio -> snapshot
    # The rows the snapshot reads (portfolios.remembered.Rows), so that a verdict on them is
    # remembered under their versions; () when none is remembered.
    row_versions: Sequence[Any] = ()
    # Exchange storage: evidence names in a snapshot, rows to create, files behind the names.
    evidence: Callable[[Any], Sequence[tuple[str, str, tuple]]]  # -> (path, name, kinds)
    creator: Callable[..., tuple[str, Callable]]  # (snapshot, owner, fits) -> (version, create)
    sources: Callable[[Any], dict[str, Any]]  # Portfolio -> {evidence name: Document | other}
    export_file: Callable[[Any], bytes] | None = None  # bytes of a non-Document source
    # Pages.
    start: Callable[..., Any]  # (*, owner, data) -> Portfolio; ValidationError names a field
    start_fields: Callable[[Any], dict[str, Any]] | None = None  # user -> extra start fields
    # (request, portfolio) -> response for portfolios:detail; portfolios.overview.render_overview
    # gives the checklist page every framework shows.
    overview: Callable[..., Any]
    urlpatterns: Sequence[Any] = field(default_factory=tuple)
    # What lists, page headings and the API show of the framework's own rows, by name (the API's
    # `recertification_date`): Portfolio -> dict (see Portfolio.summary_values). It reads only the
    # relations in `summary_related`, which every list of portfolios joins.
    summary_values: Callable[[Any], dict[str, Any]] | None = None
    summary_related: Sequence[str] = field(default_factory=tuple)
    # Admin: the inlines of its rows on the portfolio page, and its fields on the portfolio row.
    admin_inlines: Sequence[type] = field(default_factory=tuple)
    admin_fields: Sequence[str] = field(default_factory=tuple)
    # Demo data for `manage.py seed_demo` (users by demo key), never in production, and a draft
    # of a given owner that meets every rule (owner -> Portfolio), for the demo of the apps built
    # on the core (assessments seeds work in every state with it).
    demo: Callable[[dict[str, Any]], None] | None = None
    demo_complete_portfolio: Callable[[Any], Any] | None = None
    # The assessor's dossier of a submission (noloc_portal.pdf.registry.Report).
    dossier: Callable[[Any], Any] | None = None
    # The evidence an assessor opens beside each criterion (AS-3): snapshot -> [(checklist
    # section key, Dutch label, evidence name)] in document order.
    evidence_sections: Callable[[Any], Sequence[tuple[str, str, str]]] | None = None
    # What the framework does when a portfolio is submitted, inside the submit's transaction with
    # the portfolio row locked: (*, portfolio, by) -> None.
    on_submit: Callable[..., None] | None = None
    # Stored file -> Q over Portfolio matching the portfolios that hold it: whoever may read
    # one of those portfolios may read the file.
    document_holders: Callable[[Any], Any] | None = None
    # The list of portfolios: annotations for a Portfolio queryset (correlated subqueries, so
    # the list costs the same queries for any number of rows) and the line they make.
    list_annotations: Callable[[], dict[str, Any]] | None = None
    summary: Callable[[Any], str] | None = None
    # A document of this framework, shown as an example in the API schema.
    example_document: dict[str, Any] | None = None
    # AS-5: the register a positive decision registers the owner in (code and Dutch name), and
    # whether the portfolio recertifies (extends the previous registration) rather than certifies
    # for the first time. ``previous_registration_end`` (Portfolio -> date | None) is the end of
    # the registration being recertified as the portfolio states it (used when the portal holds
    # no earlier registration of the owner).
    register_code: str = ""
    register_label: Any = ""
    recertification: bool = False
    previous_registration_end: Callable[[Any], date | None] | None = None


_FRAMEWORKS: dict[str, Framework] = {}
_VERSIONS: dict[str, list[FrameworkVersion]] = {}
_loaded = False


def register(framework: Framework) -> Framework:
    _FRAMEWORKS[framework.code] = framework
    forget_labels()  # the labels of the portfolio's framework field
    return framework


def unregister(code: str) -> None:
    """Remove a framework (tests register toy frameworks and take them away again)."""
    _FRAMEWORKS.pop(code, None)
    _VERSIONS.pop(code, None)
    forget_labels()


def register_version(version: FrameworkVersion) -> FrameworkVersion:
    versions = _VERSIONS.setdefault(version.code, [])
    versions.append(version)
    versions.sort(key=lambda v: v.effective_from)
    return version


def unregister_version(version: FrameworkVersion) -> None:
    """Remove one version (tests register a variant of a version and take it away again)."""
    versions = _VERSIONS.get(version.code, [])
    if version in versions:
        versions.remove(version)


def load() -> None:
    """Import the registration module of every framework package named in the settings."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for package in settings.PORTFOLIO_FRAMEWORKS:
        import_module(f"{package}.registration")


def codes() -> tuple[str, ...]:
    """The codes of the registered frameworks, in order of registration."""
    return tuple(framework.code for framework in frameworks())


def frameworks() -> list[Framework]:
    load()
    return list(_FRAMEWORKS.values())


def summary_related() -> list[str]:
    """The relations every framework's ``summary_values`` reads, for ``select_related``."""
    return [name for framework in frameworks() for name in framework.summary_related]


def framework_choices() -> list[tuple[str, Any]]:
    return [(framework.code, framework.label) for framework in frameworks()]


def get(code: str) -> Framework:
    """The framework registered as ``code``; raises ``LookupError`` for an unknown code."""
    load()
    try:
        return _FRAMEWORKS[code]
    except KeyError:
        raise LookupError(f"unknown framework {code!r}") from None


def of_snapshot(snapshot: Any) -> Framework:
    for framework in frameworks():
        if isinstance(snapshot, framework.snapshot_type):
            return framework
    raise TypeError(f"not a portfolio snapshot: {type(snapshot).__name__}")


def versions_of(code: str) -> list[FrameworkVersion]:
    load()
    return list(_VERSIONS.get(code, []))


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
