"""Where a request comes from, and the request being served (for records made by services)."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless it is one of TRUSTED_PROXIES: then the nearest address in
    X-Forwarded-For that is not a trusted proxy. A client can write anything into that header,
    so only the part appended by our own proxies is believed."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None or not _is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _valid(hop)
        if address is None:
            return remote
        if not _is_trusted_proxy(address):
            return address
    return remote


def current_ip() -> str | None:
    """The client address of the request being served in this thread, if any."""
    return _current_ip.get()


class ClientAddressMiddleware:
    """Remembers the client address for the length of the request, so that a service that
    records a state change knows where it came from without taking the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)
