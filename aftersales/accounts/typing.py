"""Typing for views behind @login_required, where request.user is our User.

django-stubs types `request.user` as `User | AnonymousUser`: the decorator's check is invisible
to mypy. A view either annotates its request as `AuthenticatedRequest`, or asks
`request_user(request)`, which checks it.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """For type checking: behind @login_required, request.user is our User."""

    user: User


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that @login_required (or an `is_authenticated` check)
    has let through."""
    user = request.user
    assert isinstance(user, User), "only for views behind @login_required"
    return user
