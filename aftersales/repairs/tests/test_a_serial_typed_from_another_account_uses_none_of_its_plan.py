"""The plan follows the unit (FAQ 10) into the account that holds it: a customer who types the
serial number of a unit in another account (audit: Bob typing Alice's) neither sees that
account's plan on the purchase step nor gets it on the request — no plan replacement, no
Express under it. The unit's owner still does."""

from __future__ import annotations

import pytest

from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import post_step, step_url

pytestmark = pytest.mark.django_db

PROBLEMS = {"problems": ["gimbal_camera"], "description": "x", "support_contacted": "on"}
PURCHASE = {"purchase_channel": "authorised_dealer", "received_on": "2024-01-02", "has_plan": "on"}


def walk_to_purchase(client, user, europe, serial: str) -> RepairRequest:
    draft = RepairRequest.objects.create(user=user, zone=europe, country="FR")
    assert (
        post_step(client, draft, "product", {"way": "serial", "serial": serial}).status_code == 302
    )
    post_step(client, draft, "service", {"service_type": "repair"})
    post_step(client, draft, "problems", PROBLEMS)
    return draft


def test_another_account_neither_sees_nor_uses_the_plan(
    other_client, other_customer, europe, repair_centre, mine, plan
):
    draft = walk_to_purchase(other_client, other_customer, europe, mine.serial_number)
    page = other_client.get(step_url(draft, "purchase")).content.decode()
    assert plan.offering.name_en not in page
    post_step(other_client, draft, "purchase", PURCHASE)
    draft.refresh_from_db()
    assert draft.plan_id is None


def test_the_units_owner_sees_and_uses_it(
    customer_client, customer, europe, repair_centre, mine, plan
):
    draft = walk_to_purchase(customer_client, customer, europe, mine.serial_number)
    page = customer_client.get(step_url(draft, "purchase")).content.decode()
    assert plan.offering.name_en in page
    post_step(customer_client, draft, "purchase", PURCHASE)
    draft.refresh_from_db()
    assert draft.plan_id == plan.pk
