"""Each step of the guide is shown only when it applies: the cause and the flight data analysis
after accident damage (the analysis only for something that flies), Express only with a plan
that offers it and can still replace."""

from __future__ import annotations

import pytest

from aftersales.repairs import steps
from aftersales.repairs.choices import Problem
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step, post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def shown(repair_request: RepairRequest) -> list[str]:
    return [step.slug for step in steps.steps_for(repair_request)]


def test_without_accident_damage_neither_cause_nor_analysis_is_shown(customer_client, draft):
    assert shown(draft) == ["zone", "product", "service", "problems", "purchase", "shipment",
                            "address", "summary"]  # fmt: skip
    response = customer_client.get(step_url(draft, "cause"))
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "summary")


def test_accident_damage_brings_the_cause_and_the_analysis_for_an_aircraft(customer_client, draft):
    response = post_step(
        customer_client, draft, "problems",
        {"problems": [Problem.ACCIDENT_DAMAGE], "support_contacted": "on"},
    )  # fmt: skip

    draft.refresh_from_db()
    assert shown(draft)[4:7] == ["purchase", "cause", "analysis"]
    assert response["Location"] == step_url(draft, "purchase")
    response = post_step(
        customer_client, draft, "purchase",
        {"purchase_channel": "authorised_dealer", "received_on": "2026-01-02"},
    )  # fmt: skip
    assert response["Location"] == step_url(draft, "cause")


def test_a_camera_gets_the_cause_but_no_flight_data_analysis(draft, zenmuse):
    draft.product_model = zenmuse
    draft.problems = [Problem.ACCIDENT_DAMAGE]
    assert "cause" in shown(draft)
    assert "analysis" not in shown(draft)


def test_no_thanks_completes_the_analysis_step_but_a_request_needs_every_starred_field(draft):
    draft.problems = [Problem.ACCIDENT_DAMAGE]
    analysis = steps.STEPS_BY_SLUG["analysis"]
    assert analysis.is_complete(draft)
    draft.data_analysis_requested = True
    assert not analysis.is_complete(draft)
    draft.accident_date = draft.received_on
    draft.flight_environment = "city"
    draft.abnormal_condition = "fall"
    draft.flight_account_email = "alice@example.com"
    assert not analysis.is_complete(draft)  # « J'ai synchronisé mes données de vol » missing
    draft.flight_records_synced = True
    assert analysis.is_complete(draft)


def test_express_is_offered_with_a_plan_that_has_it(draft, plan):
    assert "express" not in shown(draft)  # the plan is not ticked
    draft.has_plan, draft.plan = True, plan
    assert "express" in shown(draft)


def test_express_is_not_offered_when_the_offering_has_none(draft, plan):
    plan.offering.express_offered = False
    plan.offering.save()
    draft.has_plan, draft.plan = True, plan
    assert "express" not in shown(draft)


def test_express_is_not_offered_when_no_replacement_is_left(draft, plan):
    plan.replacements_used = plan.replacements_allowed
    plan.save()
    draft.has_plan, draft.plan = True, plan
    assert "express" not in shown(draft)


def test_express_is_not_offered_once_the_plan_has_expired(draft, plan):
    plan.starts_on = plan.starts_on.replace(year=plan.starts_on.year - 2)
    plan.ends_on = plan.ends_on.replace(year=plan.ends_on.year - 2)
    plan.save()
    draft.has_plan, draft.plan = True, plan
    assert "express" not in shown(draft)


def test_a_later_step_waits_for_the_earlier_answers(customer_client, customer):
    draft = RepairRequest.objects.create(user=customer, current_step="zone")
    response = customer_client.get(step_url(draft, "address"))
    assert response["Location"] == step_url(draft, "zone")
