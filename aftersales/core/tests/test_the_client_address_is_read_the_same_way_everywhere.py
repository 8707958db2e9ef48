"""Every limit that counts per address (log-in failures, django-axes' lock-out, activation
attempts on the site and the API, progress queries) reads the client's address through
core.http.client_address: behind PROXY_COUNT proxies, from X-Forwarded-For; with none, the
connection's address, whatever X-Forwarded-For says."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from aftersales.accounts import services as account_services
from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.api import PARTNER_GROUP
from aftersales.core.http import client_address
from aftersales.plans.api.views import API_REDEMPTION_LIMIT_PER_ADDRESS
from aftersales.plans.services import REDEMPTION_LIMIT_PER_ADDRESS
from aftersales.repairs.views.cases import PROGRESS_LIMIT_PER_ADDRESS

PROXY = "10.0.0.5"  # the reverse proxy the site sees the connection from
CLIENT = "198.51.100.9"  # the visitor, as the proxy writes it in X-Forwarded-For
SPOOFED = "192.0.2.1"  # what the visitor wrote in X-Forwarded-For themselves
WRONG_CODE = "2222-2222-2222-2222"


def request(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- The function ------------------------------------------------------------------------------


def test_without_proxies_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_address(request(forwarded=CLIENT)) == PROXY


def test_behind_one_proxy_the_last_entry_is_the_clients(settings):
    settings.PROXY_COUNT = 1
    # The visitor's own entry comes first; the proxy appended the address it saw.
    assert client_address(request(forwarded=f"{SPOOFED}, {CLIENT}")) == CLIENT


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_clients(settings):
    settings.PROXY_COUNT = 2
    forwarded = f"{SPOOFED}, {CLIENT}, 10.0.0.9"
    assert client_address(request(forwarded=forwarded)) == CLIENT


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_a_missing_or_broken_header_falls_back_to_the_connection(settings, forwarded):
    settings.PROXY_COUNT = 1
    assert client_address(request(forwarded=forwarded)) == PROXY


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_connection(settings):
    settings.PROXY_COUNT = 2
    assert client_address(request(forwarded=CLIENT)) == PROXY


def test_ipv6_addresses_are_read_too(settings):
    settings.PROXY_COUNT = 1
    assert client_address(request(forwarded="2001:DB8::1")) == "2001:db8::1"


# --- Every place that counts per address --------------------------------------------------------


def fail_progress_query(client: Client, **extra: str) -> Callable[[str], int]:
    client.post(
        reverse("repairs:progress"),
        {"case_number": "CAS-1234567-ABC123", "email": "nobody@example.com"},
        **extra,
    )
    return PROGRESS_LIMIT_PER_ADDRESS.failures


def fail_activation_page(client: Client, **extra: str) -> Callable[[str], int]:
    client.force_login(UserFactory())
    client.post(
        reverse("plans:activate"),
        {"activation_code": WRONG_CODE, "serial_number": "NOSUCH1"},
        **extra,
    )
    return REDEMPTION_LIMIT_PER_ADDRESS.failures


def fail_activation_api(client: Client, **extra: str) -> Callable[[str], int]:
    partner = UserFactory()
    partner.groups.add(Group.objects.get(name=PARTNER_GROUP))
    client.post(
        "/api/v1/plans/activate",
        {"activation_code": WRONG_CODE, "serial_number": "NOSUCH1"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=partner).key}",
        **extra,
    )
    return API_REDEMPTION_LIMIT_PER_ADDRESS.failures


def fail_log_in(client: Client, **extra: str) -> Callable[[str], int]:
    client.post(
        reverse("accounts:login"),
        {"username": "someone@example.com", "password": "wrong-password"},
        **extra,
    )

    def failures(address: str) -> int:
        # Both: django-axes' attempts and the site's own per-address limit.
        attempts = AccessAttempt.objects.filter(ip_address=address).count()
        limited = account_services._login_limits()[0].failures(address)
        assert attempts == limited
        return limited

    return failures


PLACES = {
    "progress query": fail_progress_query,
    "plan activation page": fail_activation_page,
    "plan activation API": fail_activation_api,
    "log-in (axes and the per-address limit)": fail_log_in,
}


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    axes_reset()
    yield
    axes_reset()


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_behind_one_proxy_the_forwarded_address_is_counted(client, settings, place):
    settings.PROXY_COUNT = 1

    failures = place(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {CLIENT}")

    assert failures(CLIENT) == 1
    assert failures(PROXY) == 0
    assert failures(SPOOFED) == 0


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_without_proxies_the_forwarded_address_is_ignored(client, settings, place):
    settings.PROXY_COUNT = 0

    failures = place(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    assert failures(PROXY) == 1
    assert failures(CLIENT) == 0
