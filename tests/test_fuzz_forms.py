"""Every form of the portfolio, assessment and account pages posted with empty, overlong,
wrong-type and hostile values (tests/form_fuzzing.py): no 500. The pages and their objects
come from the permission matrix; each page is read as a persona it answers 200 to."""

import pytest
from django.urls import reverse

from tests.form_fuzzing import forms_on, fuzz, pages_still_answer
from tests.test_permission_matrix import world  # noqa: F401 (the matrix's objects and URLs)

pytestmark = pytest.mark.django_db

# Who reads a page for the fuzz: its owner where the owner may, else the first that may.
READERS = [
    "owner",
    "assigned_assessor",
    "certification_coordinator",
    "staff",
    "anonymous",
]
# Pages without a form of the portal's own (API, schema views, file downloads).
NO_FORMS = ("api-", "documents:", "pdf:", "healthz", "home")


def test_no_form_post_answers_500(client, world):  # noqa: F811
    people, targets = world
    forms = []
    for key, (args, allowed) in targets.items():
        name = key.split("#")[0]
        reader = next((p for p in READERS if allowed.get(p) == 200), None)
        if name.startswith(NO_FORMS) or reader is None:
            continue
        user = None if reader == "anonymous" else getattr(people, reader)
        forms += forms_on(client, reverse(name, args=args), user=user)
    assert len(forms) > 30  # the walk found the forms
    failures = fuzz(client, forms) + pages_still_answer(client, forms)
    assert not failures, "\n".join(failures[:30])
