"""What each staff role may do in the admin. One table, kept in code, applied after migrate."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .choices import Role

# app label -> the actions a role gets on every model of that app.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.ADMINISTRATOR: {
        "catalog": ("view", "add", "change", "delete"),
        "devices": ("view", "add", "change", "delete"),
        "accounts": ("view", "add", "change", "delete"),
        "auth": ("view", "add", "change"),
        "repairs": ("view", "add", "change", "delete"),
    },
    Role.AGENT: {
        "catalog": ("view",),
        "devices": ("view", "change"),
        "accounts": ("view", "change"),
        "repairs": ("view", "change"),
    },
    Role.RECEPTION: {
        "catalog": ("view",),
        "devices": ("view",),
        "accounts": ("view",),
        "repairs": ("view", "change"),
    },
    Role.TECHNICIAN: {
        "catalog": ("view",),
        "devices": ("view", "change"),
        "accounts": ("view",),
        "repairs": ("view", "change"),
    },
    Role.ANALYST: {"catalog": ("view",), "devices": ("view",), "repairs": ("view",)},
}


def sync_role_permissions() -> None:
    for role, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, actions in apps.items():
            wanted += [
                perm
                for perm in Permission.objects.filter(content_type__app_label=app_label)
                if perm.codename.split("_", 1)[0] in actions
            ]
        group.permissions.set(wanted)
