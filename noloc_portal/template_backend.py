"""Django's template backend (``TEMPLATES["BACKEND"]``), with one warning of its checks passed
over: the one about the portal's own ``i18n`` library (``noloc_portal.i18n_tags``), which stands
in for Django's on purpose. Two other libraries of one name are still reported."""

from django.template.backends import django

MEANT = (
    "'i18n' is used for multiple template tag modules: "
    "'django.templatetags.i18n', 'noloc_portal.i18n_tags'"
)


class DjangoTemplates(django.DjangoTemplates):
    def _check_for_template_tags_with_the_same_name(self):
        found = super()._check_for_template_tags_with_the_same_name()
        return [warning for warning in found if warning.msg != MEANT]
