"""The log-in backend: Django's `ModelBackend`, with a user's permissions read in one query.

Every staff page asks what its user may do (the workshop's roles are groups with permissions);
Django reads them with two ORM queries per request (the user's own, then their groups'), whose
building cost more than the rest of a light page. Same answer, one plain SQL query, kept on the
user for the request as Django keeps it (`_perm_cache`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


def _permissions_sql() -> str:
    # Table names from the models' own metadata; the user's id is a parameter.
    user = get_user_model()
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p "  # noqa: S608
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN ("
        f"SELECT up.permission_id FROM {user.user_permissions.through._meta.db_table} up "
        f"WHERE up.user_id = %s "
        f"UNION SELECT gp.permission_id FROM {Group.permissions.through._meta.db_table} gp "
        f"JOIN {user.groups.through._meta.db_table} ug ON ug.group_id = gp.group_id "
        f"WHERE ug.user_id = %s)"
    )


class PermissionBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor.fetchall()}
        return user_obj._perm_cache
