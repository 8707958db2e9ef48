"""Issue 7, item 5: "a GIF that is also an HTML page is accepted". A picture must decode as the
type its signature says (Pillow), must not carry a web page or a script in its first or last
bytes — where browsers sniff and where a page appended to a picture ends — and must not be so
large that decoding it takes the server's memory."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aftersales.repairs.attachments import GIF, JPEG, PNG, AttachmentField

from . import sample_files

PAGE = b"<html><body><script>fetch('/account/').then(r => r.text())</script></body></html>"


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes):
    form = InvoiceForm(data={}, files={"invoice": SimpleUploadedFile(name, content)})
    if form.is_valid():
        return form.cleaned_data["invoice"].file_type
    return form.errors["invoice"]


def hidden(name: str, kind: str) -> list[str]:
    return [
        f"“{name}” is a {kind} picture with a web page or a script hidden in it, which we do "
        "not accept."
    ]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_a_gif_that_is_also_an_html_page_is_refused():
    # The page sits in a GIF comment right after the header: a browser sniffing the first
    # bytes sees HTML; an image viewer sees a valid GIF.
    polyglot = sample_files.gif(comment=PAGE)
    assert Image.open(io.BytesIO(polyglot)).format == "GIF"

    assert check("ticket.gif", polyglot) == hidden("ticket.gif", "GIF")
    # A comment that is not markup is fine.
    assert check("ticket.gif", sample_files.gif(comment=b"Scanned 2026-01-02 < 3 pages")) == GIF


def test_a_web_page_appended_after_the_picture_is_refused():
    assert check("ticket.gif", sample_files.gif() + PAGE) == hidden("ticket.gif", "GIF")
    assert check("ticket.jpg", sample_files.jpeg() + PAGE) == hidden("ticket.jpg", "JPG")


@pytest.mark.parametrize(
    "marker",
    [b"<!DOCTYPE html>", b"<svg onload=alert(1)>", b"<?xml version='1.0'?>", b"<SCRIPT>"],
)
def test_a_png_carrying_markup_in_a_text_chunk_is_refused(marker):
    png = sample_files.png()
    # A tEXt chunk right after the header chunk (8-byte signature + 25-byte IHDR).
    polyglot = png[:33] + png_chunk(b"tEXt", b"Comment\x00" + marker) + png[33:]
    assert Image.open(io.BytesIO(polyglot)).format == "PNG"

    assert check("ticket.png", polyglot) == hidden("ticket.png", "PNG")


def test_a_jpeg_carrying_a_script_in_its_comment_is_refused():
    jpeg = sample_files.picture("JPEG", comment=b"<script>alert(1)</script>")

    assert check("photo.jpeg", jpeg) == hidden("photo.jpeg", "JPG")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("ticket.png", sample_files.png()[:60], "PNG"),
        ("ticket.jpg", sample_files.jpeg((64, 64))[:300], "JPG"),
        ("ticket.gif", b"GIF89a\x10\x00\x10\x00" + b"\x00" * 30, "GIF"),
    ],
    ids=["png", "jpeg", "gif"],
)
def test_a_picture_that_does_not_decode_is_refused_as_damaged(name, content, kind):
    assert check(name, content) == [
        f"“{name}” could not be read as a {kind} file: it is damaged or incomplete."
    ]


def test_a_picture_of_more_than_50_million_pixels_is_refused_before_it_is_decoded():
    # 10,000 × 6,000 in black and white: a few kilobytes of PNG, 60 million pixels to decode.
    huge = sample_files.picture("PNG", (10_000, 6_000), mode="1")
    assert len(huge) < 100_000

    assert check("scan.png", huge) == [
        "“scan.png” has more than 50 million pixels, more than a picture we can check."
    ]
    # A scan or a phone's photo is far below.
    assert check("scan.png", sample_files.png((2480, 3508))) == PNG
    assert check("photo.jpg", sample_files.jpeg((4000, 3000))) == JPEG
