"""A second customer can reach none of the first one's drafts, cases or files, by page or by
guessing URLs (issue 4, "Done when"): every route of the repairs app answers 404, a POST changes
nothing, and the owner reaches the same pages."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from aftersales.accounts.tests.factories import AddressFactory
from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory
from aftersales.repairs.choices import AttachmentKind, Problem, RequestStatus, Shipment
from aftersales.repairs.models import Attachment, RepairRequest
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory

# Every step of the guide, each at its own URL.
STEPS = [
    "zone",
    "product",
    "service",
    "problems",
    "purchase",
    "cause",
    "analysis",
    "express",
    "shipment",
    "address",
    "summary",
]

# What a curious customer might post to any step of someone else's draft.
TAMPERING = {
    "zone": "",
    "country": "DE",
    "serial_number": "HACKED0000001",
    "service_type": "replacement",
    "problems": [Problem.OTHER.value],
    "description": "changed by someone else",
    "support_contacted": "on",
    "purchase_channel": "other",
    "received_on": "2026-01-01",
    "accident_cause": "user",
    "data_analysis": "no",
    "shipment": Shipment.COMPLETE_SET.value,
    "return_address": "",
    "terms_accepted": "on",
    "action": "next",
}


def attach(repair_request: RepairRequest, kind: str = AttachmentKind.INVOICE) -> Attachment:
    return Attachment.objects.create(
        request=repair_request,
        kind=kind,
        token=secrets.token_hex(16),
        file=ContentFile(b"%PDF-1.4\n", name="upload.pdf"),
        extension=".pdf",
        original_name="facture.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )


def state(repair_request: RepairRequest) -> dict[str, Any]:
    """Every column of the row as stored now (updated_at included: any save shows)."""
    fresh = RepairRequest.objects.get(pk=repair_request.pk)
    return {f.attname: getattr(fresh, f.attname) for f in RepairRequest._meta.concrete_fields}


@pytest.fixture
def draft(customer):
    """Alice's draft, answered up to the summary, so that every step applies: accident damage
    (cause, analysis) and a plan that offers Express; an invoice uploaded."""
    offering = OfferingFactory()
    device = DeviceFactory(model=offering.product_models.get())
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        channel=BindingChannel.STORE_WITH_DEVICE,
    )
    draft = RepairRequestFactory(
        user=customer,
        device=device,
        product_model=device.model,
        serial_number=device.serial_number,
        has_plan=True,
        plan=plan,
        problems=[Problem.ACCIDENT_DAMAGE.value],
        purchase_channel="authorised_dealer",
        received_on=date(2026, 1, 20),
        accident_cause="product",
        shipment=Shipment.COMPLETE_SET,
        return_address=AddressFactory(user=customer),
        current_step="summary",
    )
    RepairCentreFactory(zone=draft.zone)
    attach(draft)
    return draft


@pytest.fixture
def case(customer):
    case = SubmittedCaseFactory(user=customer)
    attach(case)
    attach(case, AttachmentKind.FLIGHT_LOG)
    return case


def draft_forms(draft: RepairRequest) -> list[str]:
    """The pages of a draft that take a POST."""
    return [
        *(reverse("repairs:step", args=[draft.pk, step]) for step in STEPS),
        reverse("repairs:address_panel", args=[draft.pk]),
        reverse("repairs:draft_delete", args=[draft.pk]),
    ]


def draft_urls(draft: RepairRequest) -> list[str]:
    # Resume only redirects to the step left (GET only: a POST is refused before any lookup).
    return [*draft_forms(draft), reverse("repairs:resume", args=[draft.pk])]


def case_urls(case: RepairRequest) -> list[str]:
    return [
        reverse("repairs:case", args=[case.case_number]),
        reverse("repairs:case_form", args=[case.case_number]),
        reverse("repairs:confirmation", args=[case.case_number]),
    ]


def file_urls(repair_request: RepairRequest) -> list[str]:
    return [
        reverse("repairs:attachment", args=[attachment.token])
        for attachment in repair_request.attachments.all()
    ]


# --- The other customer -----------------------------------------------------------------------


def test_my_requests_shows_nothing_of_the_other_customer(other_client, draft, case):
    response = other_client.get(reverse("repairs:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert case.case_number not in html
    for url in [*draft_urls(draft), *case_urls(case), *file_urls(case), *file_urls(draft)]:
        assert url not in html
    assert list(response.context["drafts"]) == []
    assert list(response.context["cases"]) == []


def test_every_page_of_a_draft_is_a_404_for_another_customer(other_client, draft):
    for url in draft_urls(draft):
        assert other_client.get(url).status_code == 404, url


def test_posting_to_every_page_of_a_draft_is_a_404_and_changes_nothing(other_client, draft):
    before = state(draft)

    for url in draft_forms(draft):
        assert other_client.post(url, TAMPERING).status_code == 404, url
    submit = other_client.post(reverse("repairs:submit", args=[draft.pk]), TAMPERING)

    assert submit.status_code == 404
    assert state(draft) == before
    assert draft.attachments.count() == 1


def test_submitting_another_customers_draft_makes_no_case(other_client, draft):
    other_client.post(reverse("repairs:submit", args=[draft.pk]), {"terms_accepted": "on"})

    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
    assert draft.case_number is None
    assert not RepairRequest.objects.exclude(status=RequestStatus.DRAFT).exists()


def test_deleting_another_customers_draft_deletes_nothing(other_client, draft):
    files = [attachment.file.name for attachment in draft.attachments.all()]

    response = other_client.post(reverse("repairs:draft_delete", args=[draft.pk]))

    assert response.status_code == 404
    assert RepairRequest.objects.filter(pk=draft.pk).exists()
    storage = Attachment._meta.get_field("file").storage
    assert all(storage.exists(name) for name in files)


def test_every_page_of_a_case_is_a_404_for_another_customer(other_client, case):
    before = state(case)

    for url in case_urls(case):
        assert other_client.get(url).status_code == 404, url
    # A case's pk in the draft URLs leads nowhere either, for its owner's neighbour.
    for url in draft_forms(case):
        assert other_client.post(url, TAMPERING).status_code == 404, url
    assert other_client.get(reverse("repairs:resume", args=[case.pk])).status_code == 404

    assert state(case) == before


def test_the_files_of_drafts_and_cases_are_a_404_for_another_customer(other_client, draft, case):
    for url in [*file_urls(draft), *file_urls(case)]:
        response = other_client.get(url)
        assert response.status_code == 404, url
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_guessed_neighbouring_numbers_lead_nowhere(other_client, case):
    number = case.case_number
    guesses = [
        number[:-1] + ("A" if number[-1] != "A" else "B"),
        f"CAS-{int(number[4:11]) + 1:07d}{number[11:]}",
        number.lower(),
    ]

    for guess in guesses:
        assert other_client.get(reverse("repairs:case", args=[guess])).status_code == 404


# --- Anonymous visitors -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_everywhere_but_the_progress_query(
    client, draft, case
):
    login = reverse("accounts:login")
    urls = [
        reverse("repairs:list"),
        *draft_urls(draft),
        *case_urls(case),
        *file_urls(case),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    assert client.get(reverse("repairs:progress")).status_code == 200


# --- The owner reaches the same pages ----------------------------------------------------------


def test_the_owner_opens_the_pages_the_other_customer_cannot(customer_client, draft, case):
    owner_pages = [
        reverse("repairs:list"),
        *(reverse("repairs:step", args=[draft.pk, step]) for step in STEPS),
        reverse("repairs:draft_delete", args=[draft.pk]),
        *case_urls(case),
        *file_urls(case),
        *file_urls(draft),
    ]

    for url in owner_pages:
        assert customer_client.get(url).status_code == 200, url


def test_the_owner_is_taken_back_into_the_draft(customer_client, draft):
    for url in [
        reverse("repairs:resume", args=[draft.pk]),
        reverse("repairs:address_panel", args=[draft.pk]),
    ]:
        response = customer_client.get(url)
        # Resume redirects to the step left; the address panel is a fragment of a step.
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert response["Location"].startswith(f"/repairs/{draft.pk}/"), url
