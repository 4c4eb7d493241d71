"""The professional's own registrations for ``assessments/_my_registrations.html``, which their
start page includes with one line (the portfolio core does not know this app)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from assessments.recertification_selectors import start_page_registrations
from assessments.register_selectors import OwnRegistration, own_registrations

register = template.Library()


@register.simple_tag(takes_context=True)
def my_registrations(context) -> list[OwnRegistration]:
    request = context["request"]
    if not request.user.is_authenticated:
        return []
    return own_registrations(
        request.user,
        as_of=timezone.localdate(),
        registrations=start_page_registrations(request),
    )
