"""Sign-up refuses at its field an e-mail address longer than the account's column (254
characters; forms.EmailField would take 320, and PostgreSQL would then fail: a 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.accounts.models import User

pytestmark = pytest.mark.django_db


def _signup_data(email: str) -> dict[str, str]:
    return {
        "email": email,
        "first_name": "Claire",
        "last_name": "Petit",
        "password1": "un-drone-bleu-42",
        "password2": "un-drone-bleu-42",
        "preferred_language": "en",
    }


def test_an_address_of_more_than_254_characters_is_refused_at_its_field(client):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"
    assert 254 < len(email) <= 320
    response = client.post(reverse("accounts:signup"), _signup_data(email))
    assert response.status_code in {200, 422}
    assert response.context["form"].errors["email"] == [
        "An e-mail address has at most 254 characters."
    ]
    assert not User.objects.exists()


def test_an_address_of_254_characters_is_taken(client):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".cccccc"
    assert len(email) == 254
    response = client.post(reverse("accounts:signup"), _signup_data(email))
    assert response.status_code == 302
    assert User.objects.filter(email=email).exists()
