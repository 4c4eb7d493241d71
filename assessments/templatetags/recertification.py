"""The professional's start page shows a prompt when a registration runs out within a year."""

from django import template
from django.utils import timezone

from assessments.recertification_selectors import (
    recertification_prompts,
    start_page_registrations,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def recertification_prompts_for(context, user):
    request = context.get("request")
    if request is None or request.user != user:
        return recertification_prompts(user, as_of=timezone.localdate())
    return recertification_prompts(
        user, as_of=timezone.localdate(), registrations=start_page_registrations(request)
    )
