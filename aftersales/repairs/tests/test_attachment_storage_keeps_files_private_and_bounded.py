"""Storing the uploads of a repair request: under MEDIA_ROOT, at a path made of a random token
(never the customer's file name), with the detected type, the size and a SHA-256 of what was
stored. One proof of purchase per request (a new one replaces it), at most 10 flight logs."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.repairs.attachments import (
    attachment_add,
    attachment_filename,
    attachment_remove,
    attachment_remove_all,
)
from aftersales.repairs.choices import AttachmentKind, RequestStatus
from aftersales.repairs.models import Attachment, RepairRequest

from . import sample_files

pytestmark = pytest.mark.django_db

PDF_BYTES = sample_files.pdf()
JPEG_BYTES = sample_files.jpeg()
ULOG_BYTES = sample_files.ulog()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(customer):
    return RepairRequest.objects.create(user=customer)


def files_in(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def add(draft, name="facture.pdf", content=PDF_BYTES, kind=AttachmentKind.INVOICE) -> Attachment:
    return attachment_add(
        repair_request=draft, kind=kind, uploaded_file=SimpleUploadedFile(name, content)
    )


def test_the_file_is_stored_under_a_random_token_with_its_checksum(draft, media_root):
    attachment = add(draft)

    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", attachment.token)
    assert attachment.file.name == f"repairs/{draft.pk}/invoice/{attachment.token}.pdf"
    assert files_in(media_root) == [media_root / attachment.file.name]
    assert (media_root / attachment.file.name).read_bytes() == PDF_BYTES
    assert attachment.original_name == "facture.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.extension == ".pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_the_extension_on_disk_follows_the_content_not_the_name(draft):
    attachment = add(draft, name="photo-facture.png", content=JPEG_BYTES)

    assert attachment.extension == ".jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.name.endswith(f"{attachment.token}.jpg")
    assert attachment.original_name == "photo-facture.png"
    # Downloaded under the type it really is.
    assert attachment_filename(attachment) == "photo-facture.jpg"


def test_a_name_with_the_right_extension_is_offered_as_it_was(draft):
    assert attachment_filename(add(draft, name="Facture Mars.PDF")) == "Facture Mars.PDF"
    assert attachment_filename(add(draft, name="ticket.jpeg", content=JPEG_BYTES)) == "ticket.jpeg"


def test_a_path_in_the_name_never_reaches_the_disk(draft, media_root):
    attachment = add(draft, name="../../../etc/passwd.pdf")

    assert attachment.original_name == "passwd.pdf"
    assert files_in(media_root) == [media_root / attachment.file.name]
    assert ".." not in attachment.file.name


def test_a_long_name_is_cut_to_255_characters_keeping_its_extension(draft):
    attachment = add(draft, name="f" * 300 + ".pdf")

    assert len(attachment.original_name) == 255
    assert attachment.original_name.endswith("ffff.pdf")


def test_every_upload_has_its_own_token(draft):
    tokens = {add(draft, "vol.ulg", ULOG_BYTES, AttachmentKind.FLIGHT_LOG).token for _ in range(3)}

    assert len(tokens) == 3


def test_a_new_proof_of_purchase_replaces_the_previous_one(
    draft, media_root, django_capture_on_commit_callbacks
):
    first = add(draft, name="facture-v1.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        second = add(draft, name="facture-v2.jpg", content=JPEG_BYTES)

    assert list(draft.attachments.all()) == [second]
    assert not Attachment.objects.filter(pk=first.pk).exists()
    assert files_in(media_root) == [media_root / second.file.name]


def test_at_most_ten_flight_logs_are_kept(draft, media_root):
    for number in range(10):
        add(draft, f"vol-{number}.ulg", ULOG_BYTES, AttachmentKind.FLIGHT_LOG)

    with pytest.raises(ValidationError) as refused:
        add(draft, "vol-10.ulg", ULOG_BYTES, AttachmentKind.FLIGHT_LOG)

    assert refused.value.messages == [
        "You can attach at most 10 flight logs; remove one to add another."
    ]
    assert draft.attachments.filter(kind=AttachmentKind.FLIGHT_LOG).count() == 10
    assert len(files_in(media_root)) == 10  # the refused file did not stay on disk


def test_a_refused_file_leaves_nothing_behind(draft, media_root):
    with pytest.raises(ValidationError) as refused:
        add(draft, name="facture.pdf", content=b"MZ\x90\x00" + b"\x00" * 100)

    assert refused.value.code == "file_type"
    assert not draft.attachments.exists()
    assert files_in(media_root) == []


def test_a_sent_case_does_not_take_new_files(customer, media_root):
    case = RepairRequest.objects.create(
        user=customer,
        status=RequestStatus.SUBMITTED,
        case_number="CAS-1234567-ABCDEF",
        submitted_at=timezone.now(),
    )

    with pytest.raises(ValidationError):
        add(case)

    assert files_in(media_root) == []


def test_an_unknown_kind_is_a_programming_error(draft):
    with pytest.raises(ValueError):
        add(draft, kind="passport")


def test_removing_an_attachment_deletes_its_row_and_then_its_file(
    draft, media_root, django_capture_on_commit_callbacks
):
    attachment = add(draft)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attachment_remove(attachment=attachment)
        # Until the deletion is committed the file stays, in case it is rolled back.
        assert files_in(media_root) != []

    assert len(callbacks) == 1
    assert not Attachment.objects.filter(token=attachment.token).exists()
    assert files_in(media_root) == []


def test_removing_all_the_files_of_a_draft(draft, media_root, django_capture_on_commit_callbacks):
    add(draft)
    add(draft, "vol.ulg", ULOG_BYTES, AttachmentKind.FLIGHT_LOG)
    other_draft = RepairRequest.objects.create(user=draft.user)
    kept = add(other_draft)

    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove_all(repair_request=draft)

    assert not draft.attachments.exists()
    assert files_in(media_root) == [media_root / kept.file.name]
