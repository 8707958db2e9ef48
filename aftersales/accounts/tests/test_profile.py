from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")


def test_my_account_needs_a_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE_URL}"


def test_my_account_shows_the_details_and_links(customer_client, customer):
    response = customer_client.get(PROFILE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert customer.email in html
    assert 'value="Alice"' in html
    for name in ("accounts:password_change", "accounts:address_list", "devices:list"):
        assert reverse(name) in html


def test_saving_the_profile_changes_names_and_language_and_switches_the_site(
    customer_client, customer
):
    response = customer_client.post(
        PROFILE_URL, {"first_name": "Alicia", "last_name": "Durand", "preferred_language": "fr"}
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.preferred_language) == ("Alicia", "fr")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_a_blank_name_is_refused_at_the_field_and_nothing_is_saved(customer_client, customer):
    response = customer_client.post(
        PROFILE_URL, {"first_name": "", "last_name": "Durand", "preferred_language": "xx"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"first_name", "preferred_language"}
    customer.refresh_from_db()
    assert customer.first_name == "Alice"


def test_the_email_cannot_be_changed_through_the_profile_form(customer_client, customer):
    customer_client.post(
        PROFILE_URL,
        {
            "first_name": "Alice",
            "last_name": "Durand",
            "preferred_language": "en",
            "email": "hijack@example.com",
            "is_staff": "on",
        },
    )
    customer.refresh_from_db()
    assert customer.email == "alice@example.com"
    assert not customer.is_staff
