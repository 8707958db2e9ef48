"""Log-in guessing beyond django-axes' lock-out of one account on one address: one password
tried on many accounts from one address (password spraying), and one account tried from many
addresses, are stopped too; for the site's log-in and the admin's."""

from __future__ import annotations

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
ADMIN_LOGIN_URL = reverse("admin:login")
PASSWORD = "correct-horse-battery"
SPRAYER = "203.0.113.66"


@pytest.fixture(autouse=True)
def _fresh_axes():
    axes_reset()
    yield
    axes_reset()


@pytest.fixture
def limits(settings):
    """Small limits, so that a test makes few requests; the defaults are checked below."""
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 12
    return settings


def log_in(client, email: str, password: str, address: str):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def spray(client, count: int, address: str = SPRAYER) -> None:
    """One wrong password on `count` different accounts, existing or not: never twice on
    one account, so django-axes alone never locks anything."""
    for number in range(count):
        email = f"victim{number}@example.com"
        if number % 2:
            UserFactory(email=email)
        response = log_in(client, email, "Summer2026!", address)
        assert response.status_code == 200  # the ordinary "do not match" answer


def test_the_limits_are_twenty_failures_per_address_and_fifty_per_account_an_hour():
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS == 20
    assert settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT == 50
    assert settings.LOGIN_FAILURE_WINDOW_MINUTES == 60


def test_one_password_on_many_accounts_from_one_address_locks_that_address(
    client, limits, customer
):
    spray(client, limits.LOGIN_FAILURE_LIMIT_PER_ADDRESS)

    # Even the right password of an account never tried is refused from there.
    response = log_in(client, customer.email, PASSWORD, SPRAYER)

    assert response.status_code == 429
    assert not is_logged_in(client)
    assert "from your connection" in response.content.decode()


def test_other_addresses_are_not_affected(client, limits, customer):
    spray(client, limits.LOGIN_FAILURE_LIMIT_PER_ADDRESS)

    response = log_in(client, customer.email, PASSWORD, "198.51.100.20")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_log_in_does_not_clear_the_addresss_count(client, limits, customer):
    # An attacker with an account of their own logs in between guesses.
    spray(client, limits.LOGIN_FAILURE_LIMIT_PER_ADDRESS - 1)
    assert log_in(client, customer.email, PASSWORD, SPRAYER).status_code == 302
    client.logout()

    spray(client, 1)

    assert log_in(client, customer.email, PASSWORD, SPRAYER).status_code == 429


def test_one_account_tried_from_many_addresses_is_locked(client, limits, customer, other_customer):
    for number in range(limits.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        # Fewer failures per address than django-axes' limit: it alone would let them through.
        address = f"198.51.100.{number // (settings.AXES_FAILURE_LIMIT - 1) + 1}"
        assert log_in(client, customer.email, f"guess-{number}", address).status_code == 200

    response = log_in(client, customer.email, PASSWORD, "192.0.2.200")

    assert response.status_code == 429
    assert not is_logged_in(client)
    assert "this account" in response.content.decode()
    # Another account on that address is fine.
    assert log_in(client, other_customer.email, PASSWORD, "192.0.2.200").status_code == 302


def test_resetting_the_password_unlocks_the_account(client, limits, customer, mailoutbox):
    for number in range(limits.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        log_in(client, customer.email, f"guess-{number}", f"198.51.100.{number + 1}")
    assert log_in(client, customer.email, PASSWORD, "192.0.2.200").status_code == 429

    client.post(reverse("accounts:password_reset"), {"email": customer.email})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    page = client.get(link.strip(), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-one-2026", "new_password2": "a-brand-new-one-2026"},
    )

    response = log_in(client, customer.email, "a-brand-new-one-2026", "192.0.2.200")
    assert response.status_code == 302


def test_the_admin_log_in_counts_against_the_same_limits(client, limits, administrator):
    spray(client, limits.LOGIN_FAILURE_LIMIT_PER_ADDRESS)

    response = client.post(
        ADMIN_LOGIN_URL,
        {"username": administrator.email, "password": PASSWORD},
        REMOTE_ADDR=SPRAYER,
    )

    assert not is_logged_in(client)
    assert "Too many log-ins failed" in response.content.decode()
    # Failures on the admin's page count too.
    for number in range(limits.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        client.post(
            ADMIN_LOGIN_URL,
            {"username": f"staff{number}@example.com", "password": "Summer2026!"},
            REMOTE_ADDR="192.0.2.77",
        )
    assert log_in(client, administrator.email, PASSWORD, "192.0.2.77").status_code == 429


def test_the_lock_out_page_is_in_french_for_a_french_visitor(client, limits, customer):
    spray(client, limits.LOGIN_FAILURE_LIMIT_PER_ADDRESS)

    response = client.post(
        LOGIN_URL,
        {"username": customer.email, "password": PASSWORD},
        REMOTE_ADDR=SPRAYER,
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 429
    assert "depuis votre réseau" in response.content.decode()
