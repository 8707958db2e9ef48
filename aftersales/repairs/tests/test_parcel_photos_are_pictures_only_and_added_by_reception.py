"""Photos of the parcel and the unit (issue 8, reception): PNG or JPEG pictures only, checked
from their content like every upload (no web page hidden in them, not too large), at most ten
per case, stored privately like the customer's files — and the only kind of file that can be
added to a case once it was sent (the customer's own files stay as they were sent)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.repairs.attachments import (
    JPEG,
    MAX_ATTACHMENTS,
    PNG,
    attachment_add,
    attachment_check,
)
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.tests.factories import SubmittedCaseFactory

from . import sample_files

PHOTO = AttachmentKind.PARCEL_PHOTO


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_png_and_jpeg_pictures_are_accepted_whatever_their_name():
    assert attachment_check(upload("box.png", sample_files.png()), PHOTO) == PNG
    assert attachment_check(upload("IMG_0001.HEIC", sample_files.jpeg()), PHOTO) == JPEG


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("box.gif", sample_files.gif()),
        ("box.jpg", sample_files.pdf()),
        ("box.png", sample_files.docx()),
        ("box.png", b"just text"),
    ],
)
def test_anything_else_is_refused_saying_what_is_accepted(name, content):
    with pytest.raises(ValidationError) as refused:
        attachment_check(upload(name, content), PHOTO)
    assert refused.value.messages == [f"“{name}” is not a PNG or JPG picture."]


def test_a_picture_hiding_a_web_page_or_too_large_is_refused(settings):
    hiding = sample_files.png() + b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError) as refused:
        attachment_check(upload("box.png", hiding), PHOTO)
    assert refused.value.code == "hidden_page"
    settings.AFTERSALES = {**settings.AFTERSALES, "UPLOAD_MAX_BYTES": 100}
    with pytest.raises(ValidationError) as refused:
        attachment_check(upload("big.png", sample_files.png((64, 64))), PHOTO)
    assert refused.value.code == "too_big"


@pytest.mark.django_db
def test_photos_are_added_to_a_sent_case_but_its_customer_files_stay_as_sent():
    case = SubmittedCaseFactory()
    photo = attachment_add(
        repair_request=case, kind=PHOTO, uploaded_file=upload("a.jpg", sample_files.jpeg())
    )
    assert photo.kind == PHOTO and photo.content_type == "image/jpeg"
    assert photo.file.name.startswith(f"repairs/{case.pk}/parcel_photo/")
    with pytest.raises(ValidationError):
        attachment_add(
            repair_request=case,
            kind=AttachmentKind.INVOICE,
            uploaded_file=upload("facture.pdf", sample_files.pdf()),
        )


@pytest.mark.django_db
def test_a_case_keeps_at_most_ten_photos():
    case = SubmittedCaseFactory()
    for n in range(MAX_ATTACHMENTS[PHOTO]):
        attachment_add(
            repair_request=case, kind=PHOTO, uploaded_file=upload(f"{n}.png", sample_files.png())
        )
    with pytest.raises(ValidationError) as refused:
        attachment_add(
            repair_request=case, kind=PHOTO, uploaded_file=upload("11.png", sample_files.png())
        )
    assert refused.value.messages == ["A case can have at most 10 photos of its parcel."]
    assert case.attachments.filter(kind=PHOTO).count() == 10
