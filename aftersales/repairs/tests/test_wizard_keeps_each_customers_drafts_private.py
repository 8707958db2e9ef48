"""A second customer reaches none of the first one's drafts or cases, by page or by guessing
URLs: every step, resume, submit, the confirmation and the address panel answer 404. Anonymous
visitors are sent to log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.repairs import services, steps
from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


@pytest.fixture
def case(customer, mine, paris, europe, repair_centre):
    draft = answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )
    return services.case_submit(repair_request=draft, user=customer, terms_accepted=True)


def draft_urls(draft: RepairRequest) -> list[str]:
    return [
        *(step_url(draft, step.slug) for step in steps.STEPS),
        reverse("repairs:resume", args=[draft.pk]),
        reverse("repairs:address_panel", args=[draft.pk]),
    ]


def test_another_customer_gets_404_on_every_page_of_a_draft(other_client, draft):
    resume = reverse("repairs:resume", args=[draft.pk])
    for url in draft_urls(draft):
        assert other_client.get(url).status_code == 404, url
        if url != resume:  # GET only
            assert other_client.post(url, {"action": "next"}).status_code == 404, url
    response = other_client.post(
        reverse("repairs:submit", args=[draft.pk]), {"terms_accepted": "on"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft


def test_another_customer_cannot_change_an_address_through_the_panel(other_client, draft, paris):
    response = other_client.post(
        reverse("repairs:address_panel", args=[draft.pk]),
        {"op": "delete", "address": paris.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    paris.refresh_from_db()


def test_a_customer_cannot_delete_anothers_address_through_their_own_panel(
    client, other_customer, paris, europe
):
    theirs = RepairRequest.objects.create(user=other_customer, zone=europe)
    client.force_login(other_customer)
    response = client.post(
        reverse("repairs:address_panel", args=[theirs.pk]),
        {"op": "delete", "address": paris.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    paris.refresh_from_db()  # still there


def test_another_customer_gets_404_on_the_confirmation_and_submit_of_a_case(other_client, case):
    assert (
        other_client.get(reverse("repairs:confirmation", args=[case.case_number])).status_code
        == 404
    )
    assert other_client.post(reverse("repairs:submit", args=[case.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, draft, case):
    urls = [
        reverse("repairs:start"),
        reverse("repairs:recognise_serial"),
        reverse("repairs:confirmation", args=[case.case_number]),
        *draft_urls(draft),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    response = client.post(reverse("repairs:submit", args=[draft.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))
