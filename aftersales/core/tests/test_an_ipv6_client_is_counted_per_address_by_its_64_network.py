"""For a limit per address, an IPv6 client is counted by its /64 network (one line or one server
holds a whole /64 and can send from any of its addresses); an IPv4 address is counted as it is,
an IPv4-mapped IPv6 address as its IPv4 address; behind proxies the forwarded address is read
as core.http.client_address reads it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from aftersales.core.http import address_network, client_network


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("198.51.100.9", "198.51.100.9"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:198.51.100.9", "198.51.100.9"),
        ("", ""),
        ("not-an-address", "not-an-address"),
    ],
)
def test_each_address_is_counted_as(address, counted_as):
    assert address_network(address) == counted_as


def test_the_addresses_of_one_64_are_one_client_and_the_next_64_another(settings):
    settings.PROXY_COUNT = 0
    seen = {client_network(request(f"2001:db8:1:2::{i:x}")) for i in range(1, 50)}
    assert seen == {"2001:db8:1:2::/64"}
    assert client_network(request("2001:db8:1:3::1")) != client_network(request("2001:db8:1:2::1"))


def test_ipv4_clients_are_counted_one_by_one(settings):
    settings.PROXY_COUNT = 0
    assert client_network(request("198.51.100.9")) == "198.51.100.9"
    assert client_network(request("198.51.100.10")) == "198.51.100.10"


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(settings):
    settings.PROXY_COUNT = 1
    counted = client_network(request("10.0.0.5", forwarded="192.0.2.1, 2001:db8:aa:bb::7"))
    assert counted == "2001:db8:aa:bb::/64"
