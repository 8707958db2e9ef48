from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from aftersales.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("accounts:signup")


def _signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "email": "Claire.Petit@Example.com",
        "first_name": "Claire",
        "last_name": "Petit",
        "password1": "un-drone-bleu-42",
        "password2": "un-drone-bleu-42",
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def test_signup_page_offers_the_active_language_by_default(client):
    response = client.get(SIGNUP_URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.context["form"]["preferred_language"].value() == "fr"


def test_signup_creates_an_unverified_account_and_mails_the_verification_link(client, mailoutbox):
    response = client.post(SIGNUP_URL, _signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get(email="claire.petit@example.com")
    assert user.email_verified_at is None
    assert user.first_name == "Claire"
    assert user.check_password("un-drone-bleu-42")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["claire.petit@example.com"]
    assert re.search(r"http://testserver/account/verify/[^/\s]+/", message.body)
    assert "http://testserver/account/verify/" in message.alternatives[0][0]


def test_verification_email_is_rendered_in_the_customers_preferred_language(client, mailoutbox):
    client.post(SIGNUP_URL, _signup_data(preferred_language="fr"), HTTP_ACCEPT_LANGUAGE="en")

    user = User.objects.get()
    assert user.preferred_language == "fr"
    # Whatever the translations hold today, the subject is the French rendering of the template.
    with translation.override("fr"):
        expected = translation.gettext("Verify your e-mail address for %(SITE_NAME)s")
    assert mailoutbox[0].subject == expected % {"SITE_NAME": "Aftersales"}


def test_the_done_page_says_where_the_link_was_sent(client):
    response = client.post(SIGNUP_URL, _signup_data(), follow=True)
    assert response.status_code == 200
    assert "claire.petit@example.com" in response.content.decode()


def test_passwords_that_differ_are_refused_and_the_rest_is_kept(client):
    response = client.post(SIGNUP_URL, _signup_data(password2="something-else-42"))

    assert response.status_code == 200
    form = response.context["form"]
    assert "password2" in form.errors
    html = response.content.decode()
    assert 'value="Claire"' in html
    assert 'value="Petit"' in html
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_weak_passwords_are_refused_by_djangos_validators(client, password):
    response = client.post(SIGNUP_URL, _signup_data(password1=password, password2=password))

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_password_like_the_email_is_refused(client):
    data = _signup_data(password1="petit.claire@example", password2="petit.claire@example")
    response = client.post(SIGNUP_URL, data)
    assert "password1" in response.context["form"].errors


def test_empty_signup_form_shows_errors_at_each_required_field(client):
    response = client.post(SIGNUP_URL, {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"email", "first_name", "last_name", "password1", "password2"} <= set(errors)


def test_a_logged_in_customer_is_sent_to_their_account(customer_client):
    response = customer_client.get(SIGNUP_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
