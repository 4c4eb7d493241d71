"""What the portfolio core tells the apps built on it, without knowing them (style.md §1).

An app that follows a portfolio's lifecycle (assessments opens a round on submit) registers a
callback here from its ``AppConfig.ready()``; the core calls the callbacks and names no app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from noloc_portal.change_log import ChangeLog

_ON_SUBMITTED: list[Callable[..., None]] = []
_OVERVIEW_NOTICES: list[Callable[..., str]] = []


def on_submitted(callback: Callable[..., None]) -> Callable[..., None]:
    """Register ``callback(*, portfolio, submission, by)``, called inside the submit transaction
    with the portfolio row locked, so what it writes commits or rolls back with the submission."""
    if callback not in _ON_SUBMITTED:
        _ON_SUBMITTED.append(callback)
    return callback


def submitted(*, portfolio, submission, by) -> None:
    for callback in _ON_SUBMITTED:
        callback(portfolio=portfolio, submission=submission, by=by)


def on_overview_notice(callback: Callable[..., str]) -> Callable[..., str]:
    """Register ``callback(*, request, portfolio, place) -> str``: HTML (already escaped, e.g.
    from ``render_to_string``) shown to ``request.user`` at the top of the portfolio's overview
    (``place="overview"``) or of a section page (``place="section"``), or ``""`` for nothing (the
    owner's state of the assessment, what a supplement round asks, an assessor's link to what
    changed). The callback decides what the user may see."""
    if callback not in _OVERVIEW_NOTICES:
        _OVERVIEW_NOTICES.append(callback)
    return callback


def overview_notices(*, request, portfolio, place: str = "overview") -> list[str]:
    """The notices as the callbacks made them: a rendered template stays as it is, a plain string
    is escaped where it is shown."""
    return [
        html
        for html in (
            callback(request=request, portfolio=portfolio, place=place)
            for callback in _OVERVIEW_NOTICES
        )
        if html
    ]


# --- recertification: what the portal knows of the registration being renewed ------------------

_REGISTRATION_ENDS: list[Callable[..., date | None]] = []
_DEVELOPMENT_ADVICE: list[Callable[..., str]] = []


def on_registration_end(callback: Callable[..., date | None]) -> Callable[..., date | None]:
    """Register ``callback(*, owner, register) -> date | None``: the last day of the owner's
    current registration in ``register`` (a framework's ``register_code``) as the portal holds
    it, or None. A recertification portfolio takes its recertification date from it."""
    if callback not in _REGISTRATION_ENDS:
        _REGISTRATION_ENDS.append(callback)
    return callback


def registration_end(*, owner, register: str) -> date | None:
    for callback in _REGISTRATION_ENDS:
        end = callback(owner=owner, register=register)
        if end is not None:
            return end
    return None


def on_development_advice(callback: Callable[..., str]) -> Callable[..., str]:
    """Register ``callback(*, portfolio) -> str``: the development advice (AS-6) the assessment
    of ``portfolio`` ended with, or ``""``. A later portfolio shows it beside its look-back."""
    if callback not in _DEVELOPMENT_ADVICE:
        _DEVELOPMENT_ADVICE.append(callback)
    return callback


def development_advice(*, portfolio) -> str:
    for callback in _DEVELOPMENT_ADVICE:
        advice = callback(portfolio=portfolio)
        if advice:
            return advice
    return ""


@dataclass(frozen=True)
class ActivityOffer:
    """Something an app built on the core knows the owner did, offered as an activity of their
    portfolio with its evidence (a statement the certification coordinator issued, say).

    ``source`` names it once and for all: an activity taken over keeps it, and a portfolio holds
    each source at most once. ``activity_type`` is a type code of the portfolio's framework;
    ``values`` are the activity's fields by name; ``evidence`` returns ``(file name, PDF bytes)``
    when the offer is ``ready`` (its PDF made)."""

    source: str
    activity_type: str
    title: str
    values: Mapping[str, Any]
    description: str
    ready: bool
    evidence: Callable[[], tuple[str, bytes]]


_ACTIVITY_OFFERS: list[Callable[..., list[ActivityOffer]]] = []


def on_activity_offers(
    callback: Callable[..., list[ActivityOffer]],
) -> Callable[..., list[ActivityOffer]]:
    """Register ``callback(*, owner) -> list[ActivityOffer]``: what the apps offer ``owner`` to
    take over into a portfolio. The framework decides which offers its portfolios can hold."""
    if callback not in _ACTIVITY_OFFERS:
        _ACTIVITY_OFFERS.append(callback)
    return callback


def activity_offers(*, owner) -> list[ActivityOffer]:
    return [offer for callback in _ACTIVITY_OFFERS for offer in callback(owner=owner)]


# What the apps offer a person (their activity offers above and the circle meetings they
# attended), kept by PostgreSQL as a revision per person: migration 0012 makes the log, and each
# app that offers adds triggers on the tables its offers read (assessments 0007, quality
# circles 0008). Any write to those rows, by a service, the admin or a bulk update, notes the
# people whose offers it changed, within its own transaction.
OFFER_CHANGES = ChangeLog("offer_change", "owner_id")


def offers_revision(owner_id: int) -> str | None:
    """The revision of what the apps offer ``owner_id`` as this transaction sees it; None where
    none is kept (SQLite). Read it before the offers: a write that commits in between is then
    remembered under the older revision, which no later request asks for."""
    return OFFER_CHANGES.revision(owner_id)
