"""The demo's registry of units (`manage.py load_demo`): a few hundred devices of the seeds'
models, the same on every run, the customers' own products and a few new units in the repair
centre's stock (for plan replacements). Never overwritten."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from aftersales.catalog.demo import MODELS
from aftersales.catalog.models import Component, ProductModel

from .models import ComponentSerial, Device

DEVICE_COUNT = 300
SEED = 2026


@dataclass(frozen=True)
class OwnedDevice:
    owner: str
    serial_number: str
    model: str
    country: str
    activated_ago: timedelta | None
    gimbal_serial: str = ""


OWNED_DEVICES = [
    # Activated hours ago: a plan can still be bound to it (FAQ 6, 48 hours).
    OwnedDevice(
        "client@example.com",
        "163CFR0DEMO001",
        "mavic-2-pro",
        "FR",
        timedelta(hours=3),
        gimbal_serial="1V3CFR0DEMO001",
    ),
    OwnedDevice("client@example.com", "2N4MFR0DEMO002", "mavic-mini", "FR", timedelta(days=95)),
    OwnedDevice("client@example.com", "OTPKFR0DEMO003", "osmo-pocket", "FR", None),
    OwnedDevice(
        "customer@example.com", "07DDGB0DEMO001", "phantom-4-pro", "GB", timedelta(days=40)
    ),
    # Bought with DJI Care Refresh in the store (see DEMO_PLANS): Express is offered for it.
    OwnedDevice("customer@example.com", "0K2ZGB0DEMO002", "mavic-2-zoom", "GB", timedelta(days=60)),
    # The units of the workshop demo's cases (aftersales/workshop/demo.py).
    OwnedDevice("client@example.com", "0AXCFR0DEMO004", "spark", "FR", timedelta(days=200)),
    OwnedDevice("lea@example.com", "0AXCFR0DEMO011", "spark", "FR", timedelta(days=500)),
    OwnedDevice("lea@example.com", "07DDFR0DEMO012", "phantom-4-pro", "FR", timedelta(days=420)),
    OwnedDevice("lea@example.com", "OSM1FR0DEMO013", "osmo", "FR", timedelta(days=30)),
    OwnedDevice(
        "jan@example.com",
        "163CNL0DEMO021",
        "mavic-2-pro",
        "NL",
        timedelta(days=150),
        gimbal_serial="1V3CNL0DEMO021",
    ),
    OwnedDevice(
        "jan@example.com", "0AUDNL0DEMO022", "phantom-4-advanced", "NL", timedelta(days=100)
    ),
    OwnedDevice("jan@example.com", "095XNL0DEMO023", "inspire-2", "NL", timedelta(days=400)),
    OwnedDevice(
        "elena@example.com",
        "163DES0DEMO031",
        "mavic-2-zoom",
        "ES",
        timedelta(days=90),
        gimbal_serial="1V3DES0DEMO031",
    ),
    OwnedDevice("elena@example.com", "X5SCES0DEMO032", "zenmuse-x5s", "ES", timedelta(days=540)),
    OwnedDevice("elena@example.com", "P3SEES0DEMO033", "phantom-3-se", "ES", timedelta(days=60)),
]

# New units in the repair centre's stock, in nobody's account and under no plan: what a plan
# replacement hands out (serial number, model). The workshop demo uses the Spark; the others are
# there to type when a demo case reaches "replacing".
STOCK_DEVICES = [
    ("0AXCNL0SPARE01", "spark"),
    ("163DNL0SPARE02", "mavic-2-zoom"),
    ("2N4MNL0SPARE03", "mavic-mini"),
    ("163CNL0SPARE04", "mavic-2-pro"),
]

# Where the registry's other units were bought: mostly the EU, some elsewhere.
_PURCHASE_COUNTRIES = [
    ("FR", 18), ("DE", 16), ("NL", 8), ("ES", 8), ("IT", 8), ("BE", 5), ("PL", 4), ("SE", 3),
    ("AT", 3), ("PT", 2), ("IE", 2), ("DK", 2), ("GB", 8), ("CH", 3), ("NO", 2), ("US", 5),
    ("CA", 1), ("AU", 1), ("HK", 1),
]  # fmt: skip
_SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _random_devices(models: dict[str, ProductModel]) -> list[tuple[Device, str]]:
    """The same units on every run (a fixed seed); activation dates count back from now."""
    rng = random.Random(SEED)
    now = timezone.now()
    countries = [code for code, _ in _PURCHASE_COUNTRIES]
    weights = [weight for _, weight in _PURCHASE_COUNTRIES]
    units = []
    for _ in range(DEVICE_COUNT):
        item = rng.choice(MODELS)
        serial = item.serial_prefix + "".join(rng.choices(_SERIAL_ALPHABET, k=10))
        country = rng.choices(countries, weights)[0]
        roll = rng.random()
        if roll < 0.25:
            activated_at = None  # still in its box
        elif roll < 0.35:
            activated_at = now - timedelta(minutes=rng.randint(5, 48 * 60 - 5))
        else:
            activated_at = now - timedelta(days=rng.randint(3, 720), minutes=rng.randint(0, 1439))
        gimbal = ""
        if item.code.startswith("mavic-2"):
            gimbal = "1V3C" + "".join(rng.choices(_SERIAL_ALPHABET, k=10))
        device = Device(
            serial_number=serial,
            model=models[item.code],
            purchase_country=country,
            activated_at=activated_at,
        )
        units.append((device, gimbal))
    return units


def load_devices_demo(
    models: dict[str, ProductModel], users: dict[str, Any], created: dict[str, int]
) -> list[str]:
    """Creates the units that are missing; returns a few serial numbers in nobody's account."""
    now = timezone.now()
    gimbal = Component.objects.filter(code="gimbal-camera").first()
    units = _random_devices(models)
    for item in OWNED_DEVICES:
        device = Device(
            serial_number=item.serial_number,
            model=models[item.model],
            purchase_country=item.country,
            activated_at=now - item.activated_ago if item.activated_ago else None,
            owner=users[item.owner],
            added_to_account_at=now,
        )
        units.append((device, item.gimbal_serial))
    for serial_number, model_code in STOCK_DEVICES:
        device = Device(
            serial_number=serial_number, model=models[model_code], purchase_country="NL"
        )
        units.append((device, ""))
    existing = set(
        Device.objects.filter(
            serial_number__in=[device.serial_number for device, _ in units]
        ).values_list("serial_number", flat=True)
    )
    new = [(device, g) for device, g in units if device.serial_number not in existing]
    Device.objects.bulk_create([device for device, _ in new])
    created["devices"] += len(new)
    if gimbal is not None:
        # bulk_create does not give back ids everywhere: read them by serial number.
        ids = dict(
            Device.objects.filter(
                serial_number__in=[device.serial_number for device, g in new if g]
            ).values_list("serial_number", "id")
        )
        parts = [
            ComponentSerial(device_id=ids[device.serial_number], component=gimbal, serial_number=g)
            for device, g in new
            if g and device.serial_number in ids
        ]
        ComponentSerial.objects.bulk_create(parts, ignore_conflicts=True)
    stock = {serial_number for serial_number, _ in STOCK_DEVICES}
    return [
        device.serial_number
        for device, _ in units
        if device.owner_id is None and device.serial_number not in stock
    ][:3]
