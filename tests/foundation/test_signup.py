"""The front page for visitors, and an account of one's own: sign-up, the mailed link that
confirms the address (once, for a limited time), no answer that tells whether an address has an
account, the limits, and the way back to the page the visitor was going to."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kwaliteitskringen.models import Application
from noloc_portal.accounts.forms import SignupForm
from noloc_portal.accounts.models import Role, User
from noloc_portal.accounts.verification import EmailVerificationTokenGenerator
from noloc_portal.audit.models import SecurityEvent
from tests.factories import PASSWORD, user_with
from tests.kwaliteitskringen.factories import CircleFactory
from tests.pdf_files import MINIMAL_PDF

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kring-en-keurmerk-2026"
OFFICE = "192.0.2.10"
HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def _mail_when_each_request_commits(django_capture_on_commit_callbacks, monkeypatch):
    """The test runs in one transaction; a request's e-mails go out when the request ends, as
    they would when its changes commit."""
    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def counting_cache(settings):
    """The test settings count nothing; the limits need a real cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def signup_data(**changes):
    data = {
        "full_name": "Sanne de Vries",
        "email": "sanne@example.org",
        "membership_number": "N-12345",
        "place": "Amersfoort",
        "show_place_in_register": "on",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def sign_up(client, next_url="", address=OFFICE, **changes):
    url = reverse("accounts:signup") + (f"?next={next_url}" if next_url else "")
    return client.post(url, signup_data(**changes), REMOTE_ADDR=address)


def link_in(message) -> str:
    """The path of the confirmation link in a mail (without the site address)."""
    url = re.search(r"https?://\S+/accounts/account-aanmaken/bevestigen/\S+", message.body)
    assert url, message.body
    return re.sub(r"^https?://[^/]+", "", url.group(0))


# --- the front page --------------------------------------------------------------------------


def test_the_front_page_tells_a_visitor_what_the_portal_is_for(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Register Jobcoach",
        "Register Loopbaanprofessional",
        "Kwaliteitskringen",
        "75 PE-punten",
        "Zo verloopt certificeren",
    ):
        assert text in body
    for url in (
        reverse("accounts:signup"),
        reverse("accounts:login"),
        reverse("kwaliteitskringen:public_list"),
        reverse("portfolios:new"),
    ):
        assert f'href="{url}"' in body


def test_the_front_page_links_the_public_register(client):
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("register:search")}"' in body and "Openbaar register" in body


@pytest.mark.parametrize(
    ("role", "start_page"),
    [
        (Role.PROFESSIONAL, "portfolios:list"),
        (Role.ASSESSOR, "assessments:assigned"),
        (Role.CIRCLE_COORDINATOR, "kwaliteitskringen:mine"),
    ],
)
def test_a_logged_in_person_goes_on_from_the_front_page(client, role, start_page):
    client.force_login(user_with(role))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(start_page)


def test_the_menu_offers_sign_up_and_login_to_visitors_only(client, professional):
    body = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    assert f'href="{reverse("accounts:signup")}"' in body
    assert f'href="{reverse("accounts:login")}"' in body
    client.force_login(professional)
    body = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    assert f'href="{reverse("accounts:signup")}"' not in body


# --- sign-up and the link --------------------------------------------------------------------


