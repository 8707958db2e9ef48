"""Demo data of the plan FAQ (seed 000): the sales regions of FAQ 15 and a "DJI Care Refresh"
offering per model family, with the components of FAQ 7 and fees per currency.

`load_plans_demo()` is idempotent and tolerant: it runs after the catalogue demo and skips the
models and components that do not exist.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from aftersales.catalog.demo import EU_COUNTRIES
from aftersales.catalog.models import Component, ProductModel
from aftersales.devices.models import Device

from .choices import BindingChannel
from .models import ActivationCode, Offering, OfferingExpressFee, OfferingFee, PlanDevice
from .services import activation_codes_generate, plan_bind, sales_region_upsert

# FAQ 15: (code, English, French, countries, currency, price factor against EUR).
REGIONS = [
    ("us", "United States", "États-Unis", ["US"], "USD", Decimal("1.1")),
    ("ca", "Canada", "Canada", ["CA"], "CAD", Decimal("1.5")),
    ("eu", "European Union", "Union européenne", EU_COUNTRIES, "EUR", Decimal("1")),
    ("ch", "Switzerland", "Suisse", ["CH"], "CHF", Decimal("1")),
    ("no", "Norway", "Norvège", ["NO"], "NOK", Decimal("11.5")),
    ("gb", "United Kingdom", "Royaume-Uni", ["GB"], "GBP", Decimal("0.85")),
    ("au", "Australia", "Australie", ["AU"], "AUD", Decimal("1.65")),
    ("hk", "Hong Kong", "Hong Kong", ["HK"], "HKD", Decimal("8.6")),
    ("tw", "Taiwan", "Taïwan", ["TW"], "TWD", Decimal("35")),
    ("cn", "Mainland China", "Chine continentale", ["CN"], "CNY", Decimal("7.8")),
]

# FAQ 7, per product line.
DRONE = ["aircraft", "gimbal-camera", "battery", "propellers"]
PHANTOM = ["aircraft", "gimbal-camera", "propellers"]
INSPIRE = ["aircraft", "propellers"]
CAMERA = ["gimbal-camera"]

# (code, name, models, components, binding window hours, EUR fee of replacement 1 and 2,
#  EUR Express fee or None)
OFFERINGS = [
    ("care-refresh-mavic-2", "Mavic 2", ["mavic-2-pro", "mavic-2-zoom"], DRONE, 48,
     ("109", "149"), "49"),
    ("care-refresh-mavic-mini", "Mavic Mini", ["mavic-mini"], DRONE, 48, ("39", "49"), None),
    ("care-refresh-spark", "Spark", ["spark"], DRONE, 48, ("55", "75"), None),
    ("care-refresh-phantom-4-pro", "Phantom 4 Pro", ["phantom-4-pro"], PHANTOM, 48,
     ("129", "179"), None),
    ("care-refresh-phantom-4-advanced", "Phantom 4 Advanced", ["phantom-4-advanced"], PHANTOM,
     48, ("119", "159"), None),
    ("care-refresh-phantom-3-se", "Phantom 3 SE", ["phantom-3-se"], PHANTOM, 48, ("69", "89"),
     None),
    ("care-refresh-inspire-2", "Inspire 2", ["inspire-2"], INSPIRE, 48, ("399", "549"), None),
    ("care-refresh-zenmuse-x4s", "Zenmuse X4S", ["zenmuse-x4s"], CAMERA, 48, ("99", "139"),
     None),
    ("care-refresh-zenmuse-x5s", "Zenmuse X5S", ["zenmuse-x5s"], CAMERA, 48, ("179", "249"),
     None),
    ("care-refresh-zenmuse-x7", "Zenmuse X7", ["zenmuse-x7"], CAMERA, 48, ("399", "549"), None),
    # Handhelds have a longer binding window (30 days).
    ("care-refresh-osmo", "Osmo", ["osmo"], ["handheld-gimbal-camera", "battery"], 720,
     ("29", "39"), None),
]  # fmt: skip


def _price(eur: str, factor: Decimal) -> Decimal:
    return (Decimal(eur) * factor).quantize(Decimal("1"))


@transaction.atomic
def load_plans_demo() -> dict[str, int]:
    """Creates or updates the demo regions and offerings; returns how many of each."""
    regions = {}
    for position, (code, name_en, name_fr, countries, currency, factor) in enumerate(REGIONS):
        region = sales_region_upsert(
            code=code, name_en=name_en, name_fr=name_fr, countries=countries, position=position
        )
        regions[code] = (region, currency, factor)

    models_by_code = {model.code: model for model in ProductModel.objects.all()}
    components_by_code = {component.code: component for component in Component.objects.all()}
    offerings = 0
    for position, (code, family, model_codes, component_codes, window, fees, express) in enumerate(
        OFFERINGS
    ):
        product_models = [models_by_code[c] for c in model_codes if c in models_by_code]
        if not product_models:
            continue
        offering, _ = Offering.objects.update_or_create(
            code=code,
            defaults={
                "name_en": f"DJI Care Refresh ({family})",
                "name_fr": f"DJI Care Refresh ({family})",
                "duration_months": 12,
                "replacements_allowed": 2,
                "binding_window_hours": window,
                "express_offered": express is not None,
                "is_active": True,
                "position": position,
            },
        )
        offering.product_models.set(product_models)
        offering.components.set(
            [components_by_code[c] for c in component_codes if c in components_by_code]
        )
        offering.regions.set([region for region, _, _ in regions.values()])
        for region, currency, factor in regions.values():
            for number, eur in enumerate(fees, start=1):
                OfferingFee.objects.update_or_create(
                    offering=offering,
                    region=region,
                    replacement_number=number,
                    defaults={"amount": _price(eur, factor), "currency": currency},
                )
            if express is not None:
                OfferingExpressFee.objects.update_or_create(
                    offering=offering,
                    region=region,
                    defaults={"amount": _price(express, factor), "currency": currency},
                )
        offerings += 1
    return {"regions": len(regions), "offerings": offerings}


# Plans sold with the device in the store (FAQ 11: already bound), bought the day it was
# activated: (serial number, offering).
DEMO_PLANS = [
    ("2N4MFR0DEMO002", "care-refresh-mavic-mini"),
    ("0K2ZGB0DEMO002", "care-refresh-mavic-2"),
    # Under the workshop demo's cases (aftersales/workshop/demo.py).
    ("0AXCFR0DEMO004", "care-refresh-spark"),
    ("163CNL0DEMO021", "care-refresh-mavic-2"),
    ("163DES0DEMO031", "care-refresh-mavic-2"),
]
# Activation cards to try "Activate a plan" on the Mavic 2 Pro activated three hours ago.
DEMO_CARDS = ("care-refresh-mavic-2", "FR", 3)


def load_demo_plans() -> int:
    """Binds the plans sold with the demo devices; returns how many were made."""

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


def load_demo_cards() -> list[str]:
    """Unused activation cards to try "Activate a plan" with (made when none is left)."""

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
