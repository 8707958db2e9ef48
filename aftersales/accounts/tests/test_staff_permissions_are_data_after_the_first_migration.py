"""The staff roles' permissions are given once by a data migration, then belong to the
administrators: a deployment (migrate) never puts back what an administrator changed (issue 7,
item 6)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from aftersales.accounts.choices import Role

pytestmark = pytest.mark.django_db


def codenames(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_a_new_database_has_the_default_permissions_of_each_role():
    technician = codenames(Role.TECHNICIAN)
    assert ("repairs", "change_repairrequest") in technician
    assert ("devices", "change_device") in technician
    assert ("catalog", "change_productmodel") not in technician

    analyst = codenames(Role.ANALYST)
    assert ("repairs", "view_repairrequest") in analyst
    # An analyst reads and annotates; changes nothing in the admin.
    assert not {c for _app, c in analyst if c.split("_", 1)[0] in {"add", "change", "delete"}}

    administrator = codenames(Role.ADMINISTRATOR)
    assert ("catalog", "delete_productmodel") in administrator
    assert ("auth", "change_group") in administrator
    assert ("auth", "delete_group") not in administrator


def test_migrating_again_keeps_what_an_administrator_changed():
    technician = Group.objects.get(name=Role.TECHNICIAN.value)
    removed = Permission.objects.get(content_type__app_label="devices", codename="change_device")
    added = Permission.objects.get(content_type__app_label="catalog", codename="change_component")
    technician.permissions.remove(removed)
    technician.permissions.add(added)

    call_command("migrate", verbosity=0, interactive=False)

    after = codenames(Role.TECHNICIAN)
    assert ("devices", "change_device") not in after
    assert ("catalog", "change_component") in after
