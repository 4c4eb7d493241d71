"""The rows of the circle pages' lists (the members' page, the coordinator's members and meetings
tabs, the public list), built here rather than by template tags per cell: a row had a dozen
tags, translations and date filters, and rendering them was most of these pages' CPU. Each tag
writes its rows exactly as the template did (line breaks included), with the labels translated
and the dates formatted once per list."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import template
from django.utils.formats import localize, time_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kwaliteitskringen.models import Meeting, Membership
from noloc_portal.choices import display_labels
from noloc_portal.html import csrf_input, day_text, escape
from noloc_portal.lists import RowUrl

register = template.Library()


def _dates(format_string: str) -> Callable:
    """``value|date:format_string`` for the rows of one list, each day formatted once."""
    seen: dict = {}

    def formatted(value) -> str:
        text = seen.get(value)
        if text is None:
            text = seen[value] = day_text(value, format_string)
        return text

    return formatted


def _blocktranslated(message: str, **values) -> SafeString:
    """``{% blocktranslate %}``: the translated text as it is, the values escaped."""
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    # The translated text is not escaped, as blocktranslate writes it.
    return mark_safe(message % escaped)  # nosec B308 B703


def _joined(rows: Iterable[str]) -> SafeString:
    """Rows built by format_html, or from values escaped one by one (noloc_portal.html.escape),
    one after the other."""
    return mark_safe("".join(rows))  # nosec B308 B703


# --- the coordinator's meetings tab --------------------------------------------------------


@register.simple_tag
def meeting_rows(meetings, today, can_manage_meetings) -> SafeString:
    """The ``<tr>`` of each meeting of the meetings tab (``meetings`` carry their ``urls``)."""
    dmy = _dates("d-m-Y")
    forms = display_labels(Meeting, "form")
    states = display_labels(Meeting, "state")
    theme_label = escape(_("Thema en vorm"))
    host_label = escape(_("Verzorgd door"))
    state_label = escape(_("Status"))
    count_label = escape(_("Aangemeld / aanwezig"))
    joint = format_html(' · <span class="badge text-bg-info">{}</span>', _("gezamenlijk"))
    no_report = format_html(
        '<div class="small text-warning-emphasis">{}</div>', _("verslag nog niet bijgewerkt")
    )
    attendance, edit, cancel = (
        escape(_(word)) for word in ("Aanwezigheid", "Bewerken", "Annuleren")
    )
    link_html = (
        '<a class="btn btn-outline-{}" href="{}">{}<span class="visually-hidden"> {}</span></a>'
    )
    row_html = (
        "\n  <tr>\n"
        '    <td class="text-nowrap"><a href="{}">{}</a></td>\n'
        '    <td data-label="{}">{}<div class="small text-muted">{} · {}{}</div></td>\n'
        '    <td data-label="{}">{}</td>\n'
        '    <td data-label="{}">{}{}</td>\n'
        '    <td data-label="{}">{}{}</td>\n'
        "    {}\n"
        "  </tr>\n  "
    )
    # Each value escaped once with noloc_portal.html.escape, as format_html would: a page of
    # fifty meetings through format_html's checks was two fifths of the meetings tab.
    rows = []
    for m in meetings:
        day = escape(dmy(m.date))
        held = m.state == "held"
        actions = ""
        if can_manage_meetings:
            attendance_link = edit_links = ""
            if m.state != "cancelled" and m.date <= today:
                attendance_link = link_html.format(
                    "primary btn-sm", escape(m.urls["meeting_attendance"]), attendance, day
                )
            if m.state == "planned":
                edit_links = (
                    link_html.format("secondary btn-sm", escape(m.urls["meeting_edit"]), edit, day)
                    + "\n      "
                    + link_html.format(
                        "danger btn-sm", escape(m.urls["meeting_cancel"]), cancel, day
                    )
                )
            actions = (
                f'<td class="text-end flex-wrap">\n      {attendance_link}\n      {edit_links}\n'
                "    </td>"
            )
        rows.append(
            row_html.format(
                escape(m.urls["meeting"]),
                day,
                theme_label,
                escape(m.theme),
                escape(forms.get(m.form, m.form)),
                escape(m.place),
                joint if m.joint_with_id else "",
                host_label,
                escape(m.host or "–"),
                state_label,
                escape(states.get(m.state, m.state)),
                no_report if held and not m.report_updated_at else "",
                count_label,
                escape(localize(m.registered_total)),
                f" / {escape(localize(m.present_total))}" if held else "",
                actions,
            )
        )
    return _joined(rows)


@register.simple_tag
def guest_meeting_items(meetings) -> SafeString:
    """The ``<li>`` of each joint meeting of another circle on the meetings tab."""
    dmy = _dates("d-m-Y")
    states = display_labels(Meeting, "state")
    url = RowUrl("kwaliteitskringen:meeting")
    return _joined(
        format_html(
            '<li class="mb-1"><a href="{}">{} – {}</a> '
            '<span class="small text-muted">({} · {})</span></li>',
            url(m.pk),
            dmy(m.date),
            m.theme,
            m.circle.name,
            states.get(m.state, m.state),
        )
        for m in meetings
    )


@register.simple_tag
def hosting_history_items(meetings) -> SafeString:
    """The ``<li>`` of each evening hosted, on the meetings tab."""
    dmy = _dates("d-m-Y")
    return _joined(
        format_html("<li>{} · <strong>{}</strong> – {}</li>", dmy(m.date), m.host, m.theme)
        for m in meetings
    )


def _rotation_when(row, dmy, never: str) -> SafeString:
    if row["planned"]:
        return _blocktranslated(_("gepland %(d)s"), d=dmy(row["planned"]))
    if row["last"]:
        return _blocktranslated(_("laatst %(d)s"), d=dmy(row["last"]))
    return conditional_escape(never)


@register.simple_tag
def rotation_items(rows, *, members_page=False) -> SafeString:
    """The ``<li>`` of each member of the hosting rotation: on the meetings tab, or on the
    members' page (``members_page``), which words and marks it a little differently."""
    dmy = _dates("d-m-Y")
    due_label = _("aan de beurt")
    if members_page:
        never = _("nog niet")
        due = format_html(' · <strong class="text-warning-emphasis">{}</strong>', due_label)
        row_html = (
            '\n  <li class="list-group-item d-flex justify-content-between px-0">'
            "<span>{}</span>\n"
            '    <span class="text-muted">{}{}</span></li>\n'
        )
    else:
        never = _("nog nooit")
        due = format_html(' <span class="badge text-bg-warning">{}</span>', due_label)
        row_html = (
            '\n  <li class="list-group-item d-flex justify-content-between">{}\n'
            '    <span class="small">{}{}</span></li>\n'
        )
    return _joined(
        row_html.format(
            escape(row["member"]), _rotation_when(row, dmy, never), due if row["due"] else ""
        )
        for row in rows
    )


