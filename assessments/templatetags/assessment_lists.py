"""The rows of the assessment lists, built in Python: the certification coordinator's queue, the
assessor's own assignments and the public register. Through the template engine each row cost
more than everything else on the page (a ``{% blocktranslate %}``, a ``|date`` and a variable
lookup per cell); here the labels are translated once per page, what rows repeat (a date, a count
of days, an assessor) is formatted once per page, and each row is one ``format_safe``
(noloc_portal.html: ``format_html`` without its check for lazy strings on every value). The HTML
is the templates', byte for byte; the templates keep the list's frame."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from assessments.models import Advice, Assignment, AssignmentState
from assessments.selectors import ListedAssignment, QueueRow
from noloc_portal.choices import display_labels
from noloc_portal.html import LANGUAGE_SETTINGS, day_text, format_safe, joined
from noloc_portal.lists import RowUrl
from noloc_portal.remembering import Remembered
from portfolios.models import Portfolio, PortfolioState

register = template.Library()


def _message(message: str, *names: str) -> str:
    """A translated ``{% blocktranslate %}`` message (``"ronde %(number)s"``) as a format string
    for ``format_html`` (``"ronde {number}"``): its text stays as it is, as the tag leaves it;
    the values, localized by the caller, are escaped."""
    return message.replace("{", "{{").replace("}", "}}") % {name: f"{{{name}}}" for name in names}


def _local_day(value: datetime | date | None) -> date | None:
    """The day ``{{ value|date }}`` shows: an aware moment on its day here."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).date()
    return value


class _Days:
    """``{{ value|date:"j F Y" }}`` for the days of one page, each day formatted once."""

    def __init__(self):
        self.shown: dict[date, str] = {}

    def __call__(self, value: datetime | date | None) -> str:
        if value is None or value == "":
            return ""
        day = _local_day(value)
        text = self.shown.get(day)
        if text is None:
            text = self.shown[day] = day_text(day, "j F Y")
        return text


# --- the certification coordinator's queue (assessments/coordinator/queue.html) ---------------

_QUEUE_ROW = (
    "\n  <tr>\n"
    '    <td><a href="{}">{}</a><div class="small text-muted">{}{}</div></td>\n'
    "    <td>{}</td>\n"
    "    <td>{}</td>\n"
    "    <td>{}\n"
    "      {}</td>\n"
    "    <td>{}</td>\n"
    "  </tr>\n  "
)
_NOT_WAITING = format_html('<span class="text-muted">{}</span>', "–")
_FIRST_ASSESSOR = '{} <span class="small text-muted">({})</span>'
_NEXT_ASSESSOR = "<br>" + _FIRST_ASSESSOR


