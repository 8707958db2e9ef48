"""The log-in backend reads a user's permissions (their own and their groups') in one query,
and answers exactly what Django's ModelBackend answers: for a staff member of several roles with
a permission of their own, an inactive one, a customer and a superuser. On each request, the
logged-in user's row and their permissions come in one query together (`get_user`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from aftersales.accounts.backends import PermissionBackend
from aftersales.accounts.models import User
from aftersales.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_staff_member_of_two_roles_with_a_permission_of_their_own(
    django_assert_num_queries,
):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="technician"), Group.objects.get(name="agent"))
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert "accounts.view_user" in expected and len(expected) > 5

    fresh = _fresh(user)
    with django_assert_num_queries(1):
        assert PermissionBackend().get_all_permissions(fresh) == expected
        # Kept for the request, as Django keeps it.
        assert PermissionBackend().has_perm(fresh, "accounts.view_user")
        assert not PermissionBackend().has_perm(fresh, "accounts.delete_user")


def test_a_removed_role_is_gone_at_the_next_request():
    user = UserFactory(is_staff=True)
    technician = Group.objects.get(name="technician")
    user.groups.add(technician)
    assert PermissionBackend().get_all_permissions(_fresh(user))
    user.groups.remove(technician)
    assert PermissionBackend().get_all_permissions(_fresh(user)) == set()


def test_an_inactive_user_a_customer_and_a_superuser():
    inactive = UserFactory(is_staff=True, is_active=False)
    inactive.groups.add(Group.objects.get(name="agent"))
    assert PermissionBackend().get_all_permissions(_fresh(inactive)) == set()
    assert PermissionBackend().get_all_permissions(_fresh(UserFactory())) == set()
    root = User.objects.create_superuser(email="root@example.com", password="pw")
    assert PermissionBackend().get_all_permissions(
        _fresh(root)
    ) == ModelBackend().get_all_permissions(_fresh(root))


def test_a_sessions_user_comes_with_their_permissions_in_one_query(django_assert_num_queries):
    user = UserFactory(is_staff=True, first_name="Zoé")
    user.groups.add(Group.objects.get(name="technician"))
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    expected = ModelBackend().get_all_permissions(_fresh(user))

    with django_assert_num_queries(1):
        loaded = PermissionBackend().get_user(str(user.pk))
        assert loaded == user
        assert (loaded.email, loaded.first_name, loaded.is_staff) == (user.email, "Zoé", True)
        assert PermissionBackend().get_all_permissions(loaded) == expected
        assert loaded.has_perm("accounts.view_user")
        assert not loaded.has_perm("accounts.delete_user")
    assert not hasattr(loaded, "permission_names")  # nothing of the query left on the user


def test_get_user_answers_none_for_what_may_not_log_in_and_all_for_a_superuser():
    backend = PermissionBackend()
    customer = UserFactory()
    assert backend.get_user(str(customer.pk)).get_all_permissions() == set()
    assert backend.get_user(str(UserFactory(is_active=False).pk)) is None
    assert backend.get_user("999999999") is None
    assert backend.get_user("not a number") is None
    root = User.objects.create_superuser(email="root@example.com", password="pw")
    loaded = backend.get_user(root.pk)
    assert loaded.get_all_permissions() == ModelBackend().get_all_permissions(_fresh(root))
    assert loaded.has_perm("accounts.delete_user")


def test_a_role_removed_between_two_requests_closes_the_workshop_at_the_second(client):
    user = UserFactory(is_staff=True)
    technician = Group.objects.get(name="technician")
    user.groups.add(technician)
    client.force_login(user)
    assert client.get(reverse("workshop:dashboard"), secure=True).status_code == 200
    user.groups.remove(technician)
    assert client.get(reverse("workshop:dashboard"), secure=True).status_code == 403
