"""Guide RMA, proof of purchase: "PPT\\PDF\\EXCEL\\WORD\\PNG\\JPG\\GIF". The type of an upload is
read from its bytes; the name plays no part. Real samples of each type are built in
`sample_files` (pikepdf, Pillow, zipfile, a compound-file writer)."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest

from aftersales.repairs.attachments import (
    DOC,
    DOCX,
    GIF,
    JPEG,
    PDF,
    PNG,
    PPT,
    PPTX,
    XLS,
    XLSX,
    detect_file_type,
)

from . import sample_files

# A Windows program (the "MZ" of DOS headers) and a Linux one (ELF).
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (sample_files.pdf(), PDF),
        (sample_files.png(), PNG),
        (sample_files.jpeg(), JPEG),
        (sample_files.gif(), GIF),
        (sample_files.picture("GIF", version=b"87a"), GIF),
    ],
    ids=["pdf", "png", "jpeg", "gif89a", "gif87a"],
)
def test_documents_and_pictures_are_recognised_by_their_content(content, expected):
    assert detect_file_type(io.BytesIO(content)) == expected


def test_a_word_document_is_a_zip_whose_main_part_is_word():
    file_type = detect_file_type(io.BytesIO(sample_files.docx()))

    assert file_type == DOCX
    assert file_type.extension == ".docx"
    assert file_type.content_type.endswith("wordprocessingml.document")


def test_an_excel_workbook_and_a_powerpoint_presentation_are_recognised():
    assert detect_file_type(io.BytesIO(sample_files.xlsx())) == XLSX
    assert detect_file_type(io.BytesIO(sample_files.pptx())) == PPTX


@pytest.mark.parametrize(
    ("content", "expected"),
    [(sample_files.doc(), DOC), (sample_files.xls(), XLS), (sample_files.ppt(), PPT)],
    ids=["doc", "xls", "ppt"],
)
def test_office_97_files_are_told_apart_by_their_program(content, expected):
    assert detect_file_type(io.BytesIO(content)) == expected


@pytest.mark.parametrize(
    ("stream", "expected"),
    [("WordDocument", DOC), ("Workbook", XLS), ("PowerPoint Document", PPT)],
)
def test_an_office_97_file_without_its_programs_id_is_known_by_its_main_stream(stream, expected):
    content = sample_files.compound_file({"\x05SummaryInformation": b"", stream: b"\x00" * 16})

    assert detect_file_type(io.BytesIO(content)) == expected


def test_a_compound_file_that_is_not_office_is_refused():
    # An .msi installer is a compound file too.
    content = sample_files.compound_file({"\x05SummaryInformation": b"\x00" * 16})

    assert detect_file_type(io.BytesIO(content)) is None


def test_a_bare_compound_file_header_is_refused():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

    assert detect_file_type(io.BytesIO(content)) is None


def test_a_compound_file_whose_stream_loops_is_refused_quickly():
    content = bytearray(
        sample_files.compound_file({"WordDocument": b"\x01" * 5000}, clsid=sample_files.WORD_97)
    )
    # The FAT (sector 0, just after the header): the stream starts at sector 2, after the FAT
    # and the directory; its last sector now leads back to its first, a chain without end.
    fat = struct.unpack_from("<128I", content, 512)
    last = 2
    while fat[last] != sample_files.END_OF_CHAIN:
        last = fat[last]
    assert last > 2
    struct.pack_into("<I", content, 512 + 4 * last, 2)
    started = time.monotonic()

    assert detect_file_type(io.BytesIO(bytes(content))) is None
    assert time.monotonic() - started < 2


def test_a_plain_zip_that_is_not_office_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", WINDOWS_EXE)
        archive.writestr("word/readme.txt", "looks like Word, is not")

    assert detect_file_type(io.BytesIO(buffer.getvalue())) is None


def test_a_zip_with_content_types_but_no_office_part_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("docs/book.xml", "<book/>")

    assert detect_file_type(io.BytesIO(buffer.getvalue())) is None


def test_a_macro_enabled_word_document_is_refused():
    docm = sample_files.ooxml(
        "docm", extra={"word/vbaProject.bin": sample_files.compound_file(sample_files.VBA_PROJECT)}
    )

    assert detect_file_type(io.BytesIO(docm)) is None


def test_a_damaged_zip_is_refused():
    assert detect_file_type(io.BytesIO(sample_files.docx()[:200])) is None


@pytest.mark.parametrize("content", [WINDOWS_EXE, LINUX_ELF], ids=["exe", "elf"])
def test_programs_are_refused(content):
    assert detect_file_type(io.BytesIO(content)) is None


def test_a_program_with_a_pdf_header_later_in_the_file_is_refused():
    assert detect_file_type(io.BytesIO(WINDOWS_EXE + sample_files.pdf())) is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF",
        b"%PDF-1.4\n%%EOF\n",
        b"<html><script>alert(1)</script></html>",
        b"<svg/>",
        b"plain text",
        sample_files.png()[:40],
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    ],
    ids=[
        "empty",
        "truncated-pdf",
        "pdf-without-objects",
        "html",
        "svg",
        "text",
        "truncated-png",
        "jpeg-header-only",
    ],
)
def test_other_content_is_refused(content):
    assert detect_file_type(io.BytesIO(content)) is None


def test_detection_leaves_the_file_where_it_was():
    fileobj = io.BytesIO(sample_files.docx())
    fileobj.seek(7)

    detect_file_type(fileobj)

    assert fileobj.tell() == 7


def test_each_type_has_its_own_extension_and_content_type():
    types = [PDF, PNG, JPEG, GIF, DOC, XLS, PPT, DOCX, XLSX, PPTX]

    assert len({t.extension for t in types}) == len(types)
    assert len({t.content_type for t in types}) == len(types)
    assert JPEG.extension == ".jpg"
