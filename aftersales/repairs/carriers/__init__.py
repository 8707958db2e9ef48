"""Carriers behind one interface (`base.Carrier`): which integration a repair centre uses is
configuration (`settings.PARCEL_CARRIERS`, `RepairCentre.carrier`). The default, "own", needs no
network: see `own_account`."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from aftersales.catalog.models import RepairCentre

from .base import Carrier, Label, Parcel, TrackingNumberInvalid, TrackingNumbersExhausted

__all__ = [
    "Carrier",
    "Label",
    "Parcel",
    "TrackingNumberInvalid",
    "TrackingNumbersExhausted",
    "carrier_for",
]

DEFAULT_CARRIER = "own"


def carrier_for(centre: RepairCentre | None) -> Carrier:
    """The carrier integration of `centre` (the default one for a case without a centre)."""
    key = centre.carrier if centre is not None else DEFAULT_CARRIER
    path = settings.PARCEL_CARRIERS.get(key) or settings.PARCEL_CARRIERS[DEFAULT_CARRIER]
    carrier_class = import_string(path)
    carrier: Carrier = carrier_class(centre=centre, key=key)
    return carrier
