"""Who may open the workshop's pages.

The workshop is for staff in a role of the repair centre: an active staff account holding at
least one of the workshop's permissions (`repairs.*`, given to the roles by repairs' migration
0003 and changed by administrators afterwards). A customer, or a staff account with none of
them, gets the 403 page; an anonymous visitor is sent to log in. Each action then checks its
own permission (`actions.ACTIONS`), and the services check it again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from aftersales.repairs import lifecycle

WORKSHOP_PERMISSIONS: tuple[str, ...] = lifecycle.STAFF_PERMISSIONS


def workshop_member(user: Any) -> bool:
    """Staff in one of the repair centre's roles."""
    return any(lifecycle.staff_may(user, permission) for permission in WORKSHOP_PERMISSIONS)


def may_any(user: Any, permissions: tuple[str, ...]) -> bool:
    return any(lifecycle.staff_may(user, permission) for permission in permissions)


View = Callable[..., HttpResponse]


def workshop_page(view: View) -> View:
    """Log-in first, then staff in a workshop role (403 otherwise)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not workshop_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)
