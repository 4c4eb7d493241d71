"""The form token of a page (noloc_portal.csrf_token): Django's format and checks, one draw of
randomness per mask."""

import re
from collections import Counter

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from noloc_portal.csrf_token import csrf, masked, token_of
from tests.factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_masked_secret_unmasks_to_the_secret_as_django_reads_it():
    for _ in range(200):
        secret = _get_new_csrf_string()
        token = masked(secret)
        _check_token_format(token)  # raises for a token Django would refuse
        assert len(token) == 2 * CSRF_SECRET_LENGTH
        assert _unmask_cipher_token(token) == secret


def test_every_character_of_the_mask_is_drawn_anew():
    secret = _get_new_csrf_string()
    masks = [masked(secret)[:CSRF_SECRET_LENGTH] for _ in range(2000)]
    assert len(set(masks)) == len(masks)
    for place in (0, CSRF_SECRET_LENGTH // 2, CSRF_SECRET_LENGTH - 1):
        seen = Counter(mask[place] for mask in masks)
        # 2,000 draws of 62 characters: each about 32 times, none of them missing.
        assert set(seen) == set(CSRF_ALLOWED_CHARS)
        assert max(seen.values()) < 80


def test_the_token_renews_the_cookie_and_without_one_django_makes_it():
    request = RequestFactory().get("/")
    secret = _get_new_csrf_string()
    request.META["CSRF_COOKIE"] = secret
    assert _unmask_cipher_token(token_of(request)) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    fresh = RequestFactory().get("/")
    token = str(csrf(fresh)["csrf_token"])
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]


@pytest.mark.django_db
def test_a_pages_token_differs_per_response_and_passes_django_s_check():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    pages = [client.get(reverse("privacy:mine")).content.decode() for _ in range(2)]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    secret = client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    refused = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    logged_out = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert logged_out.status_code == 302
