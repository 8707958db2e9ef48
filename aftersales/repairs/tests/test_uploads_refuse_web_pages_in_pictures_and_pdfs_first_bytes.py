"""A web page hidden in a picture is found by the tags browsers render too — <details
ontoggle=…>, <b onmouseover=…>, <p>…</p>, <h1>, <font>, <!-- —, not only <html> and <script>; and
a PDF whose first bytes (where browsers sniff) hold a web page is refused as well. Markers are
sought in the first and last bytes only, and short tags only in forms random bytes do not
take, so that the compressed data of ordinary pictures is never mistaken for a page."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pikepdf
import pytest
from django import forms
from PIL import Image

from aftersales.repairs.attachments import PDF, PNG, AttachmentField

from . import damaged_files, sample_files

HIDDEN_IN_A_PDF = (
    "“{name}” is a PDF file with a web page or a script hidden in it, which we do not accept. "
    "Print or save it as a new PDF and attach that."
)


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes):
    return damaged_files.form_field(name, content, InvoiceForm)


def hidden(name: str, kind: str) -> list[str]:
    return [
        f"“{name}” is a {kind} picture with a web page or a script hidden in it, which we do "
        "not accept."
    ]


def png_with_text(text: bytes) -> bytes:
    """A PNG with a tEXt chunk right after its header: in its first bytes."""
    raw = sample_files.png()
    data = b"Comment\x00" + text
    chunk = (
        struct.pack(">I", len(data))
        + b"tEXt"
        + data
        + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    )
    return raw[:33] + chunk + raw[33:]


@pytest.mark.parametrize(
    "markup",
    [
        b"<details open ontoggle=alert(document.domain)><b onmouseover=alert(1)>x</b>",
        b"<B ONMOUSEOVER=alert(1)>x",
        b"<p>Your account is locked</p>",
        b"<P STYLE=x>y",
        b"<h1>Sign in again</h1>",
        b"<h1 class=x>",
        b"<font color=red>",
        b"<!-- a comment -->",
        b"<a onclick=alert(1)>",
        b"<A  HREF=//x.example>",
        b"<br/>",
        b"<marquee>",
    ],
)
def test_a_picture_carrying_common_tags_is_refused(markup):
    assert check("ticket.png", png_with_text(markup)) == hidden("ticket.png", "PNG")


def test_tags_appended_after_a_jpeg_are_refused():
    content = sample_files.jpeg() + b"<h1>Phishing</h1><p>Enter your password</p>"

    assert check("ticket.jpg", content) == hidden("ticket.jpg", "JPG")


def test_text_that_merely_compares_is_not_a_page():
    assert check("ticket.png", png_with_text(b"a<b and c<p, 2 <a 3, x</y")) == PNG


def noise_png(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (24, 24), rng.randbytes(24 * 24 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def test_the_random_looking_data_of_ordinary_pictures_is_not_taken_for_a_page():
    # Noise does not compress: the first and last kilobyte of each picture are random bytes,
    # 300 pictures about 600 kB of them (a two-byte marker would be found a dozen times).
    refused = [seed for seed in range(300) if check("photo.png", noise_png(seed)) != PNG]

    assert not refused


def pdf_polyglot(markup: bytes) -> bytes:
    body = sample_files.pdf()
    first_line = body.index(b"\n") + 1
    # qpdf rebuilds the cross-reference table shifted by the comment.
    return body[:first_line] + b"%" + markup + b"\n" + body[first_line:]


@pytest.mark.parametrize(
    "markup",
    [
        b"<html><script>alert(document.domain)</script>",
        b"<details open ontoggle=alert(1)>",
        b"<!--><img src=x onerror=alert(1)>",
        b"<svg onload=alert(1)>",
    ],
)
def test_a_pdf_starting_with_a_web_page_is_refused(markup):
    assert check("facture.pdf", pdf_polyglot(markup)) == [
        HIDDEN_IN_A_PDF.format(name="facture.pdf")
    ]


XMP_START = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'


def with_xmp_metadata(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata() as metadata:
        metadata["pdf:Producer"] = "Scanner"


def test_a_pdf_with_its_xml_metadata_in_its_first_bytes_is_accepted():
    content = sample_files.pdf(change=with_xmp_metadata, compress=False)
    # As some producers write the packet: an XML declaration first (same length, so that the
    # cross-reference table stays right).
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>'
    assert content.count(XMP_START) == 1
    content = content.replace(XMP_START, declaration.ljust(len(XMP_START)))
    assert b"<?xml" in content[:1024]

    assert check("facture.pdf", content) == PDF
