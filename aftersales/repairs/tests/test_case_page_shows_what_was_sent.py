"""The case page (issue 4, item 6; guide: « Mon compte → Détails du dossier »): everything the
customer sent, the coverage decision in plain words, the progress history, the case form link.
Only the owner sees it."""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from aftersales.catalog.tests.factories import ComponentFactory
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.choices import BindingChannel
from aftersales.plans.services import plan_bind
from aftersales.plans.tests.factories import OfferingFactory
from aftersales.repairs.choices import (
    AbnormalCondition,
    AccidentCause,
    AttachmentKind,
    EventKind,
    FlightEnvironment,
    Problem,
    PurchaseChannel,
    RequestStatus,
    Shipment,
)
from aftersales.repairs.models import Attachment, CaseEvent, RepairRequest
from aftersales.repairs.tests.factories import (
    RepairRequestFactory,
    SubmittedCaseFactory,
    address_snapshot,
)

STAFF_TEXT = "Accidental damage in normal use is covered by the plan."
CUSTOMER_TEXT = "Accidental damage is covered by your plan."
INTERNAL_NOTE = "Customer sounded angry; check the gimbal ribbon first."


def attach(repair_request: RepairRequest, kind: str, name: str) -> Attachment:
    content = b"%PDF-1.4\n%test\n"
    return Attachment.objects.create(
        request=repair_request,
        kind=kind,
        token=secrets.token_hex(16),
        file=ContentFile(content, name="upload.pdf"),
        extension=".pdf",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )


@pytest.fixture
def case(customer):
    """A case that went through every step of the guide: accident, data analysis, a plan,
    Express, the gimbal only, a company's return address."""
    offering = OfferingFactory()
    device = DeviceFactory(model=offering.product_models.get())
    plan = plan_bind(
        serial_number=device.serial_number,
        offering=offering,
        purchase_country="FR",
        channel=BindingChannel.STORE_WITH_DEVICE,
    )
    case = SubmittedCaseFactory(
        user=customer,
        device=device,
        product_model=device.model,
        serial_number=device.serial_number,
        problems=[Problem.ACCIDENT_DAMAGE.value, Problem.GIMBAL_CAMERA.value],
        description="Hit a tree at 20 m.\nThe gimbal hangs loose.",
        purchase_channel=PurchaseChannel.AUTHORISED_DEALER,
        received_on=date(2026, 1, 20),
        has_plan=True,
        plan=plan,
        accident_cause=AccidentCause.PRODUCT,
        data_analysis_requested=True,
        accident_date=date(2026, 3, 2),
        flight_environment=FlightEnvironment.SEASIDE,
        abnormal_condition=AbnormalCondition.RETURN_TO_HOME,
        flight_account_email="pilot@example.com",
        flight_records_synced=True,
        video_url="https://drive.example.com/crash-video",
        express_requested=True,
        express_serial_number=device.serial_number,
        shipment=Shipment.DEFECTIVE_COMPONENT,
        component=ComponentFactory(code="gimbal-camera", name_en="Gimbal and camera"),
        return_address_snapshot=address_snapshot(
            full_name="Alice Durand", company="Durand Prises de vue", vat_number="FR40303265045"
        ),
        coverage={
            "outcome": "plan_replacement",
            "reasons": [
                {
                    "code": "accident_covered",
                    "faq": "FAQ 8",
                    "staff_text": STAFF_TEXT,
                    "customer_text": CUSTOMER_TEXT,
                }
            ],
            "plan_id": plan.pk,
            "replacement_number": 1,
            "replacements_allowed": 2,
            "fee": {"amount": "109.00", "currency": "EUR"},
            "warranty": {"active": True, "ends_on": None},
        },
        return_label_due_by=date(2026, 3, 6),
    )
    CaseEvent.objects.create(request=case, status=RequestStatus.SUBMITTED, customer_visible=True)
    CaseEvent.objects.create(
        request=case,
        from_status=RequestStatus.SUBMITTED,
        status=RequestStatus.RECEIVED,
        customer_visible=True,
    )
    CaseEvent.objects.create(
        request=case, kind=EventKind.NOTE, status=RequestStatus.RECEIVED, note=INTERNAL_NOTE
    )
    case.status = RequestStatus.RECEIVED
    case.save(update_fields=["status"])
    attach(case, AttachmentKind.INVOICE, "facture-mavic.pdf")
    attach(case, AttachmentKind.FLIGHT_LOG, "DJIFlightRecord_2026-03-02.txt")
    return case


def page(client, case: RepairRequest):
    return client.get(reverse("repairs:case", args=[case.case_number]))


