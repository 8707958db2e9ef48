"""Staff roles are groups. Their default permissions are given once by migration 0004
(`accounts.roles.role_permissions_grant_defaults`)."""

from django.db import migrations

ROLES = ["agent", "reception", "technician", "analyst", "administrator"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
