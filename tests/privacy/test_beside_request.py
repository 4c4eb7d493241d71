"""Without a broker the zip is built in a thread beside the request, as PDFs are: the request
answers at once and the page follows the download's state until the link is there."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from noloc_portal.privacy.models import DataExport
from tests.factories import Role, user_with
from tests.portfolios.factories import complete_portfolio

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(RENDER_BESIDE_REQUEST=True, CELERY_TASK_ALWAYS_EAGER=True)
def test_the_download_is_built_beside_the_request(client):
    owner = user_with(Role.PROFESSIONAL)
    complete_portfolio(owner=owner)
    client.force_login(owner)
    assert client.post(reverse("privacy:export_request")).status_code == 302
    export = DataExport.objects.get(user=owner)
    status = reverse("privacy:export_status", args=[export.key])
    deadline = time.monotonic() + 60
    while client.get(status).json()["state"] != "done":
        assert time.monotonic() < deadline, "the download was not made"
        time.sleep(0.2)
    answer = client.get(status).json()
    assert answer["url"] == reverse("privacy:export_download", args=[export.key])
    assert "zip" in answer["label"]
