"""The admin shows offerings, batches and plans; plans and their ledger are read-only there."""

from __future__ import annotations

import pytest

from aftersales.plans.services import activation_codes_generate


@pytest.mark.parametrize(
    "model",
    ["salesregion", "offering", "activationcodebatch", "activationcode", "plan", "planevent"],
)
def test_every_plans_list_opens(admin_client, plan, offering, model):
    activation_codes_generate(offering=offering, country="FR", quantity=2)

    assert admin_client.get(f"/admin/plans/{model}/").status_code == 200


def test_a_plan_opens_with_its_ledger_and_cannot_be_added(admin_client, plan):
    assert admin_client.get(f"/admin/plans/plan/{plan.pk}/change/").status_code == 200
    assert admin_client.get("/admin/plans/plan/add/").status_code == 403
    assert admin_client.get("/admin/plans/planevent/add/").status_code == 403


def test_an_offering_opens_with_its_fees(admin_client, offering):
    assert admin_client.get(f"/admin/plans/offering/{offering.pk}/change/").status_code == 200
