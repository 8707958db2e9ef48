from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from aftersales.accounts import services
from aftersales.accounts.models import User
from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _link_in(message) -> str:
    match = re.search(r"http://testserver(/account/verify/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def unverified(db):
    return UserFactory(email="new@example.com", email_verified_at=None)


def _send_link(user: User, mailoutbox) -> str:
    services.user_send_verification(user=user, base_url="http://testserver/")
    return _link_in(mailoutbox[-1])


def test_the_link_verifies_the_address_and_leads_to_login(client, unverified, mailoutbox):
    link = _send_link(unverified, mailoutbox)

    response = client.get(link, follow=True)

    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Your e-mail address is verified. You can log in now." in response.content.decode()


def test_the_link_works_once_and_only_once(client, unverified, mailoutbox):
    link = _send_link(unverified, mailoutbox)
    client.get(link)
    unverified.refresh_from_db()
    first_verified_at = unverified.email_verified_at

    response = client.get(link)

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified_at == first_verified_at


def test_an_expired_link_is_refused(client, unverified, mailoutbox, settings):
    link = _send_link(unverified, mailoutbox)
    settings.EMAIL_VERIFICATION_MAX_AGE = -1

    response = client.get(link)

    assert response.status_code == 400
    assert 'action="/account/verify/resend/"' in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_a_link_for_an_address_that_has_changed_is_refused(client, unverified, mailoutbox):
    link = _send_link(unverified, mailoutbox)
    unverified.email = "changed@example.com"
    unverified.save()

    response = client.get(link)

    assert response.status_code == 400
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "e30:1abc:zzz", "%00"])
def test_a_tampered_link_is_refused_without_error(client, token):
    response = client.get(f"/account/verify/{token}/")
    assert response.status_code in {400, 404}


def test_resend_mails_a_new_link_to_an_unverified_account(client, unverified, mailoutbox):
    response = client.post(reverse("accounts:resend_verification"), {"email": "NEW@example.com"})

    assert response.status_code == 200
    assert len(mailoutbox) == 1
    link = _link_in(mailoutbox[0])
    client.get(link)
    unverified.refresh_from_db()
    assert unverified.is_email_verified


def test_resend_answers_the_same_for_unknown_and_verified_addresses(client, customer, mailoutbox):
    url = reverse("accounts:resend_verification")
    unknown = client.post(url, {"email": "nobody@example.com"})
    verified = client.post(url, {"email": customer.email})

    assert unknown.status_code == verified.status_code == 200
    assert unknown.templates[0].name == verified.templates[0].name
    assert mailoutbox == []


def test_resend_is_rate_limited_per_address(client, unverified, mailoutbox):
    url = reverse("accounts:resend_verification")
    for _ in range(services.RESEND_LIMIT_PER_HOUR + 2):
        response = client.post(url, {"email": unverified.email})
        assert response.status_code == 200

    assert len(mailoutbox) == services.RESEND_LIMIT_PER_HOUR


def test_resend_with_an_invalid_address_shows_the_error_at_the_field(client):
    response = client.post(reverse("accounts:resend_verification"), {"email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.context["resend_form"].errors


def test_resend_is_post_only(client):
    assert client.get(reverse("accounts:resend_verification")).status_code == 405
