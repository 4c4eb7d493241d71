"""What a portfolio template asks of the portfolio's framework, without the view naming it."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy, ngettext

from noloc_portal.choices import display_labels
from noloc_portal.html import Words, day_text, escape
from noloc_portal.lists import RowUrl
from portfolios import hooks, registry
from portfolios.checklist import STATUS_LABELS
from portfolios.evaluation import Status
from portfolios.evaluation.common import enumeration
from portfolios.models import Portfolio

register = template.Library()


@register.filter
def portfolio_summary(portfolio) -> str:
    """The framework's one-line summary of a portfolio in the list (``""`` when it has none)."""
    framework = registry.get(portfolio.framework)
    return framework.summary(portfolio) if framework.summary is not None else ""


_PORTFOLIO_ITEM = (
    '\n  <a class="list-group-item list-group-item-action d-flex justify-content-between'
    ' align-items-center flex-wrap gap-2" href="{}">\n'
    "    <span>\n"
    '      <span class="fw-semibold d-block">{}</span>\n'
    '      <span class="small text-muted">{}{} {}</span>\n'
    "    </span>\n"
    '    <span class="badge {}">{}</span>\n'
    "  </a>\n"
)
_LIST_WORDS = Words(changed=gettext_lazy("gewijzigd"))


@register.simple_tag
def portfolio_items(portfolios) -> SafeString:
    """The owner's list of portfolios (``portfolios/list.html``), each linked with its
    framework, the framework's summary, the day it last changed and its state: what the
    template's loop wrote, with the labels looked up once per page."""
    frameworks = display_labels(Portfolio, "framework")
    states = display_labels(Portfolio, "state")
    url = RowUrl("portfolios:detail")
    changed = _LIST_WORDS()["changed"]
    items = []
    for portfolio in portfolios:
        summary = portfolio_summary(portfolio)
        items.append(
            _PORTFOLIO_ITEM.format(
                escape(url(portfolio.pk)),
                escape(frameworks.get(portfolio.framework, portfolio.framework)),
                f"{escape(summary)} · " if summary else "",
                changed,
                escape(day_text(timezone.localtime(portfolio.updated_at).date(), "j M Y")),
                "text-bg-secondary" if portfolio.state == "draft" else "text-bg-primary",
                escape(states.get(portfolio.state, portfolio.state)),
            )
        )
    return SafeString("".join(items))  # nosec B703: every value escaped


@register.simple_tag
def framework_of(portfolio):
    """The framework version (rule values) a portfolio follows: ``{% framework_of p as f %}``."""
    return registry.framework_version(portfolio.framework, version=portfolio.framework_version)


@register.filter
def and_list(values) -> str:
    """``(1, 2)`` -> ``"1 en 2"``: a framework's list of values in a sentence."""
    return enumeration([str(value) for value in values])


@register.filter
def status_label(status) -> str:
    """A rule's status in Dutch (``met`` -> "in orde"), for screen readers and badges."""
    try:
        return str(STATUS_LABELS[Status(status)])
    except ValueError:
        return str(status)


@register.simple_tag(takes_context=True)
def section_notices(context, portfolio) -> str:
    """What the apps built on the core show at the top of a section page (hooks)."""
    request = context.get("request")
    if request is None:
        return ""
    notices = hooks.overview_notices(request=request, portfolio=portfolio, place="section")
    # Each notice is a rendered template (kept as it is); anything else is escaped.
    return format_html_join("", "{}", ((notice,) for notice in notices))


class _ReuseNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> str:
        key = (_ReuseNode, self.name)
        text = context.render_context.get(key)
        if text is None:
            text = context.render_context[key] = self.nodelist.render(context)
        return text


