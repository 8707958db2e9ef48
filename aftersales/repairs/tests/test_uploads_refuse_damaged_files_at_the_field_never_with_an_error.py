"""A damaged upload is refused at its field with the "could not be read" message, never
answered with a 500: whatever a library raises while reading it (a corrupt deflate or LZMA
stream in an Office package, a PDF name that is not UTF-8…), and a failure nobody foresaw is
logged at warning level. A valid PDF whose names are not UTF-8 (a Japanese invoice's
Shift-JIS font name) is read byte-safe and accepted."""

from __future__ import annotations

import logging

import pikepdf
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Dictionary, Name, String

from aftersales.repairs import file_inspection
from aftersales.repairs.attachments import PDF, AttachmentField, attachment_check
from aftersales.repairs.choices import AttachmentKind

from . import damaged_files, sample_files

NOT_ACCEPTED = "“{name}” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."
DAMAGED = "“{name}” could not be read as a {type} file: it is damaged or incomplete."
UNREADABLE = "“{name}” could not be read: it is damaged or incomplete."


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


def check(name: str, content: bytes):
    return damaged_files.form_field(name, content, InvoiceForm)


def test_a_japanese_invoice_whose_font_name_is_shift_jis_is_accepted():
    assert check("請求書.pdf", damaged_files.pdf_with_shift_jis_font()) == PDF


@pytest.mark.parametrize("as_key", [False, True], ids=["value", "key"])
def test_a_pdf_name_that_is_not_utf8_is_read_as_bytes_and_the_pdf_accepted(as_key):
    content = damaged_files.pdf_with_name_bytes(
        b"B\xafr" if not as_key else b"F\xafo", as_key=as_key
    )

    assert check("facture.pdf", content) == PDF


def test_an_active_name_is_still_found_next_to_a_name_that_is_not_utf8():
    def javascript_on_open(document: pikepdf.Pdf) -> None:
        document.Root.OpenAction = document.make_indirect(
            Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))
        )
        document.Root.Foo = Name("/Bar")

    content = sample_files.pdf(change=javascript_on_open).replace(b"/Bar", b"/B\xafr")

    errors = check("facture.pdf", content)

    assert isinstance(errors, list) and "macros, scripts" in errors[0]


@pytest.mark.parametrize(
    "content",
    [damaged_files.docx_with_bad_deflate(), damaged_files.docx_with_bad_lzma()],
    ids=["deflate", "lzma"],
)
def test_an_office_file_with_a_damaged_compressed_part_is_refused_at_the_field(content):
    assert check("facture.docx", content) == [NOT_ACCEPTED.format(name="facture.docx")]


@pytest.mark.parametrize(
    "content",
    [damaged_files.docx_with_bad_deflate(), damaged_files.docx_with_bad_lzma()],
    ids=["deflate", "lzma"],
)
def test_the_unpacking_library_s_own_error_becomes_unreadable(content):
    with pytest.raises(file_inspection.Unreadable):
        file_inspection.zip_unpack_bounded(
            content, max_entries=100, max_bytes=10_000_000, part_limits={}
        )


def test_a_library_failing_in_a_way_nobody_foresaw_is_a_refusal_and_a_warning(monkeypatch, caplog):
    def broken_open(*args, **kwargs):
        raise KeyError("a new way to fail")

    monkeypatch.setattr(pikepdf, "open", broken_open)

    with caplog.at_level(logging.WARNING, logger="aftersales.repairs.file_inspection"):
        errors = check("facture.pdf", sample_files.pdf())

    assert errors == [DAMAGED.format(name="facture.pdf", type="PDF")]
    warning = next(r for r in caplog.records if r.name == "aftersales.repairs.file_inspection")
    assert warning.levelno == logging.WARNING
    assert "KeyError" in warning.getMessage() and "pdf" in warning.getMessage()


def test_a_failure_outside_the_libraries_is_a_refusal_and_a_warning_too(monkeypatch, caplog):
    def broken(data, **kwargs):
        raise ZeroDivisionError("nobody saw this coming")

    monkeypatch.setattr(file_inspection, "pdf_facts", broken)

    with caplog.at_level(logging.WARNING, logger="aftersales.repairs.attachments"):
        errors = check("facture.pdf", sample_files.pdf())

    assert errors == [UNREADABLE.format(name="facture.pdf")]
    warning = next(r for r in caplog.records if r.name == "aftersales.repairs.attachments")
    assert warning.levelno == logging.WARNING
    assert "ZeroDivisionError" in warning.getMessage()
    assert warning.exc_info is not None


SAMPLES = {
    "pdf": ("x.pdf", sample_files.pdf),
    "docx": ("x.docx", sample_files.docx),
    "png": ("x.png", sample_files.png),
    "jpeg": ("x.jpg", sample_files.jpeg),
}


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_a_damaged_copy_of_a_good_file_is_accepted_or_refused_never_an_error(sample):
    name, make = SAMPLES[sample]
    crashes = []
    for label, content in damaged_files.damaged_copies(make(), seed=sample, flips=12):
        try:
            attachment_check(SimpleUploadedFile(name, content), AttachmentKind.INVOICE)
        except ValidationError:
            pass
        except Exception as error:  # what the test looks for
            crashes.append((label, type(error).__name__, str(error)[:100]))

    assert not crashes
