"""Helpers of the parcels' tests: a repair centre whose own carrier account has a range of UPS
tracking numbers, and a submitted case sent to it."""

from __future__ import annotations

from typing import Any

from aftersales.catalog.models import RepairCentre

# 1Z + shipper 999AA1 + service 01 + package 2345678 + check digit 4: UPS's own example.
UPS_EXAMPLE = "1Z999AA10123456784"


def centre_with_range(centre: RepairCentre, **fields: Any) -> RepairCentre:
    """Gives `centre` a range of UPS numbers: 1Z999AA101 + 0000001…9999999 + check digit."""
    values: dict[str, Any] = {
        "carrier": "own",
        "carrier_name": "UPS",
        "tracking_number_format": "UPS",
        "tracking_number_prefix": "1Z999AA101",
        "tracking_number_suffix": "",
        "tracking_range_first": 1,
        "tracking_range_last": 9999999,
        "tracking_range_next": None,
        "tracking_url_template": "https://tracking.example.com/ups?n={number}",
        **fields,
    }
    for name, value in values.items():
        setattr(centre, name, value)
    centre.save()
    return centre
