"""`POST /api/v1/plans/{reference}/replacements`: a repair centre grants a replacement under a
plan (FAQ 1, 3, 10), for a submitted case about the unit the plan covers now."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel, PlanEventKind
from aftersales.plans.models import Plan, PlanEvent
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.api.conftest import assert_refused
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.services import case_replacement_grant

from .conftest import case_about


@pytest.fixture
def stock(mavic_2_pro):
    """Two Mavic 2 Pro in the repair centre's stock."""
    return DeviceFactory.create_batch(2, model=mavic_2_pro, purchase_country="")


def grant(client, plan, new_serial_number, case_number, **fields):
    reference = plan.reference if isinstance(plan, Plan) else plan
    return client.post(
        f"/api/v1/plans/{reference}/replacements",
        {
            "new_serial_number": new_serial_number,
            "reason": "Crashed into a tree",
            "case_number": case_number,
            **fields,
        },
        format="json",
    )


def test_a_replacement_is_granted_for_the_case_and_the_plan_follows_the_new_unit(
    centre_api, device, current_plan, case, stock
):
    new = stock[0]

    response = grant(centre_api, current_plan, new.serial_number.lower(), case.case_number)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "plan": str(current_plan.reference),
        "kind": "replacement_granted",
        "occurred_at": body["occurred_at"],
        "replacement_number": 1,
        "fee": {"amount": "109.00", "currency": "EUR"},
        "old_serial_number": device.serial_number,
        "new_serial_number": new.serial_number,
        "case_number": case.case_number,
        "reason": "Crashed into a tree",
    }
    assert body["occurred_at"].endswith("Z")
    current_plan.refresh_from_db()
    assert current_plan.device == new
    assert current_plan.replacements_used == 1
    event = current_plan.events.get(kind=PlanEventKind.REPLACEMENT_GRANTED)
    assert event.case_number == case.case_number


def test_coverage_shows_one_replacement_less_and_the_second_fee_after_a_replacement(
    centre_api, current_plan, case, stock
):
    grant(centre_api, current_plan, stock[0].serial_number, case.case_number)

    plan = centre_api.get(f"/api/v1/devices/{stock[0].serial_number}/coverage").json()["plan"]

    assert plan["reference"] == str(current_plan.reference)
    assert plan["replacements_used"] == 1
    assert plan["replacements_left"] == 1
    assert plan["next_fee"] == {"amount": "149.00", "currency": "EUR"}


def test_each_replacement_needs_a_case_about_the_unit_of_the_moment_and_a_third_is_refused(
    centre_api, current_plan, case, stock, mavic_2_pro
):
    assert grant(centre_api, current_plan, stock[0].serial_number, case.case_number).status_code
    second_case = case_about(stock[0])
    second = grant(centre_api, current_plan, stock[1].serial_number, second_case.case_number)
    assert second.status_code == 201, second.content
    assert second.json()["fee"] == {"amount": "149.00", "currency": "EUR"}

    third_case = case_about(stock[1])
    third = DeviceFactory(model=mavic_2_pro, purchase_country="")
    assert_refused(
        grant(centre_api, current_plan, third.serial_number, third_case.case_number),
        422,
        "no_replacements_left",
    )


def test_the_same_case_cannot_grant_a_second_replacement(centre_api, current_plan, case, stock):
    assert grant(centre_api, current_plan, stock[0].serial_number, case.case_number).status_code
    # The unit of the case is no longer the plan's: retrying, or reusing the case, gives nothing.
    response = grant(centre_api, current_plan, stock[1].serial_number, case.case_number)

    assert_refused(response, 422, "replaced_unit_not_covered")
    current_plan.refresh_from_db()
    assert current_plan.replacements_used == 1


def test_a_case_about_another_unit_is_refused(centre_api, current_plan, stock, mavic_2_pro):
    other_case = case_about(DeviceFactory(model=mavic_2_pro))

    response = grant(centre_api, current_plan, stock[0].serial_number, other_case.case_number)

    assert_refused(response, 422, "replaced_unit_not_covered")
    assert Plan.objects.get(pk=current_plan.pk).replacements_used == 0


def test_a_case_filed_by_model_without_a_unit_is_refused(centre_api, current_plan, stock):
    by_model = case_about(current_plan.device, device=None)

    response = grant(centre_api, current_plan, stock[0].serial_number, by_model.case_number)

    assert_refused(response, 422, "replaced_unit_not_covered")