@register.tag
def reuse(parser, token):
    """``{% reuse "name" %}…{% endreuse %}``: the content as rendered the first time in this
    page, again wherever the same name comes back (the section list, shown as the sidebar and
    as the fold-out list on phones, is rendered once)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% reuse "name" %}…{% endreuse %}')
    nodelist = parser.parse(("endreuse",))
    parser.delete_first_token()
    return _ReuseNode(bits[1][1:-1], nodelist)


_RULE_ICONS = {
    Status.MET: "bi-check-circle-fill text-success",
    Status.NOT_MET: "bi-x-circle-fill text-danger",
    Status.WARNING: "bi-exclamation-triangle-fill text-warning",
}
_RULE_ITEM = (
    '<li class="list-group-item rule-{} d-flex gap-2 align-items-start">\n'
    '  <i class="bi {}" aria-hidden="true"></i>\n'
    '  <div class="flex-grow-1">\n'
    '    <span class="visually-hidden">{}:</span>\n'
    "    <span>{}</span>\n"
    "    {}\n"
    '    <small class="d-block text-body-secondary rule-id" title="{}">{}</small>\n'
    "  </div>\n"
    "</li>\n"
)
_RULE_LINK = (
    '<a class="ms-1 text-nowrap" href="{}">{} <i class="bi bi-arrow-right" aria-hidden="true">'
    "</i></a>"
)
_RULE_WORDS = Words(
    fix=gettext_lazy("Naar dit onderdeel"),
    rule_id=gettext_lazy("Regelnummer in het toetsingskader"),
)
_STATUS_WORDS = Words(**{str(status): label for status, label in STATUS_LABELS.items()})


@register.simple_tag
def rule_item(rule, url=None, label=None) -> str:
    """One checklist row (``<li>``): the status icon, the status for screen readers, the rule in
    Dutch, a link to the section that fixes it (``url``, when the rule is not met) and the rule
    number. Built here rather than by an include per rule, and as plain strings with each value
    escaped once (``noloc_portal/html.py``): a checklist has forty rows."""
    status = str(rule.status)
    words = _RULE_WORDS()
    link = ""
    if url and status != "met" and status != "exempt":
        link = _RULE_LINK.format(escape(url), words["fix"])
    # The status for screen readers: its label, given (a checklist item's) or looked up.
    shown = str(label or status)
    shown = _STATUS_WORDS().get(shown) or escape(shown)
    # Every value went through escape(); the rest is this module's markup.
    return SafeString(  # nosec B703 B308
        _RULE_ITEM.format(
            escape(status),
            _RULE_ICONS.get(status, "bi-dash-circle text-secondary"),
            shown,
            escape(rule.message),
            link,
            words["rule_id"],
            escape(rule.id),
        )
    )


@register.simple_tag
def rule_items(rules) -> SafeString:
    """``{% for rule in rules %}{% rule_item rule %}{% endfor %}`` in one tag."""
    return SafeString("".join([rule_item(rule) for rule in rules]))  # nosec B703 B308


_SECTION_CARD = (
    '<div class="col"><div class="card h-100"><div class="card-body">\n'
    '    <div class="d-flex justify-content-between align-items-start gap-2">\n'
    '      <h2 class="h6 mb-2"><a href="{}" class="stretched-link text-decoration-none">{} · {}'
    "</a></h2>\n"
    "      {}\n"
    "    </div>\n"
    '    <div class="progress progress-thin" role="progressbar" aria-label="{}" '
    'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar {}" '
    'data-percent="{}"></div></div>'
)
_CARD_WORDS = Words(complete=gettext_lazy("in orde"))


@register.simple_tag
def section_card(progress) -> SafeString:
    """The head of a section's card on the overview (``portfolios/overview.html``): the section,
    its checks in order and a progress bar; the template closes the card after the framework's
    ``section_card_extra``. Built here as the checklist rows are: the two translations with
    their numbers per card were most of rendering the cards."""
    done = progress.done
    total = len(progress.items)
    complete = done == total
    percent = escape(localize(round(100 * done / total) if total else 100))
    if complete:
        badge = f'<span class="badge text-bg-success">{_CARD_WORDS()["complete"]}</span>'
    else:
        # As {% blocktranslate %} writes it: the translated text as it is, the values escaped.
        checks = ngettext(
            "%(done)s van %(total)s controle in orde",
            "%(done)s van %(total)s controles in orde",
            total,
        ) % {"done": escape(localize(done)), "total": escape(localize(total))}
        badge = (
            f'<span class="badge text-bg-danger text-wrap text-end flex-shrink-1">{checks}</span>'
        )
    section = progress.section
    code = escape(section.code)
    # Every value went through escape(); the rest is this module's markup.
    return SafeString(  # nosec B703 B308
        _SECTION_CARD.format(
            escape(progress.url),
            code,
            escape(section.title),
            badge,
            gettext("Voortgang %(code)s") % {"code": code},
            percent,
            "bg-success" if complete else "bg-warning",
            percent,
        )
    )


_NAV_WORDS = Words(done=gettext_lazy("in orde"), todo=gettext_lazy("nog niet in orde"))


@register.simple_tag
def section_nav_links(nav, path: str) -> SafeString:
    """The link of each section in the portfolio's section navigation (``_section_nav.html``),
    the current one marked: what its loop wrote, each value escaped once."""
    words = _NAV_WORDS()
    complete = (
        f'<i class="bi bi-check-circle-fill text-success" title="{words["done"]}"></i>'
        f'<span class="visually-hidden">{words["done"]}</span>'
    )
    incomplete = (
        f'<i class="bi bi-circle text-danger" title="{words["todo"]}"></i>'
        f'<span class="visually-hidden">{words["todo"]}</span>'
    )
    links = []
    for progress in nav:
        here = path == progress.url
        active, current = (" active", ' aria-current="page"') if here else ("", "")
        links.append(
            '\n      <a class="list-group-item list-group-item-action d-flex '
            f'justify-content-between align-items-center{active}" '
            f'href="{escape(progress.url)}"{current}>\n'
            f"        <span><strong>{escape(progress.section.code)}</strong> "
            f"{escape(progress.section.title)}</span>\n"
            f"        {complete if progress.complete else incomplete}\n      </a>\n      "
        )
    return SafeString("".join(links))  # nosec B703: every value escaped
