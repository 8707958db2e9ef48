"""The `repair_centre` group: repair centres' systems, which may grant a replacement under a plan
through the partner API (`/api/v1/`) for one of their cases. Like `partner`, it has no admin
permission; `manage.py create_api_token --repair-centre` puts an account in it."""

from django.db import migrations

REPAIR_CENTRE_GROUP = "repair_centre"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=REPAIR_CENTRE_GROUP)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=REPAIR_CENTRE_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_default_role_permissions")]

    operations = [migrations.RunPython(create_group, delete_group)]