# --- the coordinator's members tab ---------------------------------------------------------


@register.simple_tag
def membership_rows(memberships, circle, can_manage) -> SafeString:
    """The ``<tr>`` of each membership of the members tab (``renewed_next``, ``remove_url``)."""
    states = display_labels(Membership, "state")
    badge = '<span class="badge text-bg-light border">{}</span>'
    officers = {}
    # Of one person with two roles the template named the first: coordinator, secretary.
    for officer_id, label in (
        (circle.treasurer_id, _("penningmeester")),
        (circle.secretary_id, _("secretaris")),
        (circle.coordinator_id, _("coördinator")),
    ):
        if officer_id is not None:
            officers[officer_id] = format_html(" " + badge, label)
    muted = format_html(' class="{}"', "text-muted")
    renewed = format_html(
        '<i class="bi bi-check-lg text-success" aria-hidden="true"></i>'
        '<span class="visually-hidden">{}</span>',
        _("ja"),
    )
    remove = escape(_("Deelname beëindigen"))
    link_html = (
        '<a class="btn btn-outline-danger btn-sm" href="{}">{}'
        '<span class="visually-hidden"> {}</span></a>'
    )
    row_html = (
        "\n  <tr{}>\n"
        '    <td>{}{}<div class="small text-muted">{}</div></td>\n'
        "    <td>{}{}</td>\n"
        "    <td>{}</td>\n"
        "    {}\n"
        "  </tr>\n  "
    )
    # Each value escaped once with noloc_portal.html.escape, as format_html would: fifty rows
    # of eight values through format_html's checks were a fifth of the members tab.
    rows = []
    for m in memberships:
        current = m.is_current
        member = escape(m.member)
        actions = ""
        if can_manage:
            link = link_html.format(escape(m.remove_url), remove, member) if current else ""
            actions = f'<td class="text-end">{link}</td>'
        rows.append(
            row_html.format(
                "" if current else muted,
                member,
                officers.get(m.member_id, ""),
                escape(m.member.email),
                escape(states.get(m.state, m.state)),
                f'<div class="small">{escape(m.end_reason)}</div>' if m.end_reason else "",
                renewed if m.renewed_next else "–",
                actions,
            )
        )
    return _joined(rows)