class _QueuePage:
    """The labels of one page of the queue, translated once, and the cells its rows share."""

    def __init__(self):
        self.day = _Days()
        self.assignment_states = {
            value: label.lower() for value, label in display_labels(Assignment, "state").items()
        }
        self.outcomes = {
            value: label.lower() for value, label in display_labels(Advice, "outcome").items()
        }
        self.round_of = _message(_("ronde %(number)s"), "number")
        self.declined_by = _message(_("%(name)s heeft afgezien"), "name")
        self.advice = _message(_("advies: %(outcome)s"), "outcome")
        self.deadline = _message(_("uiterlijk %(deadline)s"), "deadline")
        self.unassigned = format_html(
            '<span class="text-muted">{}</span>', _("nog niet toegewezen")
        )
        self.assign_again = _("Nieuwe assessor toewijzen")
        self.assign = _("Assessor toewijzen")
        self.decide = _("Besluit vastleggen")
        self.supplement = _("Wacht op de aanvulling van de eigenaar")
        self.decided = format_html("{}\n      ", _("Besluit genomen"))
        self.waits_on_assessors = format_html("{}", _("Wacht op de assessoren"))
        self.rounds: dict[int, SafeString] = {}
        self.waiting: dict[tuple, SafeString] = {}
        self.assessors: dict[tuple, SafeString] = {}
        self.declined: dict[int, SafeString] = {}

    def row(self, values: QueueRow) -> SafeString:
        """The ``<tr>`` of a row from what it shows, and nothing else."""
        return format_safe(
            _QUEUE_ROW,
            values.url,
            values.owner,
            values.framework_label,
            self._round(values.round_number) if values.round_number is not None else "",
            values.state_label,
            self._waiting(values.waiting_days, values.waiting_since),
            joined(
                self._assessor(assessor_id, name, state, first=n == 0)
                for n, (assessor_id, name, state) in enumerate(values.assignments)
            )
            if values.assignments
            else self.unassigned,
            joined(self._declined(assessor_id, name) for assessor_id, name in values.declined),
            self._next_step(values),
        )

    def _round(self, number: int) -> SafeString:
        text = self.rounds.get(number)
        if text is None:
            text = self.rounds[number] = format_html(" · " + self.round_of, number=localize(number))
        return text

    def _waiting(self, days: int | None, waiting_since: datetime | None) -> SafeString:
        """How long the portfolio waits, and since which day (rows of the same page often
        share both)."""
        if days is None:
            return _NOT_WAITING
        since = _local_day(waiting_since)
        text = self.waiting.get((days, since))
        if text is None:
            message = _message(ngettext("%(days)s dag", "%(days)s dagen", days), "days")
            text = self.waiting[days, since] = format_html(
                message + '<div class="small text-muted">{since}</div>',
                days=localize(days),
                since=self.day(since),
            )
        return text

    def _assessor(self, assessor_id: int, name: str, state: str, *, first: bool) -> SafeString:
        """An assessor of the round and their assignment's state; the second and further on a
        line of their own."""
        key = (assessor_id, state, first)
        text = self.assessors.get(key)
        if text is None:
            text = self.assessors[key] = format_html(
                _FIRST_ASSESSOR if first else _NEXT_ASSESSOR,
                name,
                self.assignment_states.get(state, state.lower()),
            )
        return text

    def _declined(self, assessor_id: int, name: str) -> SafeString:
        text = self.declined.get(assessor_id)
        if text is None:
            text = self.declined[assessor_id] = format_html(
                '<div class="small text-danger"><i class="bi bi-x-circle" aria-hidden="true">'
                "</i> " + self.declined_by + "</div>",
                name=name,
            )
        return text

    def _next_step(self, values: QueueRow) -> SafeString:
        """The last cell: what the coordinator does next, or who the portfolio waits on."""
        state = values.state
        if values.needs_assessor:
            return format_safe(
                '<a class="btn btn-sm btn-noloc" href="{}">{}</a>\n      ',
                values.url,
                self.assign_again if values.declined else self.assign,
            )
        if state == PortfolioState.ADVISED:
            outcome = ""
            if values.advice_outcome is not None:
                outcome = format_safe(
                    '<div class="small text-muted">' + self.advice + "</div>",
                    outcome=self.outcomes.get(values.advice_outcome, values.advice_outcome.lower()),
                )
            return format_safe(
                '<a class="btn btn-sm btn-noloc" href="{}">{}</a>{}\n      ',
                values.url,
                self.decide,
                outcome,
            )
        if state == PortfolioState.SUPPLEMENT_REQUESTED:
            deadline = ""
            if values.supplement_deadline:
                deadline = format_safe(
                    '<div class="small text-muted">' + self.deadline + "</div>",
                    deadline=self.day(values.supplement_deadline),
                )
            return format_safe("{}{}\n      ", self.supplement, deadline)
        if state == PortfolioState.DECIDED:
            return self.decided
        return self.waits_on_assessors


class _KeptRows:
    """Rows' HTML by what they show, the language, the time zone and the script prefix (the
    links a row makes from an id), kept across requests: a
    list changes a few rows a day, and writing a page of 25 rows cost a quarter of the page (the
    certification queue of 25 rows: 17.1M instructions a request, 13.1M with its rows kept).
    ``page.row(values)`` writes a row from ``values`` alone, so the values are the whole key.
    The least recently used row goes first once ``limit`` are kept (about a kilobyte a row);
    all go when a test changes the languages or the time zone."""

    def __init__(self, limit: int):
        self.html = Remembered(limit)
        _ALL_KEPT.append(self)

    def join(self, rows, values_of, make_page) -> SafeString:
        context = (get_language(), timezone.get_current_timezone_name(), get_script_prefix())
        page = None
        parts = []
        for row in rows:
            values = values_of(row)
            key = (context, values)
            html = self.html.get(key)
            if html is None:
                if page is None:
                    page = make_page()
                html = page.row(values)
                self.html.keep(key, html)
            parts.append(html)
        # Each row was made by format_safe.
        return SafeString("".join(parts))  # nosec B703


_ALL_KEPT: list[_KeptRows] = []


@receiver(setting_changed)
def _forget_rows(*, setting, **kwargs):
    if setting in LANGUAGE_SETTINGS or setting in {"TIME_ZONE", "USE_TZ", "ROOT_URLCONF"}:
        for kept in _ALL_KEPT:
            kept.html.clear()


