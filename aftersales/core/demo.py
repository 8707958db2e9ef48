"""The demo data of the quick start (`manage.py load_demo`): the seeds' catalogue, zones and
repair centres, a few hundred devices, and one login per role.

Everything is created by natural key and never overwritten, so loading it again (on every
`make run`) changes nothing, and a demo password or catalogue entry edited since stays edited.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from aftersales.accounts.choices import Role
from aftersales.accounts.models import User
from aftersales.accounts.services import address_create
from aftersales.catalog.choices import ModelKind
from aftersales.catalog.models import (
    Component,
    ProductLine,
    ProductModel,
    RepairCentre,
    ServiceZone,
)
from aftersales.devices.models import ComponentSerial, Device

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (printed on purpose: demo logins)
DEVICE_COUNT = 300
SEED = 2026

# --- Catalogue (seed 000, FAQ 7 and 12) -----------------------------------------------------

# code: (English, French, has its own serial number, position)
COMPONENTS = {
    "aircraft": ("Aircraft", "Drone", False, 10),
    "handheld-gimbal-camera": (
        "Handheld gimbal and camera",
        "Nacelle portative et caméra",
        False,
        15,
    ),
    # FAQ 4 and 12: the gimbal of a Mavic 2 carries its own serial number.
    "gimbal-camera": ("Gimbal and camera", "Nacelle et caméra", True, 20),
    "battery": ("Battery", "Batterie", False, 30),
    "propellers": ("Propellers", "Hélices", False, 40),
    "remote-controller": ("Remote controller", "Radiocommande", False, 50),
}

_MAVIC_SPARK_FR = (
    "Pour la gamme Mavic et le Spark, le S/N de l'appareil se trouve dans le compartiment de la "
    "batterie. Le S/N devrait uniquement être saisi pendant l'achat de DJI Care."
)
_MAVIC_SPARK_EN = (
    "For the Mavic series and the Spark, the aircraft's S/N is in the battery compartment. "
    "The S/N should only be entered when purchasing DJI Care."
)

# code: (name, where the serial number is in English, in French) — FAQ 12, French verbatim.
LINES = {
    "mavic": (
        "Mavic",
        _MAVIC_SPARK_EN + "\nFor the Mavic 2, the gimbal's serial number is on its shaft.",
        _MAVIC_SPARK_FR
        + "\nPour le Mavic 2, le numéro de série de la nacelle se trouve sur l'axe de celle-ci.",
    ),
    "spark": ("Spark", _MAVIC_SPARK_EN, _MAVIC_SPARK_FR),
    "phantom": (
        "Phantom",
        "For the Phantom 4 Pro series and the Phantom 4 Advanced, the aircraft's S/N is in the "
        "battery compartment. The S/N should only be entered when purchasing DJI Care.\n"
        "For the Phantom 3 SE, the aircraft's S/N is on the back of the aircraft. The gimbal's "
        "is on the gimbal's mounting plate.",
        "Pour la gamme Phantom 4 Pro et le Phantom 4 Advanced, le S/N de l'appareil se trouve "
        "dans le compartiment de la batterie. Le S/N devrait uniquement être saisi pendant "
        "l'achat de DJI Care.\n"
        "Pour le Phantom 3 SE, le S/N de l'appareil se trouve à l'arrière de l'appareil. Celui "
        "de la nacelle se trouve sur la plaque de fixation de la nacelle.",
    ),
    "inspire": (
        "Inspire",
        "For the Inspire 2, the aircraft's S/N is on the aircraft's tail.",
        "Pour l'Inspire 2, le S/N de l'appareil se trouve sur la queue de l'appareil.",
    ),
    "zenmuse": (
        "Zenmuse",
        "For the Zenmuse X4S, X5S and X7 gimbal cameras, the S/N is on the gimbal itself.",
        "Pour les caméras nacelles Zenmuse X4S, X5S et X7, le S/N se trouve sur la nacelle "
        "elle-même.",
    ),
    # Not in the FAQ: where an Osmo's serial number is printed.
    "osmo": ("Osmo", "On the label of the handle.", "Sur l'étiquette de la poignée."),
}

_MAVIC_SPARK = ["aircraft", "gimbal-camera", "battery", "propellers", "remote-controller"]
_PHANTOM = ["aircraft", "gimbal-camera", "propellers", "battery", "remote-controller"]
_INSPIRE = ["aircraft", "propellers", "battery", "remote-controller"]  # cameras apart (FAQ 2)
_ZENMUSE = ["gimbal-camera"]
_OSMO = ["handheld-gimbal-camera", "battery"]


@dataclass(frozen=True)
class DemoModel:
    code: str
    name: str
    line: str
    kind: str
    components: list[str]
    serial_prefix: str  # the first four characters of the model's 14-character serials
    marketing_name: str = ""


MODELS = [
    DemoModel("mavic-2-pro", "Mavic 2 Pro", "mavic", ModelKind.AIRCRAFT, _MAVIC_SPARK, "163C"),
    DemoModel("mavic-2-zoom", "Mavic 2 Zoom", "mavic", ModelKind.AIRCRAFT, _MAVIC_SPARK, "163D"),
    DemoModel(
        "mavic-mini",
        "Mavic Mini",
        "mavic",
        ModelKind.AIRCRAFT,
        _MAVIC_SPARK,
        "2N4M",
        marketing_name="Mavic Mini - The Everyday FlyCam",  # as the guide shows it (seed 001)
    ),
    DemoModel("spark", "Spark", "spark", ModelKind.AIRCRAFT, _MAVIC_SPARK, "0AXC"),
    DemoModel("phantom-4-pro", "Phantom 4 Pro", "phantom", ModelKind.AIRCRAFT, _PHANTOM, "07DD"),
    DemoModel(
        "phantom-4-advanced", "Phantom 4 Advanced", "phantom", ModelKind.AIRCRAFT, _PHANTOM, "0AUD"
    ),
    DemoModel("phantom-3-se", "Phantom 3 SE", "phantom", ModelKind.AIRCRAFT, _PHANTOM, "P3SE"),
    DemoModel("inspire-2", "Inspire 2", "inspire", ModelKind.AIRCRAFT, _INSPIRE, "095X"),
    DemoModel("zenmuse-x4s", "Zenmuse X4S", "zenmuse", ModelKind.GIMBAL_CAMERA, _ZENMUSE, "X4SC"),
    DemoModel("zenmuse-x5s", "Zenmuse X5S", "zenmuse", ModelKind.GIMBAL_CAMERA, _ZENMUSE, "X5SC"),
    DemoModel("zenmuse-x7", "Zenmuse X7", "zenmuse", ModelKind.GIMBAL_CAMERA, _ZENMUSE, "X7CM"),
    DemoModel("osmo", "Osmo", "osmo", ModelKind.HANDHELD, _OSMO, "OSM1"),
    DemoModel("osmo-pocket", "Osmo Pocket", "osmo", ModelKind.HANDHELD, _OSMO, "OTPK"),
]

# --- Service zones and repair centres (seed 001; FAQ 15 for the plan countries) ---------------

EU_COUNTRIES = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]  # fmt: skip

# code: (English, French, countries)
ZONES = {
    "europe": ("Europe", "Europe", [*EU_COUNTRIES, "CH", "NO", "GB", "IS", "LI"]),
    "north-america": ("North America", "Amérique du Nord", ["US", "CA", "MX"]),
    "asia-pacific": (
        "Asia-Pacific",
        "Asie-Pacifique",
        ["AU", "NZ", "JP", "KR", "SG", "HK", "TW", "MY", "TH"],
    ),
    "china": ("Mainland China", "Chine continentale", ["CN"]),
}

# (zone, name, street, postcode, city, country, e-mail, phone)
CENTRES = [
    # The guide's European centre (seed 001).
    ("europe", "DJI REPAIR DEPT", "Bijldorp-Oost 6", "2992LA", "Barendrecht", "NL", "", ""),
    # The others are made up for the demo.
    (
        "north-america",
        "Demo Repair Centre North America",
        "100 Example Avenue",
        "90001",
        "Los Angeles",
        "US",
        "repair-na@example.com",
        "",
    ),
    (
        "asia-pacific",
        "Demo Repair Centre Asia-Pacific",
        "1 Example Street",
        "2000",
        "Sydney",
        "AU",
        "repair-apac@example.com",
        "",
    ),
    (
        "china",
        "Demo Repair Centre China",
        "1 Example Road, Nanshan",
        "518057",
        "Shenzhen",
        "CN",
        "repair-cn@example.com",
        "",
    ),
]

# --- People --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    language: str
    role: str  # a Role value, or "customer"
    is_superuser: bool = False


USERS = [
    DemoUser("client@example.com", "Claire", "Dubois", "fr", "customer"),
    DemoUser("customer@example.com", "Oliver", "Smith", "en", "customer"),
    DemoUser("admin@example.com", "Ada", "Admin", "en", Role.ADMINISTRATOR, is_superuser=True),
    DemoUser("agent@example.com", "Sam", "Agent", "en", Role.AGENT),
    DemoUser("reception@example.com", "Rémi", "Reception", "fr", Role.RECEPTION),
    DemoUser("technician@example.com", "Tess", "Technician", "en", Role.TECHNICIAN),
    DemoUser("analyst@example.com", "Ana", "Analyst", "en", Role.ANALYST),
]

# email: (full name, street, postcode, city, country, phone)
ADDRESSES = {
    "client@example.com": (
        "Claire Dubois",
        "12 rue de la Paix",
        "75002",
        "Paris",
        "FR",
        "+33 6 12 34 56 78",
    ),
    "customer@example.com": (
        "Oliver Smith",
        "221B Baker Street",
        "NW1 6XE",
        "London",
        "GB",
        "+44 20 7946 0958",
    ),
}


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
]

# Plans sold with the device in the store (FAQ 11: already bound), bought the day it was
# activated: (serial number, offering).
DEMO_PLANS = [
    ("2N4MFR0DEMO002", "care-refresh-mavic-mini"),
    ("0K2ZGB0DEMO002", "care-refresh-mavic-2"),
]
# Activation cards to try "Activate a plan" on the Mavic 2 Pro activated three hours ago.
DEMO_CARDS = ("care-refresh-mavic-2", "FR", 3)

# Where the registry's other units were bought: mostly the EU, some elsewhere.
_PURCHASE_COUNTRIES = [
    ("FR", 18), ("DE", 16), ("NL", 8), ("ES", 8), ("IT", 8), ("BE", 5), ("PL", 4), ("SE", 3),
    ("AT", 3), ("PT", 2), ("IE", 2), ("DK", 2), ("GB", 8), ("CH", 3), ("NO", 2), ("US", 5),
    ("CA", 1), ("AU", 1), ("HK", 1),
]  # fmt: skip
_SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class DemoSummary:
    created: dict[str, int]
    logins: list[tuple[str, str, str]]  # (e-mail, password, role)
    free_serials: list[str]  # unowned units a customer can add to try "My products"
    plans: dict[str, int]  # what the plans app's demo holds (regions, offerings)
    cards: list[str] = field(default_factory=list)  # unused activation codes to try


def _catalogue(created: dict[str, int]) -> dict[str, ProductModel]:
    components = {}
    for code, (name_en, name_fr, has_serial, position) in COMPONENTS.items():
        components[code], new = Component.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_fr": name_fr,
                "has_serial_number": has_serial,
                "position": position,
            },
        )
        created["components"] += new
    lines = {}
    for position, (code, (name, where_en, where_fr)) in enumerate(LINES.items()):
        lines[code], new = ProductLine.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "serial_number_location_en": where_en,
                "serial_number_location_fr": where_fr,
                "position": position * 10,
            },
        )
        created["product lines"] += new
    models = {}
    for position, item in enumerate(MODELS):
        model, new = ProductModel.objects.get_or_create(
            code=item.code,
            defaults={
                "name": item.name,
                "marketing_name": item.marketing_name,
                "line": lines[item.line],
                "kind": item.kind,
                "position": position * 10,
            },
        )
        if new:
            model.components.set([components[code] for code in item.components])
        created["models"] += new
        models[item.code] = model
    for position, (code, (name_en, name_fr, countries)) in enumerate(ZONES.items()):
        _, new = ServiceZone.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_fr": name_fr,
                "countries": countries,
                "position": position * 10,
            },
        )
        created["service zones"] += new
    zones = {zone.code: zone for zone in ServiceZone.objects.all()}
    for zone_code, name, street, postcode, city, country, email, phone in CENTRES:
        if zone_code not in zones:
            continue
        _, new = RepairCentre.objects.get_or_create(
            name=name,
            zone=zones[zone_code],
            defaults={
                "street": street,
                "postcode": postcode,
                "city": city,
                "country": country,
                "email": email,
                "phone": phone,
            },
        )
        created["repair centres"] += new
    return models


def _people(created: dict[str, int]) -> dict[str, User]:
    users = {}
    groups = {group.name: group for group in Group.objects.all()}
    now = timezone.now()
    for item in USERS:
        user = User.objects.filter(email__iexact=item.email).first()
        if user is None:
            user = User.objects.create_user(
                email=item.email,
                password=DEMO_PASSWORD,
                first_name=item.first_name,
                last_name=item.last_name,
                preferred_language=item.language,
                email_verified_at=now,
                is_staff=item.role != "customer",
                is_superuser=item.is_superuser,
            )
            created["users"] += 1
        if item.role in groups:
            user.groups.add(groups[item.role])
        users[item.email] = user
    for email, (full_name, street, postcode, city, country, phone) in ADDRESSES.items():
        user = users[email]
        if user.addresses.exists():
            continue
        # Through the service, which checks and normalises like the address book does.
        address_create(
            user=user,
            full_name=full_name,
            street=street,
            postcode=postcode,
            city=city,
            country=country,
            phone=phone,
        )
        created["addresses"] += 1
    return users


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


def _devices(
    models: dict[str, ProductModel], users: dict[str, User], created: dict[str, int]
) -> list[str]:
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
    return [device.serial_number for device, _ in units if device.owner_id is None][:3]


@transaction.atomic
def load_demo() -> DemoSummary:
    created: dict[str, int] = dict.fromkeys(
        [
            "components",
            "product lines",
            "models",
            "service zones",
            "repair centres",
            "users",
            "addresses",
            "devices",
            "plans",
        ],
        0,
    )
    models = _catalogue(created)
    # The plans of the FAQ are the plans app's demo data; it builds on the catalogue above.
    from aftersales.plans.demo import load_plans_demo

    plans = load_plans_demo()
    users = _people(created)
    free_serials = _devices(models, users, created)
    created["plans"] = _plans()
    cards = _cards()
    logins = [
        (
            item.email,
            DEMO_PASSWORD,
            "superuser, " + item.role if item.is_superuser else str(item.role),
        )
        for item in USERS
    ]
    return DemoSummary(
        created=created, logins=logins, free_serials=free_serials, plans=plans, cards=cards
    )


def _plans() -> int:
    from aftersales.plans.choices import BindingChannel
    from aftersales.plans.models import Offering, PlanDevice
    from aftersales.plans.services import plan_bind

    made = 0
    for serial_number, offering_code in DEMO_PLANS:
        device = Device.objects.filter(serial_number=serial_number).first()
        offering = Offering.objects.filter(code=offering_code).first()
        if device is None or offering is None or PlanDevice.objects.filter(device=device).exists():
            continue
        plan_bind(
            serial_number=serial_number,
            offering=offering,
            purchase_country=str(device.purchase_country),
            purchased_at=device.activated_at,
            channel=BindingChannel.STORE_WITH_DEVICE,
        )
        made += 1
    return made


def _cards() -> list[str]:
    from aftersales.plans.models import ActivationCode, Offering
    from aftersales.plans.services import activation_codes_generate

    offering_code, country, quantity = DEMO_CARDS
    offering = Offering.objects.filter(code=offering_code).first()
    if offering is None:
        return []
    unused = ActivationCode.objects.filter(
        offering=offering, batch__country=country, used_at__isnull=True
    )
    if not unused.exists():
        activation_codes_generate(offering=offering, country=country, quantity=quantity)
    return [code.formatted for code in unused.order_by("id")[:quantity]]
