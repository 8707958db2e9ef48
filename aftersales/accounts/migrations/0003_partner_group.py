"""The `partner` group: the maker's stores and systems that call the partner API (`/api/v1/`).
It has no admin permission; members get a token with `manage.py create_api_token`."""

from django.db import migrations

PARTNER_GROUP = "partner"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=PARTNER_GROUP)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=PARTNER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_staff_roles")]

    operations = [migrations.RunPython(create_group, delete_group)]
