"""The log-in backend: Django's `ModelBackend`, with a user's permissions read with the user.

Every staff page asks what its user may do (the workshop's roles are groups with permissions);
Django reads them with two ORM queries per request (the user's own, then their groups'), after
a third for the user, whose building cost more than the rest of a light page. Same answer, one
plain SQL query on each request: the logged-in user's row with their permissions' names beside
it (`get_user`), kept for the request as Django keeps them (`_perm_cache`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection


def _permissions_sql(user_id: str = "%s", select: str = "ct.app_label, p.codename") -> str:
    # Table names from the models' own metadata; the user's id a parameter, or the column of
    # an enclosing query.
    user = get_user_model()
    return (
        f"SELECT {select} FROM {Permission._meta.db_table} p "  # noqa: S608
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN ("
        f"SELECT up.permission_id FROM {user.user_permissions.through._meta.db_table} up "
        f"WHERE up.user_id = {user_id} "
        f"UNION SELECT gp.permission_id FROM {Group.permissions.through._meta.db_table} gp "
        f"JOIN {user.groups.through._meta.db_table} ug ON ug.group_id = gp.group_id "
        f"WHERE ug.user_id = {user_id})"
    )


@cache
def _user_with_permissions_sql(vendor: str) -> str:
    """The user's row and, in one more column, their permissions' names ("app.codename",
    separated by spaces; NULL for none)."""
    table = get_user_model()._meta.db_table
    aggregate = "string_agg" if vendor == "postgresql" else "group_concat"
    names = _permissions_sql(
        user_id="u.id", select=f"{aggregate}(ct.app_label || '.' || p.codename, ' ')"
    )
    return f"SELECT u.*, ({names}) AS permission_names FROM {table} u WHERE u.id = %s"  # noqa: S608


class PermissionBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The user of a logged-in session, with their permissions (one query, not two)."""
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None
        rows = list(user_model.objects.raw(_user_with_permissions_sql(connection.vendor), [pk]))
        if not rows:
            return None
        user: Any = rows[0]  # with the query's extra column as an attribute
        names = user.permission_names
        del user.permission_names
        if not user.is_superuser:
            # A superuser has every permission: Django's own reading answers for them.
            user._perm_cache = set(names.split()) if names else set()
        return user if self.user_can_authenticate(user) else None

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
