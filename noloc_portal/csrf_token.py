"""The form token of a page, as Django's ``csrf`` context processor gives it, masked with one
draw of randomness instead of thirty-two.

Django masks the secret of the CSRF cookie afresh for every response, so that the token in the
HTML differs each time (against BREACH): 32 characters, each drawn by ``secrets.choice``, a
system call for randomness apiece. Every logged-in page has a token (the log-out form in the
menu), and masking it cost 0.58 million instructions a page, a third of the page frame. Here
the mask is the 32 base-62 digits of one number drawn uniformly below 62³² by
``secrets.randbelow``: each digit as uniform and as independent as Django's, the token the same
format, unmasked and checked by Django's middleware unchanged.

``csrf`` follows Django's built-in context processor (``TEMPLATES`` lists it after the built-in
one, whose ``csrf_token`` it replaces); ``{% csrf_token %}`` and everything that reads
``csrf_token`` from a context get this token."""

from __future__ import annotations

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_BASE = len(CSRF_ALLOWED_CHARS)
_MASKS = _BASE**CSRF_SECRET_LENGTH
_INDEX = {char: n for n, char in enumerate(CSRF_ALLOWED_CHARS)}


def masked(secret: str) -> str:
    """``django.middleware.csrf._mask_cipher_secret(secret)``: a random mask, then the secret
    with each character shifted by the mask's character in its place."""
    draw = secrets.randbelow(_MASKS)
    mask, cipher = [], []
    for char in secret:
        draw, digit = divmod(draw, _BASE)
        mask.append(CSRF_ALLOWED_CHARS[digit])
        cipher.append(CSRF_ALLOWED_CHARS[(_INDEX[char] + digit) % _BASE])
    return "".join(mask) + "".join(cipher)


def token_of(request) -> str:
    """``django.middleware.csrf.get_token(request)``: the cookie's secret masked, and the
    cookie sent again (renewing its expiry); without a cookie yet, Django's own way."""
    if "CSRF_COOKIE" not in request.META:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(request.META["CSRF_COOKIE"])


def csrf(request) -> dict:
    """The context processor: ``csrf_token``, worked out when a template first asks for it."""
    return {"csrf_token": SimpleLazyObject(lambda: token_of(request))}
