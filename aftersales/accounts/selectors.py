from __future__ import annotations

from django.db.models import QuerySet

from .models import Address, User


def address_list(*, user: User) -> QuerySet[Address]:
    """The user's own addresses: the only way views reach addresses, so nobody sees another's."""
    return Address.objects.filter(user=user)
