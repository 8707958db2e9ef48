"""Every step answers in a bounded number of queries (the benchmark wants each step under
100 ms at p95): no query per address, per device, per model or per component, and the draft read
once with the answers every page looks at (its zone, unit, model, plan and return address)."""

from __future__ import annotations

import pytest

from aftersales.accounts.tests.factories import AddressFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs import steps
from aftersales.repairs.choices import Problem
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer, mine, paris, europe, repair_centre, plan, mavic):
    # Enough rows that a query per row would show.
    for n in range(5):
        AddressFactory(user=customer, full_name=f"Alice {n}")
        DeviceFactory(model=mavic, owner=customer)
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris,
        problems=[Problem.ACCIDENT_DAMAGE], has_plan=True, plan=plan,
    )  # fmt: skip


# The session, the account and the draft with its answers: three queries on every step; then
# what the step itself lists.
STEP_LISTS = {
    "zone": 1,  # the zones
    "product": 4,  # my products; the models; the product lines and their models (FAQ 12)
    "purchase": 3,  # the invoice kept (whether there is one, then it), the unit's plan
    "analysis": 1,  # the flight logs kept
    "shipment": 2,  # the parts the plan covers, the model's components
    "address": 1,  # the address book
    "summary": 2,  # the files kept, the repair centre
}


@pytest.mark.parametrize("slug", [step.slug for step in steps.STEPS])
def test_each_step_page_answers_in_few_queries(
    customer_client, draft, slug, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3 + STEP_LISTS.get(slug, 0)):
        response = customer_client.get(step_url(draft, slug))
    assert response.status_code == 200
