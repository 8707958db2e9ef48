"""The whole guided request through its pages, step by step as the guide (seed 001) has them:
every step at its own URL, each saving its answers, ending in a case."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from aftersales.repairs.choices import Problem, RequestStatus, Shipment
from aftersales.repairs.models import CaseEvent, RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import ANALYSIS_ANSWERS, post_step, step_url

pytestmark = pytest.mark.django_db


def follow(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def test_a_customer_walks_every_step_and_gets_a_case(
    customer_client, customer, europe, repair_centre, mine, paris
):
    response = customer_client.get(reverse("repairs:start"))
    draft = RepairRequest.objects.get(user=customer)
    assert follow(response) == step_url(draft, "zone")

    page = customer_client.get(step_url(draft, "zone"))
    assert page.status_code == 200
    # The address book's country is offered first.
    assert 'value="FR" selected' in page.content.decode()

    assert follow(
        post_step(customer_client, draft, "zone", {"zone": europe.pk, "country": "FR"})
    ) == step_url(draft, "product")
    assert customer_client.get(step_url(draft, "product")).status_code == 200
    assert follow(
        post_step(customer_client, draft, "product", {"way": "mine", "my_device": mine.pk})
    ) == step_url(draft, "service")
    assert customer_client.get(step_url(draft, "service")).status_code == 200
    assert follow(
        post_step(customer_client, draft, "service", {"service_type": "repair"})
    ) == step_url(draft, "problems")
    assert customer_client.get(step_url(draft, "problems")).status_code == 200
    assert follow(
        post_step(
            customer_client,
            draft,
            "problems",
            {
                "problems": [Problem.ACCIDENT_DAMAGE, Problem.GIMBAL_CAMERA],
                "description": "Crashed into a tree.",
                "support_contacted": "on",
            },
        )
    ) == step_url(draft, "purchase")
    assert customer_client.get(step_url(draft, "purchase")).status_code == 200
    assert follow(
        post_step(
            customer_client,
            draft,
            "purchase",
            {"purchase_channel": "authorised_dealer", "received_on": "2026-01-02"},
        )
    ) == step_url(draft, "cause")
    assert customer_client.get(step_url(draft, "cause")).status_code == 200
    assert follow(
        post_step(customer_client, draft, "cause", {"accident_cause": "product"})
    ) == step_url(draft, "analysis")
    assert customer_client.get(step_url(draft, "analysis")).status_code == 200
    assert follow(post_step(customer_client, draft, "analysis", ANALYSIS_ANSWERS)) == step_url(
        draft, "shipment"
    )
    page = customer_client.get(step_url(draft, "shipment"))
    assert page.status_code == 200
    assert follow(
        post_step(
            customer_client,
            draft,
            "shipment",
            {
                "shipment": Shipment.DEFECTIVE_COMPONENT,
                "component": mine.model.components.get(code="gimbal-camera").pk,
            },
        )
    ) == step_url(draft, "address")
    assert customer_client.get(step_url(draft, "address")).status_code == 200
    assert follow(
        post_step(customer_client, draft, "address", {"return_address": paris.pk})
    ) == step_url(draft, "summary")
    summary = customer_client.get(step_url(draft, "summary"))
    assert summary.status_code == 200
    html = summary.content.decode()
    assert "Bijldorp-Oost 6" in html
    assert "50 EUR per hour" in html

    response = customer_client.post(
        reverse("repairs:submit", args=[draft.pk]), {"terms_accepted": "on"}
    )
    case = RepairRequest.objects.get(pk=draft.pk)
    assert case.status == RequestStatus.SUBMITTED
    assert re.match(r"^CAS-\d{7}-[A-Z0-9]{6}$", case.case_number)
    assert follow(response) == reverse("repairs:confirmation", args=[case.case_number])
    assert case.repair_centre == repair_centre
    assert case.return_address_snapshot["city"] == "Paris"
    assert case.data_analysis_requested
    assert CaseEvent.objects.filter(request=case, status=RequestStatus.SUBMITTED).count() == 1
    page = customer_client.get(reverse("repairs:confirmation", args=[case.case_number]))
    assert case.case_number in page.content.decode()
    print(case.coverage, len(mail.outbox))
