"""The professional's start page shows a prompt when a registration runs out within a year."""

from django import template
from django.utils import timezone

from assessments.recertification_selectors import recertification_prompts

register = template.Library()


@register.simple_tag
def recertification_prompts_for(user):
    return recertification_prompts(user, as_of=timezone.localdate())