def test_a_new_account_waits_for_its_link_and_the_link_opens_it_once(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="sanne@example.org")
    assert not user.is_active and not user.role_set
    assert (user.full_name, user.membership_number, user.membership_verified) == (
        "Sanne de Vries",
        "N-12345",
        False,
    )
    assert (user.place, user.show_place_in_register) == ("Amersfoort", True)
    # Until the link is opened the password does not let anyone in.
    refused = client.post(
        reverse("accounts:login"), {"username": "sanne@example.org", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated

    [message] = mail.outbox
    assert message.to == ["sanne@example.org"]
    assert message.subject == "Bevestig je e-mailadres voor het Noloc-portaal"
    assert "48 uur" in message.body
    link = link_in(message)

    response = client.get(link)
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(pk=user.pk)
    assert user.is_active and user.has_role(Role.PROFESSIONAL)
    assert client.get(reverse("home")).wsgi_request.user == user
    assert client.get(reverse("home")).url == reverse("portfolios:list")
    assert SecurityEvent.objects.filter(action="account.verified", target_id=str(user.pk)).exists()

    # Opened again while logged in: on to the start, nothing changes.
    assert client.get(link).status_code == 302
    # Opened again by someone else (or after logging out): the link is used up.
    client.post(reverse("accounts:logout"))
    response = client.get(link)
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_link_expires(client, settings, monkeypatch):
    settings.SIGNUP_VERIFICATION_TIMEOUT = timedelta(hours=2)
    sign_up(client)
    link = link_in(mail.outbox[0])
    later = datetime.now() + timedelta(hours=2, minutes=1)
    monkeypatch.setattr(EmailVerificationTokenGenerator, "_now", lambda self: later)
    response = client.get(link)
    assert "Deze link werkt niet meer" in response.content.decode()
    assert not User.objects.get(email="sanne@example.org").is_active


def test_a_link_just_within_its_time_works(client, settings, monkeypatch):
    settings.SIGNUP_VERIFICATION_TIMEOUT = timedelta(hours=2)
    sign_up(client)
    link = link_in(mail.outbox[0])
    later = datetime.now() + timedelta(hours=1, minutes=59)
    monkeypatch.setattr(EmailVerificationTokenGenerator, "_now", lambda self: later)
    assert client.get(link).status_code == 302
    assert User.objects.get(email="sanne@example.org").is_active


@pytest.mark.parametrize(
    "link",
    [
        "/accounts/account-aanmaken/bevestigen/MQ/abc-def/",
        "/accounts/account-aanmaken/bevestigen/!!/abc-def/",
        "/accounts/account-aanmaken/bevestigen/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/1-2/",
    ],
)
def test_a_made_up_link_is_refused_politely(client, link):
    response = client.get(link)
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()


def test_a_link_for_another_account_does_not_open_this_one(client):
    sign_up(client)
    sign_up(client, email="piet@example.org")
    sanne_uid = link_in(mail.outbox[0]).split("/")[4]
    piet_token = link_in(mail.outbox[1]).split("/")[5]
    response = client.get(reverse("accounts:signup_verify", args=[sanne_uid, piet_token]))
    assert "Deze link werkt niet meer" in response.content.decode()
    assert not User.objects.get(email="sanne@example.org").is_active


def test_the_link_leads_on_to_the_page_the_visitor_was_going_to(client):
    circle = CircleFactory(name="Kwaliteitskring Eemland")
    apply_url = reverse("kwaliteitskringen:apply", args=[circle.pk])

    # Anonymous: applying leads to the login page, which offers sign-up with the same next.
    response = client.get(apply_url)
    assert response.url == f"{reverse('accounts:login')}?next={apply_url}"
    login_page = client.get(response.url).content.decode()
    signup_url = f"{reverse('accounts:signup')}?next={apply_url}"
    assert f'href="{signup_url}"' in login_page
    form_page = client.get(signup_url).content.decode()
    assert f'name="next" value="{apply_url}"' in form_page

    response = sign_up(client, next_url=apply_url)
    assert response.url == f"{reverse('accounts:signup_done')}?next={apply_url.replace('/', '%2F')}"
    link = link_in(mail.outbox[0])
    assert link.endswith(f"?next={apply_url.replace('/', '%2F')}")
    response = client.get(link)
    assert response.url == apply_url

    # A fresh professional applies.
    page = client.get(apply_url)
    assert "Aanmelden bij Kwaliteitskring Eemland" in page.content.decode()

    response = client.post(
        apply_url,
        {
            "cv": SimpleUploadedFile("cv.pdf", MINIMAL_PDF, content_type="application/pdf"),
            "expectations": "Intervisie met vakgenoten uit de regio.",
        },
    )
    application = Application.objects.get(circle=circle, applicant__email="sanne@example.org")
    assert response.url == reverse("kwaliteitskringen:application", args=[application.pk])


def test_starting_a_portfolio_leads_through_sign_up_too(client):
    new = reverse("portfolios:new")
    assert client.get(new).url == f"{reverse('accounts:login')}?next={new}"
    sign_up(client, next_url=new)
    response = client.get(link_in(mail.outbox[0]))
    assert response.url == new
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    "next_url",
    ["https://elders.example/", "//elders.example/", "javascript:alert(1)", "home", "admin:index"],
)
def test_a_next_elsewhere_is_dropped(client, next_url):
    assert (
        'name="next" value=""'
        in client.get(reverse("accounts:signup"), {"next": next_url}).content.decode()
    )
    response = client.post(
        reverse("accounts:signup") + "?next=" + next_url.replace("/", "%2F"),
        signup_data(),
    )
    assert response.url == reverse("accounts:signup_done")
    link = link_in(mail.outbox[0])
    assert "next" not in link
    assert client.get(f"{link}?next={next_url}").url == reverse("home")


# --- no enumeration --------------------------------------------------------------------------


def test_a_known_address_gets_the_same_answer_and_a_mail_instead(client):
    known = user_with(Role.PROFESSIONAL, email="petra@example.org", full_name="Petra Bakker")
    for_known = sign_up(client, email="Petra@Example.org", full_name="Iemand Anders")
    for_new = sign_up(client, email="nieuw@example.org")
    assert (for_known.status_code, for_known.url) == (for_new.status_code, for_new.url)
    known.refresh_from_db()
    assert known.full_name == "Petra Bakker" and known.check_password(PASSWORD)
    assert User.objects.filter(email__iexact="petra@example.org").count() == 1

    exists = next(m for m in mail.outbox if m.to == ["petra@example.org"])
    assert exists.subject == "Je hebt al een account op het Noloc-portaal"
    reset = re.search(r"/accounts/wachtwoord/herstellen/\S+/", exists.body).group(0)
    assert "bevestigen" not in exists.body
    page = client.get(reset, follow=True)
    assert "Kies een nieuw wachtwoord" in page.content.decode()


def test_signing_up_again_before_confirming_sends_a_new_link_and_keeps_the_account(client):
    sign_up(client)
    first = User.objects.get(email="sanne@example.org")
    sign_up(client, full_name="Iemand Anders", password1="ander-wachtwoord-9", password2=None)
    sign_up(client, full_name="Iemand Anders")
    assert User.objects.get(pk=first.pk).full_name == "Sanne de Vries"
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == mail.outbox[0].subject
    assert client.get(link_in(mail.outbox[1])).status_code == 302
    assert User.objects.get(pk=first.pk).is_active


def test_an_account_closed_by_the_secretariat_is_not_opened_by_sign_up(client):
    closed = user_with(Role.PROFESSIONAL, email="gesloten@example.org", is_active=False)
    sign_up(client, email="gesloten@example.org")
    [message] = mail.outbox
    assert "secretariaat" in message.body and "bevestigen" not in message.body
    closed.refresh_from_db()
    assert not closed.is_active


def test_sending_the_link_again_answers_alike_for_every_address(client):
    sign_up(client)
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    mail.outbox.clear()
    answers = [
        client.post(reverse("accounts:signup_resend"), {"email": email})
        for email in ("sanne@example.org", "niemand@example.org", "petra@example.org")
    ]
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("accounts:signup_done"))}
    assert [m.to for m in mail.outbox] == [["sanne@example.org"], ["petra@example.org"]]
    assert "bevestigen" in mail.outbox[0].body
    assert "bevestigen" not in mail.outbox[1].body


