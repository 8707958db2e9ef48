"""The staff roles' default permissions in the admin, given once (issue 7, item 6).

Until this migration a post-migrate hook set them on every deployment, erasing what an
administrator had changed. The table is frozen here: a later app grants its own defaults in its
own migration with `accounts.roles.role_permissions_grant_defaults`.
"""

from django.db import migrations

from aftersales.accounts.roles import role_permissions_grant_defaults

DEFAULTS = {
    "administrator": {
        "catalog": ("view", "add", "change", "delete"),
        "devices": ("view", "add", "change", "delete"),
        "accounts": ("view", "add", "change", "delete"),
        "auth": ("view", "add", "change"),
        "repairs": ("view", "add", "change", "delete"),
    },
    "agent": {
        "catalog": ("view",),
        "devices": ("view", "change"),
        "accounts": ("view", "change"),
        "repairs": ("view", "change"),
    },
    "reception": {
        "catalog": ("view",),
        "devices": ("view",),
        "accounts": ("view",),
        "repairs": ("view", "change"),
    },
    "technician": {
        "catalog": ("view",),
        "devices": ("view", "change"),
        "accounts": ("view",),
        "repairs": ("view", "change"),
    },
    "analyst": {"catalog": ("view",), "devices": ("view",), "repairs": ("view",)},
}


def grant_defaults(apps, schema_editor):
    role_permissions_grant_defaults(apps, DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_partner_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0001_initial"),
        ("devices", "0001_initial"),
        ("repairs", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_defaults, migrations.RunPython.noop)]
