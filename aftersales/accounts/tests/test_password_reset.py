from __future__ import annotations

import re
from unittest import mock

import pytest
from axes.utils import reset as axes_reset
from django.urls import reverse
from django.utils import translation

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core import tasks

pytestmark = pytest.mark.django_db

RESET_URL = reverse("accounts:password_reset")


@pytest.fixture(autouse=True)
def _fresh_axes():
    axes_reset()
    yield


def _reset_link(message) -> str:
    match = re.search(r"http://testserver(/account/password/reset/[^\s]+/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_reset_email_is_sent_through_the_background_task(client, customer, mailoutbox):
    # The task object is frozen: watch it where the e-mail helper looks it up.
    with mock.patch("aftersales.core.emails.send_email", wraps=tasks.send_email) as task:
        response = client.post(RESET_URL, {"email": customer.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    task.enqueue.assert_called_once()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [customer.email]


def test_the_reset_email_is_written_in_the_recipients_language(client, mailoutbox):
    user = UserFactory(preferred_language="fr")

    client.post(RESET_URL, {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en")

    with translation.override("fr"):
        expected = translation.gettext("Reset your %(SITE_NAME)s password")
    assert mailoutbox[0].subject == expected % {"SITE_NAME": "Aftersales"}


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, mailoutbox):
    response = client.post(RESET_URL, {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_reset_works_end_to_end(client, customer, mailoutbox):
    client.post(RESET_URL, {"email": customer.email})
    link = _reset_link(mailoutbox[0])

    response = client.get(link)
    assert response.status_code == 302  # Django hides the token behind a session redirect
    set_password_url = response["Location"]
    response = client.post(
        set_password_url,
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    customer.refresh_from_db()
    assert customer.check_password("a-brand-new-secret-9")
    response = client.post(
        reverse("accounts:login"),
        {"username": customer.email, "password": "a-brand-new-secret-9"},
    )
    assert response.status_code == 302


def test_the_reset_link_works_only_once(client, customer, mailoutbox):
    client.post(RESET_URL, {"email": customer.email})
    link = _reset_link(mailoutbox[0])
    set_password_url = client.get(link)["Location"]
    data = {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"}
    client.post(set_password_url, data)

    response = client.get(link)

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_resetting_the_password_proves_an_unverified_address(client, mailoutbox):
    user = UserFactory(email_verified_at=None)
    client.post(RESET_URL, {"email": user.email})
    set_password_url = client.get(_reset_link(mailoutbox[0]))["Location"]

    client.post(
        set_password_url,
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )

    user.refresh_from_db()
    assert user.is_email_verified


def test_a_logged_in_customer_changes_their_password(customer_client, customer):
    url = reverse("accounts:password_change")
    response = customer_client.post(
        url,
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-brand-new-secret-9",
            "new_password2": "a-brand-new-secret-9",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    customer.refresh_from_db()
    assert customer.check_password("a-brand-new-secret-9")


def test_a_wrong_old_password_is_refused_at_its_field(customer_client):
    response = customer_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-it",
            "new_password1": "a-brand-new-secret-9",
            "new_password2": "a-brand-new-secret-9",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_changing_the_password_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
