"""Account enumeration: signing up with an address that has an account answers exactly as for a
new address (same redirect, same page, a password hashed in both cases) and the owner is told
by e-mail, in the owner's language; password reset and a new verification link answer the same
for any address too. None of these forms can flood a mailbox."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse
from django.utils import translation

from aftersales.accounts import services
from aftersales.accounts.models import User
from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")
RESET_URL = reverse("accounts:password_reset")
RESEND_URL = reverse("accounts:resend_verification")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


class CountingHasher(MD5PasswordHasher):
    """The test suite's fast hasher, counting how many passwords it hashed."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


def sign_up(client, email: str, **extra: str):
    data = {
        "email": email,
        "first_name": "Mallory",
        "last_name": "Martin",
        "password1": "un-drone-bleu-42",
        "password2": "un-drone-bleu-42",
        "preferred_language": "en",
    }
    return client.post(SIGNUP_URL, data, **extra)


def page_text(response) -> str:
    return TOKEN.sub("", response.content.decode())


@pytest.fixture
def owner():
    return UserFactory(
        email="claire.petit@example.com", first_name="Claire", preferred_language="fr"
    )


def test_an_address_with_an_account_gets_the_same_answer_as_a_new_one(
    client, owner, django_user_model
):
    new = sign_up(client, "new.customer@example.com")
    new_page = client.get(new["Location"])
    client.session.flush()

    taken = sign_up(client, "CLAIRE.Petit@example.COM")
    taken_page = client.get(taken["Location"])

    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"] == reverse("accounts:signup_done")
    assert new_page.status_code == taken_page.status_code == 200
    # The same page, but for the address typed.
    assert page_text(taken_page).replace("claire.petit@example.com", "ADDRESS") == page_text(
        new_page
    ).replace("new.customer@example.com", "ADDRESS")


def test_nothing_is_created_or_changed_for_the_existing_account(client, owner):
    before = User.objects.values().get(pk=owner.pk)

    sign_up(client, "claire.petit@example.com")

    assert User.objects.filter(email__iexact="claire.petit@example.com").count() == 1
    assert User.objects.values().get(pk=owner.pk) == before
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery")


def test_the_owner_is_told_by_e_mail_in_the_owners_language(client, owner, mailoutbox):
    sign_up(client, "claire.petit@example.com", HTTP_ACCEPT_LANGUAGE="en")

    [message] = mailoutbox
    assert message.to == ["claire.petit@example.com"]
    with translation.override("fr"):
        subject = translation.gettext(
            "Someone tried to create a %(SITE_NAME)s account with your address"
        ) % {"SITE_NAME": "Aftersales"}
    assert message.subject == subject
    assert subject.startswith("Quelqu'un a tenté")
    assert "http://testserver/account/login/" in message.body
    assert "http://testserver/account/password/reset/" in message.body
    assert "/account/verify/" not in message.body


def test_a_new_address_gets_the_verification_link_and_no_notice(client, mailoutbox):
    sign_up(client, "new.customer@example.com")

    [message] = mailoutbox
    assert "/account/verify/" in message.body


def test_both_answers_hash_the_password_so_they_take_about_as_long(client, owner, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]

    CountingHasher.calls = 0
    sign_up(client, "new.customer@example.com")
    new_address = CountingHasher.calls

    CountingHasher.calls = 0
    sign_up(client, "claire.petit@example.com")
    taken_address = CountingHasher.calls

    assert new_address == taken_address == 1


def test_the_owner_is_not_flooded_with_notices(client, owner, mailoutbox):
    for _ in range(services.MAIL_LIMIT_PER_HOUR + 3):
        assert sign_up(client, "claire.petit@example.com").status_code == 302

    assert len(mailoutbox) == services.MAIL_LIMIT_PER_HOUR


def test_password_reset_answers_the_same_for_any_address(client, customer, mailoutbox):
    known = client.post(RESET_URL, {"email": customer.email}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert page_text(known) == page_text(unknown)
    assert [message.to for message in mailoutbox] == [[customer.email]]


def test_password_reset_does_not_flood_a_mailbox(client, customer, mailoutbox):
    for _ in range(services.MAIL_LIMIT_PER_HOUR + 3):
        assert client.post(RESET_URL, {"email": customer.email}).status_code == 302

    assert len(mailoutbox) == services.MAIL_LIMIT_PER_HOUR


def test_a_new_verification_link_is_answered_the_same_for_any_address(client, customer):
    unverified = UserFactory(email="pending@example.com", email_verified_at=None)

    answers = [
        page_text(client.post(RESEND_URL, {"email": email})).replace(email, "ADDRESS")
        for email in (unverified.email, customer.email, "nobody@example.com")
    ]

    assert answers[0] == answers[1] == answers[2]
