"""Guide RMA: "≤ 25MB", and only the listed types. The form field says which file is refused
and why, naming the limit; a file is judged by its content, not by its name."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.datastructures import MultiValueDict

from aftersales.repairs.attachments import (
    DATAFLASH,
    JPEG,
    ULOG,
    AttachmentField,
    MultipleAttachmentField,
)
from aftersales.repairs.choices import AttachmentKind

from . import sample_files

MB = 1024 * 1024
PDF_BYTES = sample_files.pdf()
JPEG_BYTES = sample_files.jpeg()
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


class InvoiceForm(forms.Form):
    invoice = AttachmentField(required=False)


class FlightLogForm(forms.Form):
    flight_logs = MultipleAttachmentField(kind=AttachmentKind.FLIGHT_LOG, required=False)


def errors_for(uploaded_file: SimpleUploadedFile) -> list[str]:
    form = InvoiceForm(data={}, files={"invoice": uploaded_file})
    assert not form.is_valid()
    return form.errors["invoice"]


def test_a_file_over_25_mb_is_refused_with_its_name_size_and_the_limit():
    big = SimpleUploadedFile("facture.pdf", PDF_BYTES + b"\x00" * (26 * MB + 1 - len(PDF_BYTES)))

    assert errors_for(big) == ["“facture.pdf” is 26.0\xa0MB; files can be at most 25\xa0MB."]


def test_a_file_of_exactly_25_mb_is_accepted():
    limit = SimpleUploadedFile("facture.pdf", sample_files.pdf_of_size(25 * MB))

    form = InvoiceForm(data={}, files={"invoice": limit})

    assert form.is_valid(), form.errors


@override_settings(AFTERSALES={"UPLOAD_MAX_BYTES": 10, "BRAND": "DJI"})
def test_the_limit_comes_from_the_configuration():
    assert errors_for(SimpleUploadedFile("facture.pdf", b"%PDF-1.4\n%%EOF\n")) == [
        "“facture.pdf” is 15\xa0bytes; files can be at most 10\xa0bytes."
    ]


@pytest.mark.parametrize("content", [WINDOWS_EXE, LINUX_ELF], ids=["exe", "elf"])
def test_a_program_renamed_pdf_is_refused(content):
    assert errors_for(SimpleUploadedFile("facture.pdf", content)) == [
        "“facture.pdf” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."
    ]


def test_a_text_file_renamed_docx_is_refused():
    errors = errors_for(SimpleUploadedFile("invoice.docx", b"Invoice 42: 1299 EUR"))

    assert errors == ["“invoice.docx” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."]


def test_an_empty_file_is_refused():
    assert errors_for(SimpleUploadedFile("facture.pdf", b"")) == ["“facture.pdf” is empty."]


def test_the_name_in_the_message_has_no_folders_or_hidden_characters():
    errors = errors_for(SimpleUploadedFile("C:\\Users\\alice\\fac\u202eture.pdf", b"MZ\x90"))

    assert errors[0].startswith("“facture.pdf” is not")


def test_the_content_decides_the_type_whatever_the_name_says():
    form = InvoiceForm(data={}, files={"invoice": SimpleUploadedFile("scan.png", JPEG_BYTES)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["invoice"].file_type == JPEG


def test_no_file_is_fine_when_the_field_is_optional():
    form = InvoiceForm(data={}, files={})

    assert form.is_valid()
    assert form.cleaned_data["invoice"] is None


def test_the_file_chooser_offers_the_listed_types_and_knows_the_limit():
    html = str(InvoiceForm()["invoice"])

    assert 'type="file"' in html
    assert ".pdf" in html and ".docx" in html and ".gif" in html and ".pptx" in html
    assert f'data-max-bytes="{25 * MB}"' in html
    assert "PDF, Word, Excel, PowerPoint, PNG, JPG or GIF, at most 25\xa0MB." in str(
        InvoiceForm()["invoice"].help_text
    )


def test_several_flight_logs_are_checked_one_by_one():
    files = MultiValueDict(
        {
            "flight_logs": [
                SimpleUploadedFile("log1.ulg", sample_files.ulog()),
                SimpleUploadedFile("virus.bin", WINDOWS_EXE),
                SimpleUploadedFile("log2.bin", sample_files.dataflash()),
            ]
        }
    )
    form = FlightLogForm(data={}, files=files)

    assert not form.is_valid()
    assert form.errors["flight_logs"] == [
        "“virus.bin” is not a flight log in a format we accept: PX4 .ulg, ArduPilot .bin, "
        "MAVLink .tlog, DJI .txt or .DAT, Airdata .csv."
    ]


def test_several_good_flight_logs_are_all_kept():
    files = MultiValueDict(
        {
            "flight_logs": [
                SimpleUploadedFile("log1.ulg", sample_files.ulog()),
                SimpleUploadedFile("00000042.BIN", sample_files.dataflash()),
            ]
        }
    )
    form = FlightLogForm(data={}, files=files)

    assert form.is_valid(), form.errors
    assert [f.file_type for f in form.cleaned_data["flight_logs"]] == [ULOG, DATAFLASH]


def test_an_office_97_file_over_2_mb_is_refused_asking_for_pdf_or_a_current_format():
    # Older Office files are read record by record, about a second per megabyte.
    big_doc = sample_files.compound_file(
        {"WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * (2 * MB), "1Table": b"\x00"},
        clsid=sample_files.WORD_97,
    )

    assert errors_for(SimpleUploadedFile("facture.doc", big_doc)) == [
        "“facture.doc” is an Office 97–2003 file of more than 2\xa0MB, too large to be checked. "
        "Save it as PDF, or in the current Office format (.docx, .xlsx, .pptx), and attach that."
    ]
    small_doc = InvoiceForm(
        data={}, files={"invoice": SimpleUploadedFile("f.doc", sample_files.doc())}
    )
    assert small_doc.is_valid(), small_doc.errors
