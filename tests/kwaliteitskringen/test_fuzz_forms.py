"""Every form of the quality circle pages posted with empty, overlong, wrong-type and hostile
values (tests/form_fuzzing.py): no 500, and every page still answers afterwards. The pages and
their objects come from the circle permission matrix; a page is read by its coordinator where
the coordinator may, else by a member, staff or an anonymous visitor."""

import pytest
from django.urls import reverse

from tests.form_fuzzing import forms_on, fuzz, pages_still_answer
from tests.kwaliteitskringen.test_views import _targets

pytestmark = pytest.mark.django_db

READERS = ["coordinator", "member", "staff", "anonymous"]


def test_no_form_post_answers_500(client, world):
    forms = []
    for key, (args, allowed) in _targets(world).items():
        reader = next((p for p in READERS if allowed.get(p) == 200), None)
        if reader is None:  # POST only: its form is on another page
            continue
        user = None if reader == "anonymous" else getattr(world, reader)
        forms += forms_on(
            client, reverse(f"kwaliteitskringen:{key.split('#')[0]}", args=args), user=user
        )
    assert len(forms) > 15  # the walk found the forms
    failures = fuzz(client, forms) + pages_still_answer(client, forms)
    assert not failures, "\n".join(failures[:30])
