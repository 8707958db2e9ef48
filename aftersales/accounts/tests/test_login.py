from __future__ import annotations

import pytest
from axes.utils import reset as axes_reset
from django.conf import settings
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_axes():
    axes_reset()
    yield
    axes_reset()


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_verified_customer_logs_in_with_email_and_password(client, customer):
    response = client.post(LOGIN_URL, {"username": customer.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert _is_logged_in(client)


def test_the_email_is_matched_whatever_its_case(client, customer):
    client.post(LOGIN_URL, {"username": "ALICE@Example.com", "password": PASSWORD})
    assert _is_logged_in(client)


def test_the_form_labels_the_username_field_as_an_email_address(client):
    response = client.get(LOGIN_URL)
    html = response.content.decode()
    assert 'name="username"' in html
    assert "E-mail address" in html


def test_logging_in_switches_the_site_to_the_customers_language(client):
    user = UserFactory(preferred_language="fr")

    response = client.post(LOGIN_URL, {"username": user.email, "password": PASSWORD})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_a_safe_next_url_is_followed(client, customer):
    response = client.post(
        LOGIN_URL, {"username": customer.email, "password": PASSWORD, "next": "/account/"}
    )
    assert response["Location"] == "/account/"


def test_a_next_url_to_another_site_is_ignored(client, customer):
    response = client.post(
        LOGIN_URL,
        {"username": customer.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_a_wrong_password_gets_a_clear_error_and_keeps_the_email(client, customer):
    response = client.post(LOGIN_URL, {"username": customer.email, "password": "nope"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "do not match an account" in html
    assert f'value="{customer.email}"' in html
    assert not _is_logged_in(client)


def test_an_unverified_account_cannot_log_in_and_is_offered_a_new_link(client, mailoutbox):
    user = UserFactory(email="pending@example.com", email_verified_at=None)

    response = client.post(LOGIN_URL, {"username": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert not _is_logged_in(client)
    html = response.content.decode()
    assert "not verified yet" in html
    assert reverse("accounts:resend_verification") in html

    client.post(reverse("accounts:resend_verification"), {"email": user.email})
    assert len(mailoutbox) == 1


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client, customer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": customer.email, "password": "wrong-password"})

    response = client.post(LOGIN_URL, {"username": customer.email, "password": PASSWORD})

    assert response.status_code == 429
    assert not _is_logged_in(client)
    html = response.content.decode()
    assert "Too many attempts" in html
    assert "15 minutes" in html
    assert reverse("accounts:password_reset") in html


def test_the_lockout_is_per_account(client, customer, other_customer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": customer.email, "password": "wrong-password"})

    response = client.post(LOGIN_URL, {"username": other_customer.email, "password": PASSWORD})

    assert response.status_code == 302


def test_logout_is_post_only_and_logs_out(customer_client):
    assert customer_client.get(reverse("accounts:logout")).status_code == 405
    response = customer_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not _is_logged_in(customer_client)
