"""Staff roles are groups. Their permissions are set by `accounts.roles.sync_role_permissions`
after each migrate (so that they follow the models as they grow)."""

from django.db import migrations

ROLES = ["agent", "reception", "technician", "analyst", "administrator"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
