"""Deleting a draft from My requests: a confirmation page, then the draft goes with its uploaded
files. A submitted case cannot be deleted this way."""

from __future__ import annotations

import os
import secrets

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import Attachment, RepairRequest
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory


def attach(repair_request: RepairRequest, kind: str = AttachmentKind.INVOICE) -> Attachment:
    content = b"%PDF-1.4\n%test\n"
    return Attachment.objects.create(
        request=repair_request,
        kind=kind,
        token=secrets.token_hex(16),
        file=ContentFile(content, name="upload.pdf"),
        extension=".pdf",
        original_name="invoice.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )


@pytest.fixture
def draft(customer):
    return RepairRequestFactory(user=customer)


def test_the_confirmation_page_names_the_draft_and_its_files(customer_client, draft):
    attach(draft)
    attach(draft, AttachmentKind.FLIGHT_LOG)

    response = customer_client.get(reverse("repairs:draft_delete", args=[draft.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete this draft?" in html
    assert draft.product_model.display_name in html
    assert "the 2 uploaded files are deleted" in html
    assert RepairRequest.objects.filter(pk=draft.pk).exists()


def test_deleting_removes_the_draft_its_attachments_and_their_files(
    customer_client, draft, django_capture_on_commit_callbacks
):
    attachment = attach(draft)
    path = attachment.file.path

    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(reverse("repairs:draft_delete", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("repairs:list")
    assert not RepairRequest.objects.filter(pk=draft.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not attachment.file.storage.exists(attachment.file.name)
    assert not os.path.exists(path)
    # The draft's folder (repairs/<id>/) goes too, once empty.
    assert not os.path.exists(os.path.dirname(os.path.dirname(path)))
    follow = customer_client.get(response["Location"])
    assert "The draft has been deleted." in follow.content.decode()


def test_a_submitted_case_cannot_be_deleted_as_a_draft(customer_client, customer):
    case = SubmittedCaseFactory(user=customer)
    attachment = attach(case)
    url = reverse("repairs:draft_delete", args=[case.pk])

    assert customer_client.get(url).status_code == 404
    assert customer_client.post(url).status_code == 404
    assert RepairRequest.objects.filter(pk=case.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)


def test_deleting_needs_a_post(customer_client, draft):
    customer_client.get(reverse("repairs:draft_delete", args=[draft.pk]))

    assert RepairRequest.objects.filter(pk=draft.pk).exists()
