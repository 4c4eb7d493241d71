import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, Role, user_with

pytestmark = pytest.mark.django_db


def test_login_page_is_dutch(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="nl"' in body
    assert "Inloggen" in body and "Wachtwoord vergeten?" in body
    assert 'for="id_username"' in body  # every field has a label


def test_login_with_email_case_insensitive_and_logout(client):
    user = user_with(Role.PROFESSIONAL, email="petra@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "Petra@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_wrong_password_shows_a_dutch_error_and_keeps_the_address(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "petra@example.org", "password": "fout"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Voer een juiste" in body  # Django's Dutch message for wrong credentials
    assert 'value="petra@example.org"' in body


@pytest.mark.parametrize(
    ("role", "start_page"),
    [
        (Role.PROFESSIONAL, "portfolios:list"),
        (Role.ASSESSOR, "assessments:assigned"),
        (Role.CERTIFICATION_COORDINATOR, "assessments:certification"),
        (Role.CIRCLE_COORDINATOR, "kwaliteitskringen:mine"),
    ],
)
def test_each_role_lands_on_its_start_page(client, role, start_page):
    client.force_login(user_with(role))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(start_page)
    assert client.get(response.url).status_code == 200


def test_staff_without_portal_role_lands_in_the_admin(client):
    client.force_login(user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True))
    response = client.get(reverse("home"))
    assert response.url == reverse("admin:index")
    assert "Beheer" in client.get(response.url).content.decode()


def test_person_with_several_roles_chooses_between_tiles(client):
    client.force_login(user_with(Role.PROFESSIONAL, Role.ASSESSOR))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn portfolio&#x27;s" in body and "Toegewezen beoordelingen" in body


def test_person_without_role_is_told_whom_to_ask(client):
    client.force_login(user_with())
    assert "secretariaat" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "portfolios:list",
        "assessments:assigned",
        "assessments:certification",
        "kwaliteitskringen:mine",
        "accounts:password_change",
    ],
)
def test_pages_that_need_a_login_send_anonymous_visitors_to_it(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.PROFESSIONAL, "assessments:assigned"),
        (Role.PROFESSIONAL, "assessments:certification"),
        (Role.ASSESSOR, "assessments:certification"),
    ],
)
def test_start_pages_of_other_roles_are_not_found(client, role, url_name):
    client.force_login(user_with(role))
    assert client.get(reverse(url_name)).status_code == 404


def test_password_reset_sends_a_dutch_mail(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "petra@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "nieuw wachtwoord" in mail.outbox[0].body.lower()
    assert "/accounts/wachtwoord/herstellen/" in mail.outbox[0].body


def test_password_change(client):
    user = user_with(Role.PROFESSIONAL)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Z0mer-Avond-77",
            "new_password2": "Z0mer-Avond-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Z0mer-Avond-77")


def test_admin_lists_users_with_roles_in_dutch(client, staff):
    user_with(Role.ASSESSOR, full_name="Anke Visser")
    client.force_login(staff)
    response = client.get(reverse("admin:accounts_user_changelist") + "?q=Anke")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anke Visser" in body and "Assessor" in body
    assert "gebruikers" in body.lower()
