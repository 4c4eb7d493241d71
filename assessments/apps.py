from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Beoordelingen")

    def ready(self):
        # assessments builds on portfolios, never the other way round (style.md §1): the core
        # calls these without knowing this app.
        from assessments import (
            certificates,  # noqa: F401  (registers the certificate)
            reports,  # noqa: F401  (registers the assessment report)
        )
        from assessments.permissions import is_assigned_assessor
        from assessments.recertification_selectors import development_advice, registration_end
        from assessments.services import notify_submitted, open_round_on_submit
        from assessments.views import overview_notice
        from portfolios.hooks import (
            on_development_advice,
            on_overview_notice,
            on_registration_end,
            on_submitted,
        )
        from portfolios.permissions import register_viewer_rule

        on_submitted(open_round_on_submit)
        on_submitted(notify_submitted)
        on_overview_notice(overview_notice)
        register_viewer_rule(is_assigned_assessor)
        on_registration_end(registration_end)
        on_development_advice(development_advice)
        # JC-B category 4: the assessor's statements offered in their own Jobcoach portfolio.
        from assessments.pe_statements import pe_statement_offers
        from portfolios.hooks import on_activity_offers

        on_activity_offers(pe_statement_offers)
