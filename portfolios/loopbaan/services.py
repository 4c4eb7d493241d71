"""Register Loopbaanprofessional writes: starting a portfolio, its sections (LP-A, LP-B, LP-D,
LP-E), courses (LP-A) and cases (LP-C). Each change runs in
:func:`portfolios.services.locked_for_edit`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolios.loopbaan.framework import LOOPBAAN, loopbaan_framework
from portfolios.loopbaan.models import (
    Case,
    CaseTask,
    CaseText,
    CaseTextKind,
    Course,
    LoopbaanDetails,
)
from portfolios.models import Portfolio
from portfolios.registry import framework_version
from portfolios.services import (
    EvidenceRows,
    TransitionError,
    locked_for_edit,
    record,
    set_fields,
    today,
)


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


# --- Sections on the LP details row (LP-A, LP-B, LP-C diversity, LP-D, LP-E) -------------------

DETAIL_FIELDS = tuple(
    field.name
    for field in LoopbaanDetails._meta.concrete_fields
    if field.name not in ("id", "portfolio")
)


def update_details(
    *,
    portfolio: Portfolio,
    by,
    section: str,
    values: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile | None] | None = None,
    cv: UploadedFile | None = None,
) -> LoopbaanDetails:
    """Save one section of the LP details row as typed: ``values`` by field name, ``uploads``
    by document field, and the cv (LP-B2, kept on the portfolio row). An empty upload keeps the
    stored document. ``section`` is the checklist Section.key of what changes (a supplement
    round only lets a reopened one through). Raises a Dutch ValidationError for a refused file."""
    files = {name: upload for name, upload in (uploads or {}).items() if upload}
    with locked_for_edit(portfolio, by=by, section=section) as edit:
        details, _created = LoopbaanDetails.objects.get_or_create(portfolio=edit.portfolio)
        fields = set_fields(details, values, DETAIL_FIELDS)
        for name, upload in files.items():
            fields += set_fields(details, {name: edit.store(upload)}, DETAIL_FIELDS)
        details.save(update_fields=fields)
        if cv:
            edit.portfolio.cv = edit.store(cv)
            edit.portfolio.save(update_fields=["cv", "updated_at"])
            fields.append("cv")
        edit.record("section_saved", section=section, fields=sorted(fields))
    return details


def update_declarations(
    *, portfolio: Portfolio, by, code_of_conduct: bool, complaints_regulation: bool, truthful: bool
) -> None:
    """LP-E: the code of conduct and the complaints regulation (on the portfolio row, as for
    every framework) and the declaration that the portfolio is truthful."""
    with locked_for_edit(portfolio, by=by, section="declaration") as edit:
        edit.portfolio.declares_code_of_conduct = code_of_conduct
        edit.portfolio.declares_complaints_regulation = complaints_regulation
        edit.portfolio.save(
            update_fields=[
                "declares_code_of_conduct",
                "declares_complaints_regulation",
                "updated_at",
            ]
        )
        details, _created = LoopbaanDetails.objects.get_or_create(portfolio=edit.portfolio)
        details.declares_truthful = truthful
        details.save(update_fields=["declares_truthful"])
        edit.record(
            "section_saved",
            section="declaration",
            fields=[
                "declares_code_of_conduct",
                "declares_complaints_regulation",
                "declares_truthful",
            ],
        )


# --- LP-A courses --------------------------------------------------------------------------------

COURSE_FIELDS = ("title", "hours", "quality_mark", "signed")


COURSES = EvidenceRows(
    model=Course,
    related_name="courses",
    fields=COURSE_FIELDS,
    file_field="certificate",
    name="course",
    section="education",
    gone=gettext_lazy("Deze cursus staat niet meer in je portfolio."),
)


def add_course(*, portfolio: Portfolio, by, values, certificate=None) -> Course:
    return COURSES.add(portfolio=portfolio, by=by, values=values, upload=certificate)


def update_course(*, portfolio: Portfolio, by, course_id: int, values, certificate=None) -> Course:
    return COURSES.update(
        portfolio=portfolio, by=by, row_id=course_id, values=values, upload=certificate
    )


def remove_course(*, portfolio: Portfolio, by, course_id: int) -> bool:
    """Delete a course; False when it was already gone."""
    return COURSES.remove(portfolio=portfolio, by=by, row_id=course_id)


# --- Loopbaanprofessional cases (LP-C) ---------------------------------------------------------

CASES = "cases"  # the checklist Section.key of the cases (and the diversity explanation)


def add_case(*, portfolio: Portfolio, by) -> Case:
    """A new, empty case; LP-C asks for exactly two, so a third is refused."""
    with locked_for_edit(portfolio, by=by, section=CASES) as edit:
        locked = edit.portfolio
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
        edit.record("case_added", case=case.number)
    return case


def remove_case(*, case: Case, by) -> None:
    """Delete a case with its texts; the case after it moves up, so numbers stay 1 and 2."""
    with locked_for_edit(case.portfolio, by=by, section=CASES) as edit:
        locked = edit.portfolio
        deleted, _rows = Case.objects.filter(pk=case.pk, portfolio=locked).delete()
        if not deleted:
            return
        for number, later in enumerate(locked.cases.order_by("number"), start=1):
            if later.number != number:
                later.number = number
                later.save(update_fields=["number"])
        edit.record("case_removed", case=case.number)


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
    with locked_for_edit(case.portfolio, by=by, section=CASES) as edit:
        locked = edit.portfolio.cases.filter(pk=case.pk).first()
        if locked is None:
            raise TransitionError(_("Deze casus staat niet meer in je portfolio."))
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
        edit.record("case_changed", case=locked.number)
    return locked