# --- input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("N-12345", "N-12345"), ("n12345", "N-12345"), ("12345", "N-12345"), (" N 01234 ", "N-01234")],
)
def test_a_membership_number_is_stored_in_one_form(typed, stored):
    form = SignupForm(signup_data(membership_number=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["membership_number"] == stored


@pytest.mark.parametrize("typed", ["1234", "N-123456", "L-12345", "abcde", "N-12a45"])
def test_a_bad_membership_number_is_explained_next_to_the_field_and_nothing_is_lost(client, typed):
    response = sign_up(client, membership_number=typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["membership_number"]
    assert "N- met vijf cijfers, zoals N-10231" in form.errors["membership_number"][0]
    body = response.content.decode()
    assert 'id="error_1_id_membership_number"' in body  # crispy: under the field
    for value in ("Sanne de Vries", "sanne@example.org", "Amersfoort", typed.strip()):
        assert f'value="{value}"' in body
    checkbox = re.search(r'<input[^>]*name="show_place_in_register"[^>]*>', body).group(0)
    assert "checked" in checkbox
    assert not User.objects.exists() and not mail.outbox


def test_no_membership_number_is_fine():
    form = SignupForm(signup_data(membership_number=""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["membership_number"] == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "iets-anders-2026"}, "password2", "niet gelijk"),
        ({"password1": "kort", "password2": "kort"}, "password1", "te kort"),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"full_name": "  "}, "full_name", "vereist"),
        ({"place": "", "show_place_in_register": "on"}, "place", "Vul je plaats in"),
    ],
)
def test_bad_input_gets_a_dutch_message_next_to_the_field(client, changes, field, message):
    response = sign_up(client, **changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not User.objects.exists()


def test_the_page_says_name_and_register_are_public(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    assert "Wat is openbaar?" in body
    assert "openbare register" in body and "nooit openbaar" in body


# --- limits ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("counting_cache")
def test_an_address_is_mailed_at_most_three_times_an_hour(client):
    for address in (OFFICE, HOME, "192.0.2.11", "192.0.2.12"):
        response = sign_up(client, address=address)
        assert response.url == reverse("accounts:signup_done")
    client.post(reverse("accounts:signup_resend"), {"email": "sanne@example.org"}, REMOTE_ADDR=HOME)
    assert len(mail.outbox) == 3


@pytest.mark.usefixtures("counting_cache")
def test_sign_up_is_limited_per_client_address(client):
    for number in range(10):
        response = sign_up(client, email=f"persoon{number}@example.org")
        assert response.status_code == 302
    response = sign_up(client, email="persoon10@example.org")
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.content.decode()
    resend = client.post(
        reverse("accounts:signup_resend"), {"email": "persoon1@example.org"}, REMOTE_ADDR=OFFICE
    )
    assert resend.status_code == 429
    assert sign_up(client, email="persoon10@example.org", address=HOME).status_code == 302


# --- who sees the pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["accounts:signup", "accounts:signup_done", "accounts:signup_resend"]
)
@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ASSESSOR, Role.SECRETARIAT])
def test_sign_up_pages_send_a_logged_in_person_home(client, url_name, role):
    assert client.get(reverse(url_name)).status_code == 200
    client.force_login(user_with(role))
    for method in (client.get, client.post):
        response = method(reverse(url_name))
        assert response.status_code == 302 and response.url == reverse("home")


