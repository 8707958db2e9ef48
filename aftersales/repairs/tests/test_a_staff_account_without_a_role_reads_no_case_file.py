"""What a customer sent (invoices, flight logs), the case form and the parcel labels are read by
the customer and by staff whose role reads cases — one of the workshop's permissions or the
admin's "view case" — not by any staff account (audit: `is_staff` alone opened every file,
while the workshop answered the same account 403)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.accounts.tests.factories import UserFactory
from aftersales.repairs.attachments import attachment_add
from aftersales.repairs.choices import AttachmentKind, ParcelDirection
from aftersales.repairs.models import ParcelLabel, RepairRequest

from . import sample_files
from .factories import SubmittedCaseFactory

pytestmark = pytest.mark.django_db


def label_of(case: RepairRequest, direction: str, tracking_number: str) -> ParcelLabel:
    return ParcelLabel.objects.create(
        request=case,
        direction=direction,
        carrier="own",
        carrier_name="Own",
        tracking_number=tracking_number,
        pdf=b"%PDF-1.4 label",
        created_at=timezone.now(),
    )


@pytest.fixture
def documents(customer):
    draft = RepairRequest.objects.create(user=customer)
    invoice = attachment_add(
        repair_request=draft,
        kind=AttachmentKind.INVOICE,
        uploaded_file=SimpleUploadedFile("facture.pdf", sample_files.pdf()),
    )
    case = SubmittedCaseFactory(user=customer)
    label_of(case, ParcelDirection.OUTBOUND, "TRK1")
    return [
        f"/repairs/files/{invoice.token}/",
        f"/repairs/cases/{case.case_number}/form.pdf",
        f"/repairs/cases/{case.case_number}/labels/outbound.pdf",
    ]


def test_a_staff_account_without_a_role_gets_not_found(client, documents):
    client.force_login(UserFactory(email="intern@example.com", is_staff=True))
    for url in documents:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["technician", "reception", "analyst", "agent"])
def test_a_role_reading_cases_gets_them(client, documents, request, role):
    client.force_login(request.getfixturevalue(role))
    for url in documents:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store"


def test_the_admins_view_permission_alone_reads_them(client, documents):
    reader = UserFactory(email="reader@example.com", is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="view_repairrequest", content_type__app_label="repairs")
    )
    client.force_login(reader)
    assert all(client.get(url).status_code == 200 for url in documents)


def test_another_customer_gets_not_found(client, documents, other_customer):
    client.force_login(other_customer)
    assert all(client.get(url).status_code == 404 for url in documents)


def test_a_cancelled_cases_return_label_is_not_the_customers_any_more(client, customer, technician):
    from aftersales.repairs.choices import RequestStatus

    case = SubmittedCaseFactory(user=customer)
    label_of(case, ParcelDirection.INBOUND, "TRK2")
    url = f"/repairs/cases/{case.case_number}/labels/inbound.pdf"
    client.force_login(customer)
    assert client.get(url).status_code == 200
    RepairRequest.objects.filter(pk=case.pk).update(status=RequestStatus.CANCELLED)
    assert client.get(url).status_code == 404
    client.force_login(technician)
    assert client.get(url).status_code == 200
