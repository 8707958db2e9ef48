"""Issue 7, item 5: "Office documents that expand to gigabytes when unpacked (zip bombs) are
accepted". An Office 2007+ file is a ZIP: it is refused when its entry count or what it really
unpacks to is out of proportion — counted from the central directory and by unpacking with a cap,
never by trusting the sizes the archive declares — with a message at the field."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from aftersales.repairs import attachments
from aftersales.repairs.attachments import AttachmentField, attachment_add
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import RepairRequest

from . import sample_files

MB = 1024 * 1024


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes) -> list[str]:
    form = InvoiceForm(data={}, files={"invoice": SimpleUploadedFile(name, content)})
    if form.is_valid():
        return []
    return form.errors["invoice"]


@pytest.mark.parametrize(
    ("kind", "part", "name"),
    [("docx", "word/media/image1.xml", "facture.docx"), ("xlsx", "xl/media/a.xml", "ticket.xlsx")],
)
def test_an_office_file_that_unpacks_to_300_mb_is_refused_quickly(kind, part, name):
    bomb = sample_files.zip_bomb(300 * MB, kind=kind, part=part)
    assert len(bomb) < 400 * 1024  # a thousandfold
    started = time.monotonic()

    errors = check(name, bomb)

    # The limit named is a hundred times the file's size.
    assert errors == [
        f"“{name}” unpacks to more than {filesizeformat(100 * len(bomb))} when opened, out of "
        "proportion to its size. Print or save it as a plain PDF and attach that."
    ]
    # It stopped at the cap: 300 MB were never unpacked.
    assert time.monotonic() - started < 2


def test_sizes_the_archive_declares_are_not_trusted():
    # The headers say the part is 1 kB; it unpacks to 300 MB.
    bomb = sample_files.with_declared_size(
        sample_files.zip_bomb(300 * MB), "word/media/image1.xml", 1000
    )
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(info.file_size for info in archive.infolist()) < 10_000

    errors = check("facture.docx", bomb)

    assert len(errors) == 1
    assert "unpacks to more than" in errors[0]


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused_even_when_small():
    # Within every limit, but not what its headers say: not an Office file to trust.
    lying = sample_files.with_declared_size(
        sample_files.zip_bomb(2 * MB), "word/media/image1.xml", 1000
    )

    assert check("facture.docx", lying) == [
        "“facture.docx” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."
    ]


def test_the_ratio_counts_above_10_mb_even_under_the_absolute_cap():
    # 20 MB out of 21 kB: below 50 MB, but a thousand times the file's size.
    assert check("facture.docx", sample_files.zip_bomb(20 * MB))[0].startswith(
        "“facture.docx” unpacks to more than 10\xa0MB"
    )
    # Up to 10 MB any ratio is fine: a small, very regular spreadsheet is no threat.
    assert check("facture.docx", sample_files.zip_bomb(9 * MB)) == []


def test_no_office_file_unpacks_to_more_than_the_absolute_cap(monkeypatch):
    monkeypatch.setattr(attachments, "UNPACKED_MAX_BYTES", 2 * MB)
    monkeypatch.setattr(attachments, "UNPACKED_FREE_BYTES", 1 * MB)
    # Two letters at random: deflate only halves… quarters it, far below the ratio.
    text = os.urandom(3 * MB).translate(bytes(b"AB"[n & 1] for n in range(256)))
    content = sample_files.ooxml("docx", extra={"word/media/notes.xml": text})
    assert len(content) * attachments.UNPACKED_MAX_RATIO > 3 * MB

    assert check("facture.docx", content) == [
        "“facture.docx” unpacks to more than 2\xa0MB when opened, out of proportion to its size. "
        "Print or save it as a plain PDF and attach that."
    ]


def test_an_archive_of_more_than_5000_parts_is_refused_from_its_directory():
    assert check("facture.docx", sample_files.many_entries(5_000)) == [
        "“facture.docx” is made of more than 5,000 parts. Print or save it as a plain PDF and "
        "attach that."
    ]
    assert check("facture.docx", sample_files.many_entries(1_000)) == []


def test_the_package_index_that_readers_load_whole_is_capped_at_1_mb():
    # A content-types part padded to 2 MB with an XML comment: readers parse it in one piece.
    content = sample_files.ooxml("docx")
    padded = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data += b"<!--" + b" " * (2 * MB) + b"-->"
            target.writestr(info.filename, data)

    errors = check("facture.docx", padded.getvalue())

    assert len(errors) == 1
    assert "unpacks to more than 1\xa0MB" in errors[0]


def test_two_parts_with_one_name_are_refused():
    # Which of the two a program reads is up to the program; what we checked may not be it.
    buffer = io.BytesIO(sample_files.docx())
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("word/document.xml", "<w:document/>")

    assert check("facture.docx", buffer.getvalue()) == [
        "“facture.docx” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."
    ]


@pytest.mark.django_db
def test_the_service_refuses_a_bomb_too_and_keeps_nothing(customer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = RepairRequest.objects.create(user=customer)

    with pytest.raises(ValidationError) as refused:
        attachment_add(
            repair_request=draft,
            kind=AttachmentKind.INVOICE,
            uploaded_file=SimpleUploadedFile("facture.docx", sample_files.zip_bomb(300 * MB)),
        )

    assert refused.value.code == "unpacked"
    assert not draft.attachments.exists()
    assert not any(tmp_path.rglob("*.docx"))
