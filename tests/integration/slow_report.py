"""A report kind for the outage tests: the assessor's dossier after a pause of
TEST_RENDER_SECONDS, long enough to kill a worker in the middle of a render, to outlast a lease
or to run into the soft time limit. A test worker imports it with `celery worker --include`."""

import os
import time

from noloc_portal.pdf.registry import Report, register_report, report_kind

SLOW_DOSSIER = "test_slow_dossier"


@register_report(SLOW_DOSSIER, can_view=lambda user, submission: False)
def build_slow_dossier(submission) -> Report:
    time.sleep(float(os.environ.get("TEST_RENDER_SECONDS", "0")))
    return report_kind("portfolio_dossier").build(submission)
