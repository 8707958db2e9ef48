"""`manage.py create_api_token <email>`: the token of a partner system, for the partner API."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aftersales.accounts.models import User
from aftersales.accounts.tests.factories import UserFactory


def create_api_token(*args: str) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def partner(db):
    user = UserFactory(email="store@example.com")
    user.groups.add(Group.objects.get(name="partner"))
    return user


def test_the_migration_creates_the_partner_group(db):
    assert Group.objects.filter(name="partner").exists()


def test_it_prints_a_token_that_opens_the_api(partner):
    key = create_api_token("store@example.com")

    assert key == Token.objects.get(user=partner).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/ping").status_code == 200


def test_it_prints_the_same_token_again_and_accepts_the_email_in_any_case(partner):
    assert create_api_token("store@example.com") == create_api_token("STORE@example.com")


def test_rotate_replaces_the_token(partner):
    old = create_api_token("store@example.com")

    new = create_api_token("store@example.com", "--rotate")

    assert new != old
    assert not Token.objects.filter(key=old).exists()


def test_a_user_outside_the_partner_group_gets_no_token(customer):
    with pytest.raises(CommandError, match="not in the 'partner' group"):
        create_api_token(customer.email)

    assert not Token.objects.exists()


def test_an_unknown_user_gets_no_token(db):
    with pytest.raises(CommandError, match="No account"):
        create_api_token("nobody@example.com")

    assert not User.objects.exists()


def test_create_makes_the_partner_account_with_no_usable_password(db):
    key = create_api_token("new-store@example.com", "--create")

    user = User.objects.get(email="new-store@example.com")
    assert user.groups.filter(name="partner").exists()
    assert not user.has_usable_password()
    assert not user.is_staff
    assert Token.objects.get(user=user).key == key


def test_create_adds_an_existing_account_to_the_partner_group(customer):
    create_api_token(customer.email, "--create")

    assert customer.groups.filter(name="partner").exists()


# --- Repair centres -----------------------------------------------------------------------------


def test_the_migration_creates_the_repair_centre_group(db):
    assert Group.objects.filter(name="repair_centre").exists()


def test_repair_centre_makes_an_account_in_both_groups(db):
    key = create_api_token("centre@example.com", "--repair-centre")

    user = User.objects.get(email="centre@example.com")
    assert set(user.groups.values_list("name", flat=True)) == {"partner", "repair_centre"}
    assert not user.has_usable_password()
    assert Token.objects.get(user=user).key == key


def test_repair_centre_adds_a_store_to_the_repair_centre_group(partner):
    key = create_api_token("store@example.com", "--repair-centre")

    assert partner.groups.filter(name="repair_centre").exists()
    assert key == Token.objects.get(user=partner).key


def test_without_repair_centre_a_token_cannot_grant_replacements(partner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_api_token('store@example.com')}")

    response = client.post(
        "/api/v1/plans/4f1e1a7c-5f5e-4d7b-9b7e-2b1d2c3e4f50/replacements", {}, format="json"
    )

    assert response.status_code == 403
    create_api_token("store@example.com", "--repair-centre")
    response = client.post(
        "/api/v1/plans/4f1e1a7c-5f5e-4d7b-9b7e-2b1d2c3e4f50/replacements", {}, format="json"
    )
    assert response.status_code == 400  # let in: the body is then checked
