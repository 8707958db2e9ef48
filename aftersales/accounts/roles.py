"""Staff roles and their default permissions in the admin.

The defaults are given once, by data migrations (`accounts/0004_default_role_permissions`, and
later an app's own migration when it adds models): after that the roles' permissions are data that
an administrator changes in the admin, and no deployment puts them back (issue 7, item 6).
"""

from __future__ import annotations

from typing import Any

# A table of defaults: role -> app label -> what the role gets in that app: an action of the admin
# ("view", "add", "change", "delete") on every model, or a permission's codename.
RoleDefaults = dict[str, dict[str, tuple[str, ...]]]


def role_permissions_grant_defaults(apps: Any, defaults: RoleDefaults) -> None:
    """Adds the default permissions to each role's group, from a data migration.

    `apps` is the migration's app registry. The permissions of a model exist only after the
    `post_migrate` that follows its migration, which has not run yet on a new database: they are
    created here first. Permissions are added, never removed, so a role keeps what an
    administrator gave it.
    """
    from django.contrib.auth.management import create_permissions

    labels = {label for apps_of_role in defaults.values() for label in apps_of_role}
    for label in labels:
        app_config = apps.get_app_config(label)
        # create_permissions skips an app without a models module; the migration state's
        # app configs have none.
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = saved

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, apps_of_role in defaults.items():
        group, _created = group_model.objects.get_or_create(name=role)
        for app_label, actions in apps_of_role.items():
            group.permissions.add(
                *[
                    permission
                    for permission in permission_model.objects.filter(
                        content_type__app_label=app_label
                    )
                    # An action of the admin ("view", "change"…) or a permission's codename.
                    if permission.codename in actions
                    or permission.codename.split("_", 1)[0] in actions
                ]
            )
