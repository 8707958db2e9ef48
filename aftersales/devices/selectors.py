"""Reads of the device registry, always scoped to what the reader may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ComponentSerial, Device, normalize_serial_number


def devices_of(user: Any) -> QuerySet[Device]:
    """The customer's products, newest first, with what the list shows."""
    return (
        Device.objects.filter(owner=user)
        .select_related("model__line")
        .order_by("-added_to_account_at", "serial_number")
    )


def device_of(user: Any, serial_number: str) -> Device:
    """One of the customer's products; Device.DoesNotExist for anybody else's (or none)."""
    return devices_of(user).get(serial_number=normalize_serial_number(serial_number))


def component_serials_of(device: Device) -> QuerySet[ComponentSerial]:
    """The serial numbers fitted on the unit's parts, the removed ones kept as history."""
    return device.component_serials.select_related("component").order_by(
        "component__position", "-removed_at", "-installed_at"
    )
