"""What a customer does with the products in their account: add one by its serial number, take
one out. Claims are locked on the device row so that two accounts never both get a unit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.ratelimit import FailureLimit

from .models import Device, normalize_serial_number

# Failed claims a customer may make per window before being told to wait: enough for typos,
# too few to walk through serial numbers and learn which ones exist.
CLAIM_FAILURE_LIMIT = 20
CLAIM_FAILURE_WINDOW = 60 * 60  # seconds


class DeviceClaimError(Exception):
    """A claim that cannot be made. `code` is stable (for the API and tests), `message` is for
    the customer, translated."""

    UNKNOWN_SERIAL = "unknown_serial"
    OTHER_ACCOUNT = "other_account"
    ALREADY_YOURS = "already_yours"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"

    MESSAGES = {
        UNKNOWN_SERIAL: _(
            "We don't know this serial number. Check it — see where to find it below."
        ),
        # Says nothing about the other account: not its e-mail, not its name, not since when.
        OTHER_ACCOUNT: _(
            "This product is already registered to another account. "
            "If it is yours, contact support."
        ),
        ALREADY_YOURS: _("This product is already in your account."),
        RATE_LIMITED: _(
            "Too many serial numbers were not recognised. Please wait an hour and try again, "
            "or contact support."
        ),
        INVALID: _("Enter the serial number: letters and digits only."),
    }

    def __init__(self, code: str, device: Device | None = None) -> None:
        self.code = code
        self.device = device
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code])


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