@register.simple_tag
def contribution_items(contributions) -> SafeString:
    """The ``<li>`` of each active contribution of the year, on the members tab."""
    dmy = _dates("d-m-Y")
    return _joined(
        format_html(
            "<li>{} · <strong>{}</strong>: {}</li>", dmy(c.date), c.participant, c.description
        )
        for c in contributions
    )


# --- the coordinator's signals tab ---------------------------------------------------------


@register.simple_tag(takes_context=True)
def signal_cards(context, signal_rows, meeting_create_url, failed_key) -> SafeString:
    """The card of each open signal, with its links and its form to set it aside
    (``signal_rows``: ``(signal, remove_url)``; ``failed_key``: the signal whose note was
    missing)."""
    csrf = csrf_input(context.get("csrf_token"))
    absent_on = escape(_("Afwezig op"))
    plan = '<a class="btn btn-outline-primary btn-sm" href="{}">{}</a>'.format(
        escape(meeting_create_url), escape(_("Bijeenkomst plannen"))
    )
    remove = escape(_("Deelname beëindigen"))
    remove_html = '<a class="btn btn-outline-danger btn-sm" href="{}">{}</a>'
    note = escape(_("Toelichting"))
    missing = escape(_("Schrijf kort op waarom je dit signaal afhandelt."))
    set_aside = escape(_("Afhandelen"))
    card_html = (
        '\n<article class="card mb-2 rule-warning"><div class="card-body">\n'
        '  <p class="mb-1 fw-semibold">{message}</p>\n'
        "  {details}\n"
        '  <div class="d-flex flex-wrap gap-2 align-items-end">\n'
        "    {plan}\n"
        "    {remove}\n"
        '    <form method="post" class="d-flex flex-wrap gap-2 align-items-end" novalidate>'
        "{csrf}\n"
        '      <input type="hidden" name="key" value="{key}">\n'
        "      <div>\n"
        '        <label class="form-label small mb-0" for="note-{n}">{note}</label>\n'
        '        <input class="form-control form-control-sm{invalid}" id="note-{n}" name="note"'
        ' maxlength="1000" {described}>\n'
        "        {error}\n"
        "      </div>\n"
        '      <button class="btn btn-outline-secondary btn-sm" type="submit">'
        "{set_aside}</button>\n"
        "    </form>\n"
        "  </div>\n"
        "</div></article>\n"
    )
    cards = []
    for n, (signal, remove_url) in enumerate(signal_rows, start=1):
        details = signal.details
        failed = failed_key == signal.key
        cards.append(
            card_html.format(
                message=escape(signal.message),
                details=(
                    '<p class="small text-muted mb-2">{}: {}</p>'.format(
                        absent_on, ", ".join(escape(day) for day in details)
                    )
                    if details
                    else ""
                ),
                plan=plan if signal.kind in ("hosting", "meetings") else "",
                remove=(remove_html.format(escape(remove_url), remove) if remove_url else ""),
                csrf=csrf,
                key=escape(signal.key),
                n=n,
                note=note,
                invalid=" is-invalid" if failed else "",
                described=f'aria-describedby="note-error-{n}"' if failed else "",
                error=(
                    f'<div class="invalid-feedback" id="note-error-{n}">{missing}</div>'
                    if failed
                    else ""
                ),
                set_aside=set_aside,
            )
        )
    return _joined(cards)


