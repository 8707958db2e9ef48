"""The repair centre's cast for the partner API: the plans' cast (regions, the Mavic 2 offering,
a Mavic 2 Pro bought in France), a store, a repair centre, a plan bought yesterday, and a
submitted case about the plan's unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.api import PARTNER_GROUP, REPAIR_CENTRE_GROUP
from aftersales.devices.models import Device
from aftersales.plans.choices import BindingChannel
from aftersales.plans.models import Plan
from aftersales.plans.services import plan_bind

# The plans' fixtures and the API's, shared rather than written again.
from aftersales.plans.tests.api.conftest import (  # noqa: F401
    _no_cached_components,
    api,
    partner,
    token_client,
)
from aftersales.plans.tests.conftest import (  # noqa: F401
    device,
    eu,
    mavic_2_pro,
    mavic_2_zoom,
    offering,
    spare,
    switzerland,
)
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.factories import SubmittedCaseFactory


@pytest.fixture
def repair_centre(db):
    """A repair centre's system: in the `partner` and `repair_centre` groups, as
    `create_api_token --repair-centre` makes it."""
    user = UserFactory(email="centre@example.com", first_name="Centre")
    user.groups.add(*Group.objects.filter(name__in=[PARTNER_GROUP, REPAIR_CENTRE_GROUP]))
    return user


@pytest.fixture
def centre_api(repair_centre):
    return token_client(repair_centre)


@pytest.fixture
def current_plan(device, offering) -> Plan:  # noqa: F811
    """Bought yesterday with the device: active today."""
    return plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() - timedelta(days=1),
        channel=BindingChannel.STORE_WITH_DEVICE,
    )


def case_about(unit: Device, **fields) -> RepairRequest:
    """A submitted repair case about this unit, filed from My products."""
    fields.setdefault("device", unit)
    return SubmittedCaseFactory(
        serial_number=unit.serial_number, product_model=unit.model, **fields
    )


@pytest.fixture
def case(current_plan) -> RepairRequest:
    return case_about(current_plan.device, plan=current_plan)
