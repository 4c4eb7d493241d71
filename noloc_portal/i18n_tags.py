"""``{% load i18n %}``: Django's i18n tags and filters, with ``{% translate %}`` of a fixed text
remembered per language (``noloc_portal.remembered_tags``). Named ``i18n`` in
``TEMPLATES["OPTIONS"]["libraries"]``."""

from django import template
from django.templatetags import i18n

from noloc_portal.remembered_tags import translate

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)
register.tag("translate", translate)
register.tag("trans", translate)
