"""What the portfolio core tells the apps built on it, without knowing them (style.md §1).

An app that follows a portfolio's lifecycle (assessments opens a round on submit) registers a
callback here from its ``AppConfig.ready()``; the core calls the callbacks and names no app.
"""

from __future__ import annotations

from collections.abc import Callable

_ON_SUBMITTED: list[Callable[..., None]] = []


def on_submitted(callback: Callable[..., None]) -> Callable[..., None]:
    """Register ``callback(*, portfolio, submission, by)``, called inside the submit transaction
    with the portfolio row locked, so what it writes commits or rolls back with the submission."""
    if callback not in _ON_SUBMITTED:
        _ON_SUBMITTED.append(callback)
    return callback


def submitted(*, portfolio, submission, by) -> None:
    for callback in _ON_SUBMITTED:
        callback(portfolio=portfolio, submission=submission, by=by)
