"""The log-in backend reads a user's permissions (their own and their groups') in one query,
and answers exactly what Django's ModelBackend answers: for a staff member of several roles with
a permission of their own, an inactive one, a customer and a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

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
