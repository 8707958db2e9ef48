"""A progressive JPEG whose scans are repeated is a CPU bomb: each repeat is a few dozen bytes
and costs the decoder a pass over every block of the picture, so that a 250 kB file under the
pixel limit takes seconds to a minute of CPU. The scans (SOS segments) are counted before
anything is decoded, walking the JPEG's marker segments, and a JPEG of more than 64 is refused;
ordinary pictures (one scan, or about ten when progressive) are not affected."""

from __future__ import annotations

import io
import time

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aftersales.repairs import file_inspection
from aftersales.repairs.attachments import (
    JPEG,
    JPEG_MAX_SCANS,
    AttachmentField,
    attachment_check,
)
from aftersales.repairs.choices import AttachmentKind

from . import damaged_files, sample_files

TOO_MANY_SCANS = (
    "“{name}” is a JPG picture made of more than 64 scans, more than a picture we can check. "
    "Save it again as an ordinary JPG or PNG and attach that."
)


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes):
    return damaged_files.form_field(name, content, InvoiceForm)


def test_a_jpeg_repeating_its_scans_is_refused_before_it_is_decoded():
    content = damaged_files.jpeg_with_repeated_scans(2000, 600)  # 4 Mpx, about 50 kB
    assert damaged_files.scans_of(content) > 600

    start = time.process_time()
    errors = check("facture.jpg", content)
    spent = time.process_time() - start

    assert errors == [TOO_MANY_SCANS.format(name="facture.jpg")]
    assert spent < 0.5, f"{spent:.2f} s of CPU"


def test_the_limit_is_64_scans():
    plain = damaged_files.progressive_jpeg(64)
    scans = damaged_files.scans_of(plain)
    at_limit = damaged_files.jpeg_with_repeated_scans(64, JPEG_MAX_SCANS - scans)
    over = damaged_files.jpeg_with_repeated_scans(64, JPEG_MAX_SCANS - scans + 1)

    assert damaged_files.scans_of(at_limit) == 64
    assert check("facture.jpg", at_limit) == JPEG
    assert check("facture.jpg", over) == [TOO_MANY_SCANS.format(name="facture.jpg")]


def test_ordinary_baseline_and_progressive_jpegs_are_accepted():
    assert check("photo.jpg", sample_files.jpeg((640, 480))) == JPEG
    progressive = sample_files.picture("JPEG", (640, 480), progressive=True)
    assert 5 <= damaged_files.scans_of(progressive) <= 12
    assert check("photo.jpg", progressive) == JPEG


def test_the_parcel_photos_are_checked_the_same_way():
    content = damaged_files.jpeg_with_repeated_scans(256, 100)
    with pytest.raises(ValidationError) as refused:
        attachment_check(SimpleUploadedFile("parcel.jpg", content), AttachmentKind.PARCEL_PHOTO)
    assert refused.value.code == "scans"


def exif_thumbnail_jpeg() -> bytes:
    """A JPEG whose EXIF block (APP1) carries a thumbnail, itself a JPEG with its own SOS."""
    thumbnail = sample_files.picture("JPEG", (16, 16), progressive=True)
    exif = Image.Exif()
    exif[0x010E] = "scan"  # ImageDescription
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(buffer, "JPEG", exif=exif.tobytes())
    data = buffer.getvalue()
    # Put the thumbnail's bytes inside an APP9 segment: markers inside a segment are data.
    app = b"\xff\xe9" + (len(thumbnail) + 2).to_bytes(2, "big") + thumbnail
    return data[:2] + app * 20 + data[2:]


def test_scans_are_counted_segment_by_segment_not_by_searching_the_bytes():
    data = exif_thumbnail_jpeg()
    assert data.count(b"\xff\xda") > 64

    assert file_inspection.jpeg_scans(data, stop_after=1000) == 1
    assert check("photo.jpg", data) == JPEG


def test_fill_bytes_and_restart_markers_do_not_hide_scans():
    content = damaged_files.jpeg_with_repeated_scans(64, 80)
    # Fill bytes (0xFF) before every SOS, as a JPEG may have.
    padded = content.replace(b"\xff\xda", b"\xff\xff\xff\xda")
    assert file_inspection.jpeg_scans(padded, stop_after=1000) == damaged_files.scans_of(content)
    restart = sample_files.picture("JPEG", (64, 64), progressive=True, restart_marker_blocks=1)
    assert file_inspection.jpeg_scans(restart, stop_after=1000) == damaged_files.scans_of(restart)
