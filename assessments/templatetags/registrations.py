"""The professional's own registrations for ``assessments/_my_registrations.html``, which their
start page includes with one line (the portfolio core does not know this app)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from assessments.register_selectors import OwnRegistration, own_registrations

register = template.Library()


@register.simple_tag(takes_context=True)
def my_registrations(context) -> list[OwnRegistration]:
    user = context["request"].user
    if not user.is_authenticated:
        return []
    return own_registrations(user, as_of=timezone.localdate())
