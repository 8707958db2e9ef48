"""Carrier investigations (issue 9): agents and reception record them by default, staff read
them and the labels. Given once: then the administrators' data (issue 7, item 6)."""

from django.db import migrations

from aftersales.accounts.roles import role_permissions_grant_defaults

# "view": the admin's view of every repairs model, the new ones (labels, investigations)
# included; given again, it adds only what is missing.
DEFAULTS = {
    "reception": ("investigate_parcel", "view"),
    "technician": ("view",),
    "agent": ("investigate_parcel", "view"),
    "analyst": ("view",),
    "administrator": ("investigate_parcel", "view", "add", "change", "delete"),
}


def grant(apps, schema_editor):
    role_permissions_grant_defaults(
        apps, {role: {"repairs": actions} for role, actions in DEFAULTS.items()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0007_labels_and_investigations"),
        ("accounts", "0004_default_role_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
