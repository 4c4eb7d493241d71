"""Register Loopbaanprofessional writes: starting a portfolio and its cases (LP-C)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from portfolios.loopbaan.framework import LOOPBAAN, loopbaan_framework
from portfolios.loopbaan.models import Case, CaseTask, CaseText, CaseTextKind, LoopbaanDetails
from portfolios.models import Portfolio
from portfolios.registry import framework_version
from portfolios.services import TransitionError, ensure_editable, record, today


def start_loopbaan_portfolio(*, owner) -> Portfolio:
    """A new Loopbaanprofessional draft under the framework version in force today."""
    version = framework_version(LOOPBAAN, on=today())
    with transaction.atomic():
        portfolio = Portfolio.objects.create(
            owner=owner, framework=LOOPBAAN, framework_version=version.version
        )
        LoopbaanDetails.objects.create(portfolio=portfolio)
        record(portfolio=portfolio, by=owner, action="created", version=version.version)
    return portfolio


# --- Loopbaanprofessional cases (LP-C) ---------------------------------------------------------


def add_case(*, portfolio: Portfolio, by) -> Case:
    """A new, empty case; LP-C asks for exactly two, so a third is refused."""
    ensure_editable(portfolio, by=by)
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.framework != LOOPBAAN:
            raise TransitionError(_("Alleen een portfolio Loopbaanprofessional heeft casussen."))
        count = locked.cases.count()
        limit = loopbaan_framework(version=locked.framework_version).case_count
        if count >= limit:
            raise TransitionError(
                _("Je portfolio heeft al %(count)s casussen; meer zijn er niet nodig.")
                % {"count": limit}
            )
        case = Case.objects.create(portfolio=locked, number=count + 1)
        record(portfolio=locked, by=by, action="case_added", case=case.number)
    return case


def remove_case(*, case: Case, by) -> None:
    """Delete a case with its texts; the case after it moves up, so numbers stay 1 and 2."""
    ensure_editable(case.portfolio, by=by)
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=case.portfolio_id)
        deleted, _rows = Case.objects.filter(pk=case.pk, portfolio=locked).delete()
        if not deleted:
            return
        for number, later in enumerate(locked.cases.order_by("number"), start=1):
            if later.number != number:
                later.number = number
                later.save(update_fields=["number"])
        record(portfolio=locked, by=by, action="case_removed", case=case.number)


def update_case(
    *,
    case: Case,
    by,
    title: str,
    started: date | None,
    ended: date | None,
    rationale: str,
    tasks: dict[int, tuple[bool, str]],
    texts: dict[tuple[str, str], str],
) -> Case:
    """Save a case as typed. ``tasks`` maps a task number to ``(not_relevant, text)``; a task
    left out (or with a blank text) is removed. ``texts`` maps ``(kind, key)`` to a text; a blank
    one is removed, so the matrix shows the field as missing, never as "described"."""
    ensure_editable(case.portfolio, by=by)
    framework = loopbaan_framework(version=case.portfolio.framework_version)
    known_tasks = {task.number for task in framework.tasks}
    known = {
        CaseTextKind.KNOWLEDGE_AREA: {area.key for area in framework.knowledge_areas},
        CaseTextKind.COMPETENCE: {c.key for c in framework.competences},
        CaseTextKind.ATTITUDE: {a.key for a in framework.attitudes},
    }
    for number in tasks:
        if number not in known_tasks:
            raise TransitionError(_("Onbekende taak %(number)s.") % {"number": number})
    for kind, key in texts:
        if key not in known.get(kind, ()):
            raise TransitionError(_("Onbekend onderdeel %(key)s.") % {"key": key})
    if started and ended and ended < started:
        raise TransitionError(_("De einddatum ligt voor de begindatum."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.title = title
        locked.started = started
        locked.ended = ended
        locked.rationale = rationale
        locked.save()
        locked.tasks.all().delete()
        CaseTask.objects.bulk_create(
            CaseTask(case=locked, number=number, not_relevant=not_relevant, text=text)
            for number, (not_relevant, text) in sorted(tasks.items())
            if text.strip()
        )
        locked.texts.all().delete()
        CaseText.objects.bulk_create(
            CaseText(case=locked, kind=kind, key=key, text=text)
            for (kind, key), text in texts.items()
            if text.strip()
        )
    return locked