@pytest.mark.parametrize("status", [RequestStatus.DRAFT, RequestStatus.CANCELLED])
def test_a_draft_or_a_cancelled_case_is_not_a_case_to_grant_for(
    centre_api, current_plan, stock, status
):
    kept = case_about(current_plan.device, status=status)

    response = grant(centre_api, current_plan, stock[0].serial_number, kept.case_number)

    assert_refused(response, 422, "case_unknown")
    assert Plan.objects.get(pk=current_plan.pk).replacements_used == 0


def test_an_unknown_case_number_is_refused(centre_api, current_plan, stock):
    response = grant(centre_api, current_plan, stock[0].serial_number, "CAS-0000000-AAAAAA")

    assert_refused(response, 422, "case_unknown")


def test_the_case_number_is_required_and_in_its_printed_format(
    centre_api, current_plan, case, stock
):
    for case_number in ["", "C-1001", case.case_number.lower(), f" {case.case_number}"]:
        response = grant(centre_api, current_plan, stock[0].serial_number, case_number)

        assert response.status_code == 400, case_number
        assert set(response.json()) == {"case_number"}
    response = centre_api.post(
        f"/api/v1/plans/{current_plan.reference}/replacements",
        {"new_serial_number": stock[0].serial_number, "reason": "Crash"},
        format="json",
    )
    assert set(response.json()) == {"case_number"}
    assert not PlanEvent.objects.replacements().exists()


def test_a_replacement_after_the_plan_ended_is_refused(centre_api, device, offering, stock):
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        purchased_at=timezone.now() - timedelta(days=400),
        channel=BindingChannel.STORE_SEPARATE,
    )
    old_case = case_about(device)

    assert_refused(
        grant(centre_api, plan, stock[0].serial_number, old_case.case_number), 422, "plan_expired"
    )
    assert Plan.objects.get(pk=plan.pk).replacements_used == 0


def test_an_unregistered_replacement_unit_is_refused(centre_api, current_plan, case):
    assert_refused(
        grant(centre_api, current_plan, "NOPE1234", case.case_number),
        422,
        "replacement_device_unavailable",
    )


def test_a_replacement_unit_of_another_model_is_refused(centre_api, current_plan, case):
    zoom = DeviceFactory(model=ProductModelFactory(code="mavic-2-zoom-x", name="Mavic 2 Zoom"))

    assert_refused(
        grant(centre_api, current_plan, zoom.serial_number, case.case_number),
        422,
        "replacement_model_mismatch",
    )


def test_an_unknown_plan_is_not_found(centre_api, case):
    assert_refused(
        grant(centre_api, uuid.uuid4(), "163DG9R0099999", case.case_number), 404, "plan_unknown"
    )


def test_a_plan_id_is_not_a_reference(centre_api, current_plan, case, stock):
    response = grant(centre_api, current_plan.pk, stock[0].serial_number, case.case_number)

    assert_refused(response, 404, "not_found")


def test_a_replacement_needs_a_unit_a_reason_and_a_case(centre_api, current_plan):
    response = centre_api.post(
        f"/api/v1/plans/{current_plan.reference}/replacements", {}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"new_serial_number", "reason", "case_number"}


def test_a_store_may_not_grant_a_replacement(api, current_plan, case, stock):
    response = grant(api, current_plan, stock[0].serial_number, case.case_number)

    assert_refused(response, 403, "permission_denied")
    assert response.json()["detail"] == "Only a repair centre may do this."
    assert Plan.objects.get(pk=current_plan.pk).replacements_used == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (select_for_update) are only tested on PostgreSQL; "
    "run with DATABASE_URL=postgres://…",
)
def test_two_grants_at_once_for_one_case_give_one_replacement(current_plan, case, stock):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(serial_number: str) -> None:
        try:
            barrier.wait(timeout=10)
            try:
                case_replacement_grant(
                    plan_reference=current_plan.reference,
                    case_number=str(case.case_number),
                    new_serial_number=serial_number,
                    reason="Crash",
                )
                outcomes.append("granted")
            except Exception as error:  # the refusal is what is counted
                outcomes.append(getattr(error, "code", repr(error)))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(unit.serial_number,)) for unit in stock]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not [thread for thread in threads if thread.is_alive()]
    assert not errors
    assert sorted(outcomes) == ["granted", "replaced_unit_not_covered"]
    assert Plan.objects.get(pk=current_plan.pk).replacements_used == 1