# --- the members' page of a circle ---------------------------------------------------------


@register.simple_tag(takes_context=True)
def upcoming_meeting_cards(context, meetings, circle, registered) -> SafeString:
    """The card of each coming meeting, with its form to register or unregister (``meetings``
    carry their ``url`` and ``host_name``, as from ``selectors.recent_meetings``; ``registered``:
    the ids of the meetings the visitor signed up for)."""
    long_date = _dates("l j F Y")
    day_month = _dates("j F")
    forms = display_labels(Meeting, "form")
    csrf = csrf_input(context.get("csrf_token"))
    joint = format_html(
        ' · <span class="badge text-bg-info">{}</span>', _("gezamenlijk met een andere kring")
    )
    unregister = format_html(
        '<input type="hidden" name="action" value="unregister">'
        '<span class="badge text-bg-success me-1">{}</span>'
        '<button class="btn btn-link btn-sm" type="submit">{}</button>',
        _("Aangemeld"),
        _("Afmelden"),
    )
    register_label = _("Aanmelden")
    rows = []
    for meeting in meetings:
        if meeting.circle_id != circle.pk:
            together = format_html(
                ' · <span class="badge text-bg-info">{}</span>',
                _blocktranslated(_("samen met %(c)s"), c=meeting.circle.name),
            )
        else:
            together = joint if meeting.joint_with_id else ""
        if meeting.pk in registered:
            action = unregister
        else:
            action = format_html(
                '<input type="hidden" name="action" value="register">'
                '<button class="btn btn-noloc btn-sm" type="submit">{}'
                '<span class="visually-hidden"> {}</span></button>',
                register_label,
                day_month(meeting.date),
            )
        rows.append(
            format_html(
                '\n<article class="card mb-2"><div class="card-body py-2">\n'
                '  <div class="d-flex flex-wrap justify-content-between gap-2 '
                'align-items-center">\n'
                "    <div>\n"
                '      <h3 class="h6 mb-0"><a href="{}">{}{}</a></h3>\n'
                '      <div class="small text-muted">{} · {} · {}{}{}</div>\n'
                "    </div>\n"
                '    <form method="post" action="{}">{}\n'
                "      \n"
                "      {}\n"
                "      \n"
                "    </form>\n"
                "  </div>\n"
                "</div></article>\n",
                meeting.url,
                long_date(meeting.date),
                format_html(", {}", time_format(meeting.start_time, "H:i"))
                if meeting.start_time
                else "",
                meeting.theme,
                forms.get(meeting.form, meeting.form),
                meeting.place,
                format_html(
                    " · {}", _blocktranslated(_("verzorgd door %(h)s"), h=meeting.host_name)
                )
                if meeting.host_name
                else "",
                together,
                meeting.url,
                csrf,
                action,
            )
        )
    return _joined(rows)


@register.simple_tag
def past_meeting_items(meetings) -> SafeString:
    """The ``<li>`` of each earlier meeting on the members' page (``meetings`` carry their
    ``url``)."""
    dmy = _dates("d-m-Y")
    forms = display_labels(Meeting, "form")
    cancelled = format_html(", {}", _("geannuleerd"))
    row_html = (
        '\n  <li class="mb-1"><a href="{}">{} – {}</a> '
        '<span class="small text-muted">({}{})</span></li>\n'
    )
    return _joined(
        row_html.format(
            escape(meeting.url),
            escape(dmy(meeting.date)),
            escape(meeting.theme),
            escape(forms.get(meeting.form, meeting.form)),
            cancelled if meeting.state == "cancelled" else "",
        )
        for meeting in meetings
    )


@register.simple_tag
def attended_rows(meetings, show_circle=False) -> SafeString:
    """The ``<tr>`` of each meeting attended (``show_circle``: with the circle's name)."""
    dmy = _dates("d-m-Y")
    forms = display_labels(Meeting, "form")
    row_html = "\n  <tr><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>\n  "
    return _joined(
        row_html.format(
            escape(dmy(meeting.date)),
            f"<td>{escape(meeting.circle)}</td>" if show_circle else "",
            escape(forms.get(meeting.form, meeting.form)),
            escape(meeting.theme),
            escape(meeting.facilitator or "–"),
        )
        for meeting in meetings
    )


