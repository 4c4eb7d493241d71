"""What a portfolio template asks of the portfolio's framework, without the view naming it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join

from portfolios import hooks, registry
from portfolios.checklist import STATUS_LABELS
from portfolios.evaluation import Status
from portfolios.evaluation.common import enumeration

register = template.Library()


@register.filter
def portfolio_summary(portfolio) -> str:
    """The framework's one-line summary of a portfolio in the list (``""`` when it has none)."""
    framework = registry.get(portfolio.framework)
    return framework.summary(portfolio) if framework.summary is not None else ""


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
