"""Guide RMA, proof of purchase: "PPT\\PDF\\EXCEL\\WORD\\PNG\\JPG\\GIF". The type of an upload is
read from its bytes; the name plays no part. Small real samples of each type are built here."""

from __future__ import annotations

import io
import struct
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

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF89_HEADER = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01;"
GIF87_HEADER = b"GIF87a\x01\x00\x01\x00\x00\x00\x00;"
# A Windows program (the "MZ" of DOS headers) and a Linux one (ELF).
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
)


def ooxml(part: str, content_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(part=part, content_type=content_type)
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return ooxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    )


def compound_file(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file ([MS-CFB], version 3): header, one FAT sector, one directory
    sector holding the root storage and the given streams (empty)."""
    assert len(stream_names) <= 3
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 0x2C, 1, 1)  # one FAT sector; directory at sector 1
    struct.pack_into("<III", header, 0x38, 4096, end, 0)  # mini cutoff, no mini FAT
    struct.pack_into("<II", header, 0x44, end, 0)  # no DIFAT sector
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))  # the FAT is sector 0
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, left: int, right: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 0x44, left, right, child)
        struct.pack_into("<I", raw, 0x74, end if kind == 5 else 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, no_stream, no_stream, 1 if stream_names else no_stream)]
    # Streams chained through their right siblings, from entry 1.
    for index, name in enumerate(stream_names, start=1):
        right = index + 1 if index < len(stream_names) else no_stream
        entries.append(entry(name, 2, no_stream, right, no_stream))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + fat + directory


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (MINIMAL_PDF, PDF),
        (PNG_HEADER, PNG),
        (JPEG_HEADER, JPEG),
        (GIF89_HEADER, GIF),
        (GIF87_HEADER, GIF),
    ],
    ids=["pdf", "png", "jpeg", "gif89a", "gif87a"],
)
def test_documents_and_pictures_are_recognised_by_their_first_bytes(content, expected):
    assert detect_file_type(io.BytesIO(content)) == expected


def test_a_word_document_is_a_zip_with_content_types_and_a_word_part():
    file_type = detect_file_type(io.BytesIO(docx()))

    assert file_type == DOCX
    assert file_type.extension == ".docx"
    assert file_type.content_type.endswith("wordprocessingml.document")


def test_an_excel_workbook_and_a_powerpoint_presentation_are_recognised():
    xlsx = ooxml(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    )
    pptx = ooxml(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )

    assert detect_file_type(io.BytesIO(xlsx)) == XLSX
    assert detect_file_type(io.BytesIO(pptx)) == PPTX


@pytest.mark.parametrize(
    ("stream", "expected"),
    [("WordDocument", DOC), ("Workbook", XLS), ("PowerPoint Document", PPT)],
)
def test_office_97_files_are_told_apart_by_their_main_stream(stream, expected):
    content = compound_file("\x05SummaryInformation", stream)

    assert detect_file_type(io.BytesIO(content)) == expected


def test_a_compound_file_that_is_not_office_is_refused():
    # An .msi installer is a compound file too.
    assert detect_file_type(io.BytesIO(compound_file("\x05SummaryInformation"))) is None


def test_a_bare_compound_file_header_is_refused():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

    assert detect_file_type(io.BytesIO(content)) is None


def test_a_compound_file_whose_directory_loops_is_refused_quickly():
    content = bytearray(compound_file("WordDocument"))
    # The FAT says the directory sector (1) is followed by itself.
    struct.pack_into("<I", content, 512 + 4, 1)

    assert detect_file_type(io.BytesIO(bytes(content))) is None


def test_a_plain_zip_that_is_not_office_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", WINDOWS_EXE)
        archive.writestr("word/readme.txt", "looks like Word, is not")

    assert detect_file_type(io.BytesIO(buffer.getvalue())) is None


def test_a_zip_with_content_types_but_no_office_part_is_refused():
    content = ooxml("docs/book.xml", "application/xml")

    assert detect_file_type(io.BytesIO(content)) is None


def test_a_macro_enabled_word_document_is_refused():
    docm = ooxml(
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        extra={"word/vbaProject.bin": b"\x00" * 10},
    )

    assert detect_file_type(io.BytesIO(docm)) is None


def test_a_damaged_zip_is_refused():
    assert detect_file_type(io.BytesIO(docx()[:200])) is None


@pytest.mark.parametrize("content", [WINDOWS_EXE, LINUX_ELF], ids=["exe", "elf"])
def test_programs_are_refused(content):
    assert detect_file_type(io.BytesIO(content)) is None


def test_a_program_with_a_pdf_header_later_in_the_file_is_refused():
    assert detect_file_type(io.BytesIO(WINDOWS_EXE + MINIMAL_PDF)) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"%PDF", b"<html><script>alert(1)</script></html>", b"<svg/>", b"plain text"],
    ids=["empty", "truncated-pdf", "html", "svg", "text"],
)
def test_other_content_is_refused(content):
    assert detect_file_type(io.BytesIO(content)) is None


def test_detection_leaves_the_file_where_it_was():
    fileobj = io.BytesIO(docx())
    fileobj.seek(7)

    detect_file_type(fileobj)

    assert fileobj.tell() == 7


def test_each_type_has_its_own_extension_and_content_type():
    types = [PDF, PNG, JPEG, GIF, DOC, XLS, PPT, DOCX, XLSX, PPTX]

    assert len({t.extension for t in types}) == len(types)
    assert len({t.content_type for t in types}) == len(types)
    assert JPEG.extension == ".jpg"