# --- the public list of circles --------------------------------------------------------------

_BADGES = (
    ("open", "success", "Neemt aanmeldingen aan", "\n            "),
    ("waiting_list", "warning", "Aanmelden via wachtlijst", "\n            "),
)


@register.simple_tag
def public_circle_cards(circles, year) -> SafeString:
    """The card of each circle of one region of the public list (``circles`` carry the
    visitor's ``relation``, ``my_application`` and ``managed``, and their
    ``published_reports``)."""
    badges = {
        status: f'<span class="badge text-bg-{colour}">{escape(_(label))}</span>{tail}'
        for status, colour, label, tail in _BADGES
    }
    full = f'<span class="badge text-bg-secondary">{escape(_("Vol"))}</span>'
    year_text = localize(year)
    reports_label = escape(_("Jaarverslagen:"))
    report_url = RowUrl("kwaliteitskringen:annual_report")
    circle_url = RowUrl("kwaliteitskringen:circle")
    application_url = RowUrl("kwaliteitskringen:application")
    apply_url = RowUrl("kwaliteitskringen:apply")
    manage_url = RowUrl("kwaliteitskringen:manage_members")
    mine, my_application, apply, apply_at, manage = (
        escape(_(word)) for word in ("Mijn kring", "Mijn aanmelding", "Aanmelden", "bij", "Beheren")
    )
    cards = []
    for circle in circles:
        name = escape(circle.name)
        description = (
            f'<p class="card-text small mb-2">{escape(circle.description)}</p>'
            if circle.description
            else ""
        )
        meetings = _blocktranslated(
            ngettext(
                "%(n)s bijeenkomst in %(year)s",
                "%(n)s bijeenkomsten in %(year)s",
                circle.meeting_total,
            ),
            n=localize(circle.meeting_total),
            year=year_text,
        )
        coordinator = _blocktranslated(_("coördinator: %(c)s"), c=circle.coordinator)
        reports = ""
        if circle.published_reports:
            links = ", ".join(
                f'<a href="{report_url(report.pk)}">{escape(localize(report.year))}</a>'
                for report in circle.published_reports
            )
            reports = (
                f'\n          <p class="small mb-2">{reports_label}\n            {links}\n'
                "          </p>\n          "
            )
        if circle.relation == "member":
            action = (
                f'\n              <a class="btn btn-noloc btn-sm" href="{circle_url(circle.pk)}">'
                f"{mine}</a>\n            "
            )
        elif circle.my_application:
            application = circle.my_application
            action = (
                '\n              <a class="btn btn-outline-primary btn-sm" '
                f'href="{application_url(application.pk)}">{my_application}: '
                f"{escape(application.get_state_display().lower())}</a>\n            "
            )
        elif circle.takes_applicants:
            action = (
                '\n              <a class="btn btn-outline-primary btn-sm" '
                f'href="{apply_url(circle.pk)}">{apply}<span class="visually-hidden"> '
                f"{apply_at} {name}</span></a>\n            "
            )
        else:
            action = ""
        managing = (
            '\n              <a class="btn btn-outline-secondary btn-sm" '
            f'href="{manage_url(circle.pk)}">{manage}</a>\n            '
            if circle.managed
            else ""
        )
        cards.append(
            '\n    <div class="col">\n      <article class="card h-100">\n'
            '        <div class="card-body">\n'
            '          <div class="d-flex justify-content-between align-items-start gap-2">\n'
            f'            <h3 class="h6 card-title mb-1">{name}</h3>\n'
            f"            {badges.get(circle.status, full)}\n          </div>\n"
            f"          {description}\n"
            '          <p class="card-text small text-muted mb-2">\n'
            f"            {meetings}\n            · {coordinator}\n          </p>\n"
            f"          {reports}\n"
            '          <div class="d-flex flex-wrap gap-2">\n'
            f"            {action}\n            {managing}\n          </div>\n"
            "        </div>\n      </article>\n    </div>\n    "
        )
    return _joined(cards)