_QUEUE_ROWS = _KeptRows(2_000)


@register.simple_tag
def queue_rows(rows) -> SafeString:
    """Every ``<tr>`` of a page of the queue (``selectors.QueueRow``: a tuple of plain values,
    whole the key of the row's HTML)."""
    return _QUEUE_ROWS.join(rows, _itself, _QueuePage)


def _itself(row):
    return row


# --- the assessor's own assignments (assessments/judge/list.html) -----------------------------

_ASSIGNED_ROW = (
    '\n  <a class="list-group-item list-group-item-action" href="{}">\n'
    '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
    "      <strong>{}</strong>\n"
    '      <span class="badge text-wrap text-start {}">{}</span>\n'
    "    </div>\n"
    '    <div class="small text-muted">{} · {} · {}</div>\n'
    '    <div class="small mt-1"><i class="bi bi-arrow-right-circle" aria-hidden="true"></i>\n'
    "      {}\n"
    "    </div>\n"
    "  </a>\n  "
)
_BADGES = {
    AssignmentState.PENDING_DECLARATION: "text-bg-warning",
    AssignmentState.JUDGING: "text-bg-primary",
}


class _AssignedPage:
    """The labels of one page of the assessor's list, translated once, and its repeated
    cells."""

    def __init__(self):
        self.day = _Days()
        self.judge_url = RowUrl("assessments:judge")
        self.assignment_url = RowUrl("assessments:assignment")
        self.states = display_labels(Assignment, "state")
        self.frameworks = display_labels(Portfolio, "framework")
        self.round_of = _message(_("ronde %(n)s"), "n")
        self.assigned_on = _message(_("toegewezen op %(day)s"), "day")
        self.judged_on = _message(
            _("Beoordeling afgerond op %(day)s. Bekijk de volgende stap."), "day"
        )
        # The next step by the assignment's state; once judged, when that was.
        self.next_steps = {
            AssignmentState.PENDING_DECLARATION: format_html(
                "{}\n      ",
                _(
                    "Volgende stap: verklaar dat je geen belangenverstrengeling hebt, of wijs de "
                    "beoordeling af."
                ),
            ),
            AssignmentState.JUDGING: format_html(
                "{}\n      ",
                _(
                    "Volgende stap: beoordeel dit portfolio per criterium en rond je "
                    "beoordeling af."
                ),
            ),
        }
        self.rounds: dict[int, SafeString] = {}

    def row(self, assignment: ListedAssignment) -> SafeString:
        state = assignment.state
        next_step = self.next_steps.get(state)
        if next_step is None:
            next_step = format_safe(self.judged_on, day=self.day(assignment.judged_at))
        # The judging page while judging, else the assignment's page.
        url = self.judge_url if state == AssignmentState.JUDGING else self.assignment_url
        return format_safe(
            _ASSIGNED_ROW,
            url(assignment.pk),
            assignment.owner,
            _BADGES.get(state, "text-bg-success"),
            self.states.get(state, state),
            self.frameworks.get(assignment.framework, assignment.framework),
            self._round(assignment.round_number),
            format_safe(self.assigned_on, day=self.day(assignment.assigned_at)),
            next_step,
        )

    def _round(self, number: int) -> SafeString:
        text = self.rounds.get(number)
        if text is None:
            text = self.rounds[number] = format_html(self.round_of, n=localize(number))
        return text


_ASSIGNED_ROWS = _KeptRows(2_000)


@register.simple_tag
def assigned_rows(rows) -> SafeString:
    """Every entry of a page of the assessor's list (``selectors.ListedAssignment``: a tuple of
    plain values, whole the key of the entry's HTML)."""
    return _ASSIGNED_ROWS.join(rows, _itself, _AssignedPage)


# --- the public register (assessments/register/search.html) -----------------------------------

_REGISTER_ROW = (
    "\n  <tr>\n"
    '    <td><a href="{}">{}</a></td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    '    <td data-label="{}">{}</td>\n'
    "  </tr>\n  "
)


@register.simple_tag
def register_rows(rows) -> SafeString:
    """Every ``<tr>`` of a page of the public register (``register_views.RegisterRow``)."""
    day = _Days()
    register_, valid_until, place = _("Register"), _("Geldig tot en met"), _("Plaats")
    return format_html_join(
        "",
        _REGISTER_ROW,
        (
            (
                row.url,
                row.entry.name,
                register_,
                row.entry.register,
                valid_until,
                day(row.entry.valid_until),
                place,
                row.entry.place or "–",
            )
            for row in rows
        ),
    )
