"""Login lockout with django-axes: per account and per address.

Every login form of the portal (the login page, the admin, the API token endpoint) posts the
e-mail address as `username`; axes gets that value, normalised the way `User.objects` looks a
person up, so `Petra@Example.org` and `petra@example.org` count as one account.
"""

from __future__ import annotations

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a login attempt is for (AXES_USERNAME_CALLABLE)."""
    if credentials is not None:
        username = credentials.get("username")
    else:
        username = request.POST.get("username")
    if not isinstance(username, str) or not username.strip():
        return None
    return username.strip().lower()


def lockout_minutes(request: HttpRequest | None = None) -> int:
    """How long a lockout lasts, in whole minutes (rounded up)."""
    return math.ceil(get_cool_off(request).total_seconds() / 60)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Counts failures per account and per address, each against its own limit.

    An account locks at AXES_FAILURE_LIMIT failures from any address. An address locks at
    LOGIN_FAILURE_LIMIT_PER_ADDRESS failures on any accounts: higher, because one office or
    training venue may send many people through one address. Axes compares a single count
    with AXES_FAILURE_LIMIT, so the address count is scaled onto that limit.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        # floor(n * a / b) >= a exactly when n >= b, so the address locks at its own limit.
        return max(by_account, by_address * account_limit // address_limit)


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The Dutch lockout page (AXES_LOCKOUT_CALLABLE), answered with 429."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": lockout_minutes(request)},
        status=429,
    )
