from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from aftersales.accounts.models import Address, User
from aftersales.accounts.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


def test_create_staff_user_creates_a_verified_staff_member_in_the_role(capsys):
    call_command(
        "create_staff_user", email="Tech@Example.com", role="technician", password="s3cret-workshop"
    )

    user = User.objects.get(email="tech@example.com")
    assert user.is_staff and user.is_email_verified
    assert list(user.groups.values_list("name", flat=True)) == ["technician"]
    assert user.check_password("s3cret-workshop")
    assert "Created staff user tech@example.com" in capsys.readouterr().out


def test_create_staff_user_gives_an_existing_account_the_role(customer, capsys):
    call_command("create_staff_user", email=customer.email, role="agent")

    customer.refresh_from_db()
    assert customer.is_staff
    assert customer.groups.filter(name="agent").exists()
    assert "Updated staff user" in capsys.readouterr().out


def test_create_staff_user_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("create_staff_user", email="x@example.com", role="pilot")


def test_create_staff_user_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command("create_staff_user", email="x@example.com", role="agent", password="123")
    assert not User.objects.filter(email="x@example.com").exists()


@pytest.fixture
def superuser_client(client, db):
    admin = User.objects.create_superuser(email="root@example.com", password="pw")
    client.force_login(admin)
    return client


def test_the_user_admin_lists_searches_and_filters(superuser_client, customer):
    url = reverse("admin:accounts_user_changelist")
    assert superuser_client.get(url, {"q": "alice", "verified": "yes"}).status_code == 200
    assert (
        superuser_client.get(reverse("admin:accounts_user_change", args=[customer.pk])).status_code
        == 200
    )
    assert superuser_client.get(reverse("admin:accounts_user_add")).status_code == 200


def test_the_user_admin_creates_a_verified_account(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.agent@example.com",
            "first_name": "New",
            "last_name": "Agent",
            "preferred_language": "fr",
            "usable_password": "true",
            "password1": "a-long-agent-password",
            "password2": "a-long-agent-password",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new.agent@example.com").is_email_verified


def test_the_address_admin_searches_by_customer_email(superuser_client, customer):
    AddressFactory(user=customer, city="Lyon")
    response = superuser_client.get(
        reverse("admin:accounts_address_changelist"), {"q": customer.email}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == Address.objects.filter(user=customer).count()
