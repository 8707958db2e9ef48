"""The catalogue of the seeds for the demo (`manage.py load_demo`): product lines with where their
serial numbers are (FAQ 12), models, components (FAQ 4, 7), service zones and repair centres
(seed 001). Created by natural key and never overwritten: an entry edited since stays edited."""

from __future__ import annotations

from dataclasses import dataclass

from .choices import ModelKind
from .models import Component, ProductLine, ProductModel, RepairCentre, ServiceZone

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


def load_catalog_demo(created: dict[str, int]) -> dict[str, ProductModel]:
    """Creates what is missing; counts it in `created`; returns the models by code."""
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
        centre, new = RepairCentre.objects.get_or_create(
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
        _parcels_configure(centre)
    return models


# The demo centres' calendars and carrier accounts (issue 9): the time zone of each, and a range
# of made-up UPS numbers (shipper 999AA1, UPS's own example) so that labels are made here.
CENTRE_TIME_ZONES = {
    "NL": "Europe/Amsterdam",
    "US": "America/Los_Angeles",
    "AU": "Australia/Sydney",
}


def _parcels_configure(centre: RepairCentre) -> None:
    """Once per centre: a demo database loaded before the parcels came gets them too; what an
    administrator changed afterwards is left alone."""
    if centre.tracking_range_first is not None:
        return
    centre.time_zone = CENTRE_TIME_ZONES.get(str(centre.country.code), centre.time_zone)
    centre.carrier_name = "UPS"
    centre.tracking_number_format = "UPS"
    centre.tracking_number_prefix = "1Z999AA101"
    centre.tracking_range_first = 1
    centre.tracking_range_last = 9999999
    centre.tracking_url_template = "https://www.ups.com/track?loc=fr_FR&tracknum={number}"
    centre.save()
