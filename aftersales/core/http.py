"""Who is asking: the client's address as the site sees it, the same way everywhere (rate limits,
log-in lock-outs, activation attempts, progress queries)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    Without a reverse proxy (`PROXY_COUNT` 0), the address the connection came from
    (`REMOTE_ADDR`); `X-Forwarded-For` is ignored, since anyone can send it. With `PROXY_COUNT`
    = n proxies in front, each proxy appends the address it was reached from to
    `X-Forwarded-For`, so the client's is the n-th entry from the right: what lies left of it
    was written by the client and proves nothing. A header with fewer entries did not come
    through every proxy; the connection's address is used then.

    django-axes reads the address through this function too (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def client_network(request: HttpRequest) -> str:
    """Who to count for a limit per address: the client's IPv4 address as it is, an IPv6 client
    by its /64 network (one subscriber's line or one server holds a whole /64 and can send from
    any of its 2**64 addresses), an IPv4-mapped IPv6 address as its IPv4 address. An address
    that cannot be read is counted as it is."""
    return address_network(client_address(request))


def address_network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)