def test_the_page_shows_every_answer_that_was_sent(customer_client, case):
    response = page(customer_client, case)

    assert response.status_code == 200
    html = response.content.decode()
    for expected in [
        case.case_number,
        "Europe",
        "France",
        case.product_model.display_name,
        case.serial_number,
        "DJI Care Refresh (Mavic 2)",
        "Repair – DJI Care service",
        "Accident damage",
        "Gimbal and camera malfunction",
        "Hit a tree at 20 m.<br>The gimbal hangs loose.",
        "Authorised dealer",
        "Product-related issue",
        "Requested",
        "Seaside",
        "Return-to-home malfunction",
        "pilot@example.com",
        "https://drive.example.com/crash-video",
        "Requested for the aircraft with serial number",
        "Defective component",
        ": Gimbal and camera",
    ]:
        assert expected in html, expected


def test_the_files_sent_link_to_their_download(customer_client, case):
    html = page(customer_client, case).content.decode()

    for attachment in case.attachments.all():
        assert f'href="{reverse("repairs:attachment", args=[attachment.token])}"' in html
        assert attachment.original_name in html


def test_the_return_address_is_the_one_sent_even_if_the_address_book_changed_since(
    customer_client, case
):
    html = page(customer_client, case).content.decode()

    assert "Durand Prises de vue" in html
    assert "12 rue de la Paix" in html
    assert "75002 Paris" in html
    assert "FR40303265045" in html
    # The repair centre's address (guide, step 12: « Adresse DJI »).
    for line in case.repair_centre.address_lines:
        assert line in html


def test_the_coverage_decision_is_in_customer_words_only_and_provisional(customer_client, case):
    # (Express has no liability assessment, so no provisional wording: see
    # test_an_express_request_says_what_it_costs_and_what_happens_next_everywhere.py.)
    case.express_requested = False
    case.save(update_fields=["express_requested"])
    html = page(customer_client, case).content.decode()

    # Not evaluated yet: likely, never a promise (issue 8, item 3).
    assert (
        "Likely a replacement under your plan (replacement 1 of 2, fee 109.00 EUR), confirmed "
        "after evaluation." in html
    )
    assert "Covered by the plan" not in html
    assert CUSTOMER_TEXT not in html
    assert STAFF_TEXT not in html
    assert "FAQ 8" not in html


def test_the_history_shows_what_happened_but_never_the_internal_note(customer_client, case):
    response = page(customer_client, case)

    html = response.content.decode()
    assert "Your repair request has been submitted." in html
    assert "Your parcel has been registered at our workshop." in html
    assert "Parcel received at the workshop" in html  # the current status
    assert INTERNAL_NOTE not in html


def test_the_return_label_date_and_the_print_link_are_shown(customer_client, case):
    # The label is news while the parcel is still to be sent.
    case.status = RequestStatus.SUBMITTED
    case.save(update_fields=["status"])
    html = page(customer_client, case).content.decode()

    assert (
        "By March 6, 2026, you will receive a prepaid return label by e-mail if your case is "
        "eligible; otherwise you will be told by e-mail."
    ) in html
    assert f'href="{reverse("repairs:case_form", args=[case.case_number])}"' in html
    assert "Print my case" in html


def test_a_case_without_coverage_decision_or_label_date_still_opens(customer_client, customer):
    case = SubmittedCaseFactory(user=customer, coverage={}, return_label_due_by=None)

    response = page(customer_client, case)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Who pays for the repair" not in html
    assert "you will receive a prepaid return label" not in html
    assert "Not available" in html  # no plan (guide: « Forfait de services : Non disponible »)


def test_the_case_number_may_be_typed_in_lower_case(customer_client, case):
    response = customer_client.get(reverse("repairs:case", args=[case.case_number.lower()]))

    assert response.status_code == 200


def test_another_customer_gets_a_404(other_client, case):
    assert page(other_client, case).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = page(client, case)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_draft_has_no_case_page(customer_client, customer):
    draft = RepairRequestFactory(user=customer)

    response = customer_client.get(reverse("repairs:case", args=[f"DRAFT-{draft.pk}"]))

    assert response.status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(
    customer_client, case, django_assert_max_num_queries
):
    for status in [RequestStatus.EVALUATING, RequestStatus.QUOTED, RequestStatus.REPAIRING]:
        CaseEvent.objects.create(request=case, status=status, customer_visible=True)
    for _ in range(5):
        attach(case, AttachmentKind.FLIGHT_LOG, "log.txt")

    # Session, user, the case with its relations, its files, its visible events, evaluations,
    # current quote, its lines, payments.
    with django_assert_max_num_queries(9):
        response = page(customer_client, case)

    assert len(response.context["timeline"]) == 5
    assert len(response.context["flight_logs"]) == 6
