"""The secretariat handles removal requests in the admin: the page says what is kept and why,
and the actions call the services."""

import pytest
from django.core import mail
from django.urls import reverse

from noloc_portal.privacy.models import AccountRemovalRequest, DataExport, RemovalState
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory
from tests.privacy.people import make_people

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:privacy_accountremovalrequest_changelist")


def _act(client, removal, action, **data):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [removal.pk], "apply": "1", **data},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_change_page_explains_what_is_kept_before_the_secretariat_confirms(client, staff):
    people = make_people()
    removal = AccountRemovalRequest.objects.create(user=people.professional, reason="Klaar.")
    client.force_login(staff)
    response = client.get(reverse("admin:privacy_accountremovalrequest_change", args=[removal.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Blijft bewaard" in page and "Wordt gewist" in page
    assert "registraties: 1" in page
    assert "Naam en lidnummer blijven" in page
    assert "Verwijdering uitvoeren" in page and "Verzoek afwijzen" in page
    # Nothing on it can be edited.
    assert 'name="reason"' not in page and 'name="state"' not in page
    # The action first shows the same explanation and asks to confirm.
    response = client.post(CHANGELIST, {"action": "carry_out", "_selected_action": [removal.pk]})
    assert response.status_code == 200
    assert "Definitief verwijderen" in response.content.decode()
    people.professional.refresh_from_db()
    assert people.professional.is_active


def test_carrying_out_in_the_admin(client, staff, django_capture_on_commit_callbacks):
    people = make_people()
    removal = AccountRemovalRequest.objects.create(user=people.member)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, removal, "carry_out", note="Op verzoek.")
    assert any("uitgevoerd" in message for message in _messages(response))
    removal.refresh_from_db()
    assert (removal.state, removal.handled_by) == (RemovalState.DONE, staff)
    people.member.refresh_from_db()
    assert not people.member.is_active
    assert "Op verzoek." in mail.outbox[-1].body
    # Handled: the page no longer offers the actions.
    page = client.get(
        reverse("admin:privacy_accountremovalrequest_change", args=[removal.pk])
    ).content.decode()
    assert "Definitief verwijderen" not in page and "Wordt gewist" not in page


def test_a_blocked_removal_says_why_and_changes_nothing(client, staff):
    coordinator = CircleFactory(name="Kring Amersfoort").coordinator
    removal = AccountRemovalRequest.objects.create(user=coordinator)
    client.force_login(staff)
    response = _act(client, removal, "carry_out")
    assert any("Kring Amersfoort" in message for message in _messages(response))
    removal.refresh_from_db()
    assert removal.is_open


def test_declining_in_the_admin_needs_a_note(client, staff, django_capture_on_commit_callbacks):
    person = user_with(Role.PROFESSIONAL)
    removal = AccountRemovalRequest.objects.create(user=person)
    client.force_login(staff)
    response = _act(client, removal, "decline", note="")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    removal.refresh_from_db()
    assert removal.is_open
    with django_capture_on_commit_callbacks(execute=True):
        _act(client, removal, "decline", note="Eerst je lopende dossier afronden.")
    removal.refresh_from_db()
    assert removal.state == RemovalState.DECLINED
    assert removal.note == "Eerst je lopende dossier afronden."
    assert "Eerst je lopende dossier afronden." in mail.outbox[-1].body


def test_the_lists_search_and_filter(client, staff):
    person = user_with(Role.PROFESSIONAL, full_name="Zoekbare Zeeuw")
    AccountRemovalRequest.objects.create(user=person)
    DataExport.objects.create(user=person)
    client.force_login(staff)
    response = client.get(CHANGELIST, {"q": "Zeeuw", "state__exact": "requested"})
    assert "Zoekbare Zeeuw" in response.content.decode()
    response = client.get(CHANGELIST, {"q": "niemand"})
    assert "Zoekbare Zeeuw" not in response.content.decode()
    response = client.get(reverse("admin:privacy_dataexport_changelist"), {"q": "Zeeuw"})
    assert response.status_code == 200 and "Zoekbare Zeeuw" in response.content.decode()
