"""Each step's rules at their edges, the message at the field it concerns, and the draft left
as it was when an answer is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.repairs.choices import Problem, Shipment
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import ANALYSIS_ANSWERS, answer_every_step, post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def errors_of(response, field: str) -> list[str]:
    assert response.status_code == 200, response.get("Location")
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def test_a_country_outside_the_zone_is_refused(customer_client, draft, europe, north_america):
    response = post_step(customer_client, draft, "zone", {"zone": europe.pk, "country": "US"})
    assert errors_of(response, "country")
    draft.refresh_from_db()
    assert draft.country == "FR"


def test_the_country_list_follows_the_zone(customer_client, draft, europe, north_america):
    response = customer_client.get(
        step_url(draft, "zone"), {"zone": north_america.pk}, HTTP_HX_REQUEST="true"
    )
    choices = [value for value, _ in response.context["form"].fields["country"].choices]
    assert choices == ["", "US"]


def test_an_unknown_serial_number_is_said_at_the_field_with_where_to_find_it(
    customer_client, draft
):
    response = post_step(customer_client, draft, "product", {"way": "serial", "serial": "NOPE123"})
    assert "We don't know this serial number" in errors_of(response, "serial")[0]
    assert "Where to find the serial number" in response.content.decode()  # FAQ 12


def test_a_typed_serial_number_is_recognised_with_its_model(customer_client, draft, mine):
    response = customer_client.get(
        "/repairs/serial-number/", {"serial": mine.serial_number.lower()}
    )
    assert "Mavic 2 Pro" in response.content.decode()

    response = post_step(
        customer_client, draft, "product", {"way": "serial", "serial": mine.serial_number.lower()}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.device, draft.serial_number, draft.product_model) == (
        mine, mine.serial_number, mine.model)  # fmt: skip


def test_a_model_may_be_chosen_without_serial_number(customer_client, draft, zenmuse):
    response = post_step(customer_client, draft, "product", {"way": "model", "model": zenmuse.pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.device, draft.serial_number, draft.product_model) == (None, "", zenmuse)


def test_a_serial_number_of_another_model_is_refused(customer_client, draft, mine, zenmuse):
    response = post_step(
        customer_client, draft, "product",
        {"way": "model", "model": zenmuse.pk, "model_serial": mine.serial_number},
    )  # fmt: skip
    # Not which model it is: that is for the serial-number way, under its limit.
    assert errors_of(response, "model_serial") == [
        "This serial number is not that of a Zenmuse X5S. Check it, or leave it empty."
    ]


def test_at_least_one_problem_is_needed(customer_client, draft):
    response = post_step(customer_client, draft, "problems", {"support_contacted": "on"})
    assert errors_of(response, "problems") == ["Tick at least one problem."]


def test_contacting_support_first_is_required_to_go_on(customer_client, draft):
    response = post_step(customer_client, draft, "problems", {"problems": [Problem.BATTERY]})
    assert "contact our online support first" in errors_of(response, "support_contacted")[0]
    # The problem that was valid is kept.
    draft.refresh_from_db()
    assert draft.problems == [Problem.BATTERY]


def test_the_date_of_receipt_cannot_be_in_the_future(customer_client, draft):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {"purchase_channel": "authorised_dealer", "received_on": tomorrow.isoformat()}
    assert errors_of(post_step(customer_client, draft, "purchase", data), "received_on") == [
        "This date is in the future."
    ]
    data["received_on"] = timezone.localdate().isoformat()
    assert post_step(customer_client, draft, "purchase", data).status_code == 302


def test_the_plan_found_for_the_serial_is_set_when_ticked(customer_client, draft, plan):
    data = {"purchase_channel": "official_store", "received_on": "2026-01-02", "has_plan": "on"}
    post_step(customer_client, draft, "purchase", data)
    draft.refresh_from_db()
    assert draft.plan == plan
    page = customer_client.get(step_url(draft, "purchase")).content.decode()
    assert "DJI Care Refresh (Mavic 2)" in page
    assert "2 replacements left of 2" in page


def test_a_requested_analysis_needs_every_starred_field(customer_client, draft):
    draft.problems = [Problem.ACCIDENT_DAMAGE]
    draft.accident_cause = "user"
    draft.save()
    response = post_step(customer_client, draft, "analysis", {"data_analysis_requested": "yes"})
    errors = response.context["form"].errors
    assert set(errors) == {"accident_date", "flight_environment", "abnormal_condition",
                           "flight_account_email", "flight_records_synced"}  # fmt: skip

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post_step(
        customer_client, draft, "analysis", {**ANALYSIS_ANSWERS, "accident_date": tomorrow}
    )
    assert errors_of(response, "accident_date") == ["This date is in the future."]
    assert post_step(customer_client, draft, "analysis", ANALYSIS_ANSWERS).status_code == 302


def test_express_needs_the_aircraft_serial_number_of_this_request(customer_client, draft, plan):
    draft.has_plan, draft.plan = True, plan
    draft.save()
    response = post_step(
        customer_client, draft, "express",
        {"express_requested": "yes", "express_serial_number": "0AXCE123456789"},
    )  # fmt: skip
    assert "does not match" in errors_of(response, "express_serial_number")[0]
    draft.refresh_from_db()
    assert draft.express_serial_number == ""

    typed = f" {plan.device.serial_number.lower()} "
    response = post_step(
        customer_client, draft, "express",
        {"express_requested": "yes", "express_serial_number": typed},
    )  # fmt: skip
    assert response["Location"] == step_url(draft, "shipment")
    draft.refresh_from_db()
    assert draft.express_requested and draft.express_serial_number == plan.device.serial_number


def test_a_defective_component_must_be_named(customer_client, draft, components):
    response = post_step(
        customer_client, draft, "shipment", {"shipment": Shipment.DEFECTIVE_COMPONENT}
    )
    assert errors_of(response, "component") == ["Choose the defective component you will send."]
    response = post_step(
        customer_client, draft, "shipment",
        {"shipment": Shipment.DEFECTIVE_COMPONENT, "component": components["battery"].pk},
    )  # fmt: skip
    assert response.status_code == 302


def test_an_address_outside_the_zone_is_shown_disabled_and_refused_when_posted_by_hand(
    customer_client, draft, new_york
):
    page = customer_client.get(step_url(draft, "address")).content.decode()
    assert (
        f'value="{new_york.pk}" id="id_return_address_{new_york.pk}"\n                 disabled'
        in page
    )
    assert "Outside the service zone Europe" in page

    response = post_step(customer_client, draft, "address", {"return_address": new_york.pk})
    assert "Outside the service zone Europe" in errors_of(response, "return_address")[0]
    draft.refresh_from_db()
    assert draft.return_address != new_york


def test_another_customers_address_cannot_be_picked(customer_client, draft, other_customer):
    from aftersales.accounts.tests.factories import AddressFactory

    theirs = AddressFactory(user=other_customer)
    response = post_step(customer_client, draft, "address", {"return_address": theirs.pk})
    assert errors_of(response, "return_address") == ["Choose one of your addresses."]


def test_replacement_gets_the_guides_answer_with_a_ready_email(customer_client, draft, settings):
    response = post_step(customer_client, draft, "service", {"service_type": "replacement"})
    assert response["Location"] == step_url(draft, "service") + "?answer=replacement"
    page = customer_client.get(response["Location"]).content.decode()
    email = settings.AFTERSALES["SUPPORT_EMAIL"]
    assert f"mailto:{email}?subject=Replacement" in page
    assert "Serial%20number%3A%20" + draft.serial_number in page
    assert "The%20gimbal%20shakes." in page
    # The request cannot go further: the service step is the first one to answer.
    assert customer_client.get(step_url(draft, "summary"))["Location"] == step_url(draft, "service")
