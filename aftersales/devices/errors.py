"""What the device registry refuses, each with a stable code and a translated message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import ConflictError, DomainError, NotFoundError

DEVICE_UNKNOWN = _("We do not know a device with this serial number.")


class DeviceNotFound(NotFoundError):
    """No device has the serial number a URL names."""

    messages = {"device_unknown": DEVICE_UNKNOWN}


class DeviceExists(ConflictError):
    """A device with this serial number is registered already."""

    messages = {
        "device_exists": _("A device with this serial number is already registered."),
    }


class DeviceRegistrationError(DomainError):
    """A device cannot be registered as asked."""

    messages = {
        "model_unknown": _("We do not know a model with this code."),
    }


class DeviceClaimError(DomainError):
    """A claim ("My products") that cannot be made. `code` is stable (for tests), `message` is
    for the customer, translated."""

    UNKNOWN_SERIAL = "unknown_serial"
    OTHER_ACCOUNT = "other_account"
    ALREADY_YOURS = "already_yours"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"

    messages = {
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

    def __init__(self, code: str, device: Any = None) -> None:
        super().__init__(code)
        self.device = device
