"""The plans' cast: the EU and Switzerland as sales regions, the Mavic 2 offering sold in both,
and a Mavic 2 Pro bought in France, not activated yet."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind

from .factories import OfferingFactory, SalesRegionFactory


def at(*args: int) -> datetime:
    """An aware datetime in the project's time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime(*args))


# 2026-01-15 10:00 in Amsterdam: the plan's contract date in most tests.
BOUGHT = at(2026, 1, 15, 10, 0)


@pytest.fixture
def eu(db):
    return SalesRegionFactory()


@pytest.fixture
def switzerland(db):
    return SalesRegionFactory(code="ch", name_en="Switzerland", name_fr="Suisse", countries=["CH"])


@pytest.fixture
def mavic_2_pro(db):
    return ProductModelFactory()


@pytest.fixture
def mavic_2_zoom(db):
    return ProductModelFactory(code="mavic-2-zoom", name="Mavic 2 Zoom")


@pytest.fixture
def offering(eu, switzerland, mavic_2_pro, mavic_2_zoom):
    return OfferingFactory(product_models=[mavic_2_pro, mavic_2_zoom], regions=[eu, switzerland])


@pytest.fixture
def device(offering, mavic_2_pro):
    return DeviceFactory(model=mavic_2_pro, purchase_country="FR")


@pytest.fixture
def plan(device, offering):
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=BOUGHT,
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


@pytest.fixture
def spare(mavic_2_pro):
    """A Mavic 2 Pro in the repair centre's stock: registered, no plan, no country."""
    return DeviceFactory(model=mavic_2_pro, purchase_country="")
