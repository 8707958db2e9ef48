"""The admin's user form (audit): an agent's "change user" (given by default, for customers'
names, addresses and language) must not make it a superuser or an administrator, nor set
another account's password; only those who manage the roles (administrators, superusers) give
roles, and only a superuser makes a superuser or changes a superuser's account."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from aftersales.accounts.models import User
from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = {
    "password1": "Took-it-over-42!",
    "password2": "Took-it-over-42!",
    "usable_password": "true",
}


def page_data(response) -> dict[str, Any]:
    """What the change page's form sends back as it stands (main form and inlines)."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or form.fields[name].disabled:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
    return data


def raise_self(client, user: User) -> Any:
    url = f"/admin/accounts/user/{user.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = page_data(page)
    data.update(
        is_superuser="on",
        is_staff="on",
        groups=[str(Group.objects.get(name="administrator").pk)],
        first_name="Renamed",
    )
    return client.post(url, data)


def test_an_agent_cannot_raise_its_own_account(client, agent):
    client.force_login(agent)
    page = client.get(f"/admin/accounts/user/{agent.pk}/change/")
    # Its own account is a staff account: read-only for a role that does not manage roles.
    assert "is_superuser" not in page.context["adminform"].form.fields
    data = {"email": agent.email, "is_superuser": "on", "is_staff": "on", "first_name": "x"}
    data["groups"] = [str(Group.objects.get(name="administrator").pk)]
    assert client.post(f"/admin/accounts/user/{agent.pk}/change/", data).status_code == 403
    agent.refresh_from_db()
    assert not agent.is_superuser
    assert agent.first_name != "x"
    assert list(agent.groups.values_list("name", flat=True)) == ["agent"]


def test_an_agent_still_changes_a_customer_but_sets_nobodys_password(client, agent, customer):
    client.force_login(agent)
    url = f"/admin/accounts/user/{customer.pk}/change/"
    data = page_data(client.get(url))
    data["preferred_language"] = "fr"
    assert client.post(url, data).status_code == 302
    customer.refresh_from_db()
    assert customer.preferred_language == "fr"

    password_url = f"/admin/accounts/user/{customer.pk}/password/"
    assert client.get(password_url).status_code == 403
    assert client.post(password_url, NEW_PASSWORD).status_code == 403
    customer.refresh_from_db()
    assert not customer.check_password(NEW_PASSWORD["password1"])


def test_an_agent_reads_but_does_not_change_a_staff_account(client, agent, administrator):
    client.force_login(agent)
    url = f"/admin/accounts/user/{administrator.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # viewed, read-only
    assert "is_superuser" not in page.context["adminform"].form.fields
    data = {"email": "agent-owns-it@example.com", "first_name": "x"}
    assert client.post(url, data).status_code == 403
    assert (
        client.post(f"/admin/accounts/user/{administrator.pk}/password/", NEW_PASSWORD).status_code
        == 403
    )
    administrator.refresh_from_db()
    assert administrator.email == "admin@example.com"
    assert not administrator.check_password(NEW_PASSWORD["password1"])


def test_an_administrator_gives_roles_but_makes_no_superuser(client, administrator, agent):
    client.force_login(administrator)
    response = raise_self(client, administrator)
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser

    url = f"/admin/accounts/user/{agent.pk}/change/"
    data = page_data(client.get(url))
    data["groups"] = [str(Group.objects.get(name="technician").pk)]
    assert client.post(url, data).status_code == 302
    assert list(agent.groups.values_list("name", flat=True)) == ["technician"]
    password_url = f"/admin/accounts/user/{agent.pk}/password/"
    assert client.post(password_url, NEW_PASSWORD).status_code == 302
    agent.refresh_from_db()
    assert agent.check_password(NEW_PASSWORD["password1"])


def test_only_a_superuser_changes_a_superuser(client, administrator):
    root = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(administrator)
    assert client.post(f"/admin/accounts/user/{root.pk}/password/", NEW_PASSWORD).status_code == 403
    assert (
        client.post(
            f"/admin/accounts/user/{root.pk}/change/", {"email": "x@example.com"}
        ).status_code
        == 403
    )

    client.force_login(root)
    response = raise_self(client, administrator)
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.is_superuser
