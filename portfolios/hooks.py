"""What the portfolio core tells the apps built on it, without knowing them (style.md §1).

An app that follows a portfolio's lifecycle (assessments opens a round on submit) registers a
callback here from its ``AppConfig.ready()``; the core calls the callbacks and names no app.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import mark_safe

_ON_SUBMITTED: list[Callable[..., None]] = []
_OWNER_NOTICES: list[Callable[..., str]] = []


def on_submitted(callback: Callable[..., None]) -> Callable[..., None]:
    """Register ``callback(*, portfolio, submission, by)``, called inside the submit transaction
    with the portfolio row locked, so what it writes commits or rolls back with the submission."""
    if callback not in _ON_SUBMITTED:
        _ON_SUBMITTED.append(callback)
    return callback


def submitted(*, portfolio, submission, by) -> None:
    for callback in _ON_SUBMITTED:
        callback(portfolio=portfolio, submission=submission, by=by)


def on_owner_notice(callback: Callable[..., str]) -> Callable[..., str]:
    """Register ``callback(*, request, portfolio) -> str``: HTML (already escaped, e.g. from
    ``render_to_string``) shown to the owner at the top of the portfolio's overview, or ``""``
    for nothing (the state of an assessment, what a supplement round asks)."""
    if callback not in _OWNER_NOTICES:
        _OWNER_NOTICES.append(callback)
    return callback


def owner_notices(*, request, portfolio) -> list[str]:
    return [
        mark_safe(html)
        for html in (callback(request=request, portfolio=portfolio) for callback in _OWNER_NOTICES)
        if html
    ]