# --- the secretariat -------------------------------------------------------------------------


def test_the_secretariat_marks_membership_numbers_checked_in_the_admin(client, staff):
    member = user_with(Role.PROFESSIONAL, membership_number="N-10231", full_name="Mila Lid")
    without = user_with(Role.PROFESSIONAL, membership_number="")
    client.force_login(staff)
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist).content.decode()
    assert "lidnummer gecontroleerd" in page.lower()
    assert "membership_verified__exact" in page  # the list filter
    response = client.post(
        changelist,
        {
            "action": "mark_membership_verified",
            "_selected_action": [member.pk, without.pk],
        },
        follow=True,
    )
    body = response.content.decode()
    assert "als gecontroleerd gemarkeerd" in body and "geen lidnummer" in body
    member.refresh_from_db()
    without.refresh_from_db()
    assert member.membership_verified and not without.membership_verified
    event = SecurityEvent.objects.get(action="account.membership_verified")
    assert (event.actor, event.target_id) == (staff, str(member.pk))
    unchecked = client.get(changelist, {"membership_verified__exact": "0"}).content.decode()
    assert "Mila Lid" not in unchecked
    change = client.get(reverse("admin:accounts_user_change", args=[member.pk])).content.decode()
    for name in ("membership_verified", "place", "show_place_in_register"):
        assert f'name="{name}"' in change
