"""The wizard tests' cast: Europe served from Barendrecht (and North America, which serves the
US), a Mavic 2 Pro with the parts of FAQ 7, a Zenmuse X5S (a camera: nothing flies), Alice's
own Mavic 2 Pro, her address in Paris and one in New York (outside Europe).

Import the fixtures into a test module with `from .wizard_cast import *`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.accounts.tests.factories import AddressFactory
from aftersales.catalog.choices import ModelKind
from aftersales.catalog.tests.factories import (
    ComponentFactory,
    ProductLineFactory,
    ProductModelFactory,
    RepairCentreFactory,
    ServiceZoneFactory,
)
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory
from aftersales.repairs.choices import (
    AbnormalCondition,
    AccidentCause,
    FlightEnvironment,
    Problem,
    PurchaseChannel,
    RequestStatus,
    ServiceType,
    Shipment,
)
from aftersales.repairs.models import RepairRequest

__all__ = [
    "answer_every_step",
    "components",
    "europe",
    "mavic",
    "mine",
    "new_york",
    "north_america",
    "offering",
    "paris",
    "plan",
    "post_step",
    "repair_centre",
    "step_url",
    "zenmuse",
]


@pytest.fixture
def europe(db):
    return ServiceZoneFactory()  # FR, NL, DE, BE, ES, IT


@pytest.fixture
def north_america(db):
    return ServiceZoneFactory(
        code="north-america", name_en="North America", name_fr="Amérique du Nord", countries=["US"]
    )


@pytest.fixture
def repair_centre(europe):
    return RepairCentreFactory(zone=europe)


@pytest.fixture
def components(db):
    return {
        "aircraft": ComponentFactory(code="aircraft", name_en="Aircraft", position=10),
        "gimbal-camera": ComponentFactory(
            code="gimbal-camera", name_en="Gimbal and camera", position=20
        ),
        "battery": ComponentFactory(code="battery", name_en="Battery", position=30),
        "propellers": ComponentFactory(code="propellers", name_en="Propellers", position=40),
        "remote-controller": ComponentFactory(
            code="remote-controller", name_en="Remote controller", position=50
        ),
    }


@pytest.fixture
def mavic(components):
    model = ProductModelFactory()  # Mavic 2 Pro, an aircraft
    model.components.set(components.values())
    return model


@pytest.fixture
def zenmuse(components):
    line = ProductLineFactory(code="zenmuse", name="Zenmuse")
    model = ProductModelFactory(
        code="zenmuse-x5s", name="Zenmuse X5S", line=line, kind=ModelKind.GIMBAL_CAMERA
    )
    model.components.set([components["gimbal-camera"]])
    return model


@pytest.fixture
def mine(customer, mavic):
    return DeviceFactory(model=mavic, owner=customer, added_to_account_at=timezone.now())


@pytest.fixture
def offering(mavic, components):
    """DJI Care Refresh (Mavic 2): aircraft, gimbal, battery, propellers; 109 then 149 EUR;
    Express at 49 EUR, sold in the EU."""
    return OfferingFactory(product_models=[mavic])


@pytest.fixture
def plan(mine, offering):
    """Alice's Mavic under a plan bought today with it: active, two replacements left."""
    return plan_bind(
        serial_number=mine.serial_number,
        offering=offering,
        purchase_country="FR",
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


@pytest.fixture
def paris(customer):
    return AddressFactory(user=customer, full_name="Alice Durand")


@pytest.fixture
def new_york(customer):
    return AddressFactory(
        user=customer,
        full_name="Alice Durand (US)",
        street="350 Fifth Avenue",
        postcode="10118",
        city="New York",
        country="US",
        phone="+1 212 736 3100",
    )


def step_url(repair_request: RepairRequest, slug: str) -> str:
    return reverse("repairs:step", args=[repair_request.pk, slug])


def post_step(client, repair_request: RepairRequest, slug: str, data: dict[str, Any], **extra):
    action = extra.pop("action", "next")
    return client.post(step_url(repair_request, slug), {"action": action, **data}, **extra)


def answer_every_step(
    repair_request: RepairRequest,
    *,
    device,
    address,
    problems: list[str] | None = None,
    **overrides: Any,
) -> RepairRequest:
    """A draft with every step answered (as the ORM, not the pages, would leave it)."""
    values: dict[str, Any] = {
        "zone": address_zone(address),
        "country": "FR",
        "device": device,
        "serial_number": device.serial_number,
        "product_model": device.model,
        "service_type": ServiceType.REPAIR,
        "problems": problems or [Problem.GIMBAL_CAMERA.value],
        "description": "The gimbal shakes.",
        "support_contacted": True,
        "purchase_channel": PurchaseChannel.AUTHORISED_DEALER,
        "received_on": date.today() - timedelta(days=30),
        "shipment": Shipment.COMPLETE_SET,
        "return_address": address,
        "current_step": "summary",
    }
    if Problem.ACCIDENT_DAMAGE in values["problems"]:
        values["accident_cause"] = AccidentCause.USER
    values.update(overrides)
    for name, value in values.items():
        setattr(repair_request, name, value)
    repair_request.status = RequestStatus.DRAFT
    repair_request.save()
    return repair_request


def address_zone(address):
    from aftersales.catalog.selectors import zone_for_country

    return zone_for_country(str(address.country))


ANALYSIS_ANSWERS = {
    "data_analysis_requested": "yes",
    "accident_date": "2026-01-10",
    "flight_environment": FlightEnvironment.SEASIDE,
    "abnormal_condition": AbnormalCondition.FALL_WITHOUT_COLLISION,
    "flight_account_email": "alice@example.com",
    "flight_records_synced": "on",
    "video_url": "https://drive.example.com/crash.mp4",
}
