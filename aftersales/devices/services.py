"""Changes to the device registry: a partner registers a unit it sold; a customer adds a product
to their account by its serial number, or takes one out. Claims are locked on the device row so
that two accounts never both get a unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.catalog.models import ProductModel
from aftersales.core.ratelimit import FailureLimit

from .errors import DeviceClaimError, DeviceExists, DeviceRegistrationError
from .models import Device, normalize_serial_number

# Failed claims a customer may make per window before being told to wait: enough for typos,
# too few to walk through serial numbers and learn which ones exist.
CLAIM_FAILURE_LIMIT = 20
CLAIM_FAILURE_WINDOW = 60 * 60  # seconds


def _claim_limit() -> FailureLimit:
    # Built on each call so that the limit read is the module's current one.
    return FailureLimit(
        scope="devices:claim-failures", limit=CLAIM_FAILURE_LIMIT, window=CLAIM_FAILURE_WINDOW
    )


def device_claim(*, user: Any, serial_number: str) -> Device:
    """Put the device with this serial number in the customer's account.

    Raises DeviceClaimError: unknown serial, already in another account, already in this one,
    or too many failed attempts.
    """
    if _claim_limit().is_reached(user.pk):
        raise DeviceClaimError(DeviceClaimError.RATE_LIMITED)
    serial_number = normalize_serial_number(serial_number)
    if not serial_number or not serial_number.isalnum():
        raise DeviceClaimError(DeviceClaimError.INVALID)

    with transaction.atomic():
        # The row lock makes a second, simultaneous claim wait and then see the new owner.
        device = Device.objects.select_for_update().filter(serial_number=serial_number).first()
        if device is None:
            error = DeviceClaimError(DeviceClaimError.UNKNOWN_SERIAL)
        elif device.owner_id == user.pk:
            raise DeviceClaimError(DeviceClaimError.ALREADY_YOURS, device)
        elif device.owner_id is not None:
            error = DeviceClaimError(DeviceClaimError.OTHER_ACCOUNT)
        else:
            device.owner = user
            device.added_to_account_at = timezone.now()
            device.save(update_fields=["owner", "added_to_account_at"])
            return device
    _claim_limit().record_failure(user.pk)
    raise error


def device_release(*, user: Any, device: Device) -> None:
    """Take a device out of the customer's account (the unit stays in the registry).

    Raises Device.DoesNotExist when the device is not (or no longer) in this account.
    """
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk, owner=user)
        locked.owner = None
        locked.added_to_account_at = None
        locked.save(update_fields=["owner", "added_to_account_at"])
    device.owner = None
    device.added_to_account_at = None


def device_register(
    *,
    serial_number: str,
    model_code: str,
    purchase_country: str,
    activated_at: datetime | None,
    registered_by: Any,
) -> Device:
    """Adds a unit to the registry, remembering the partner who registered it.

    Raises DeviceRegistrationError (`model_unknown`) or DeviceExists (`device_exists`).
    """
    serial_number = normalize_serial_number(serial_number)
    model = ProductModel.objects.filter(code=model_code).first()
    if model is None:
        raise DeviceRegistrationError("model_unknown")
    if Device.objects.filter(serial_number=serial_number).exists():
        raise DeviceExists("device_exists")
    try:
        with transaction.atomic():
            return Device.objects.create(
                serial_number=serial_number,
                model=model,
                purchase_country=purchase_country,
                activated_at=activated_at,
                registered_by=registered_by,
            )
    except IntegrityError as error:
        # Registered by a simultaneous request between the check and the insert.
        raise DeviceExists("device_exists") from error
