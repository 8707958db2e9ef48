"""Uploads of the repair request: the proof of purchase and the flight logs — the POLICY —, and
the photos of the parcel that reception takes (PNG or JPEG only).

Guide RMA, proof of purchase: "PPT\\PDF\\EXCEL\\WORD\\PNG\\JPG\\GIF, ≤ 25MB". Flight logs: the
formats drones and their apps write (PX4 .ulg, ArduPilot .bin, MAVLink .tlog, DJI .txt and
.DAT, Airdata .csv). This module says which types are accepted for which use, the limits, what
counts as active content and what the customer reads when a file is refused;
`repairs.file_inspection` asks the libraries (puremagic, Pillow, pikepdf, oletools, zipfile)
what a file is and holds.

A type is read from the file's content, never from its name (a program renamed `facture.pdf` is
refused); the name counts only for flight-log formats that have no signature (.txt, .csv,
.DAT), and even then the content must not be a program, an archive, a document or a web page.
Staff open these files in desktop programs, so a file that would run or load anything when
opened — macros, scripts, embedded files, links to outside content, DDE, a web page hidden in
a picture, a spreadsheet formula — or that unpacks out of proportion is REFUSED at the field,
not flagged: the customer can always send a plain copy (print to PDF, export again), while a
flag would leave a member of staff to judge a hostile file. Files are stored under MEDIA_ROOT,
which has no URL: they are read only through `views.files.attachment_download`, which checks
the owner or staff and sends them as downloads that no browser renders.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oletools.ftguess import FTYPE

from . import file_inspection
from .choices import AttachmentKind
from .models import Attachment, RepairRequest

logger = logging.getLogger(__name__)

MIB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str  # the one stored on disk and offered on download
    label: str
    # Extensions a customer's file name may already carry for this type (kept on download).
    suffixes: tuple[str, ...] = ()

    def accepts_suffix(self, suffix: str) -> bool:
        return suffix.lower() in (self.extension, *self.suffixes)


# --- Proofs of purchase (Guide RMA) --------------------------------------------------------------

PDF = FileType("application/pdf", ".pdf", "PDF")
PNG = FileType("image/png", ".png", "PNG")
JPEG = FileType("image/jpeg", ".jpg", "JPG", (".jpeg", ".jpe", ".jfif"))
GIF = FileType("image/gif", ".gif", "GIF")
DOC = FileType("application/msword", ".doc", "Word", (".dot",))
XLS = FileType("application/vnd.ms-excel", ".xls", "Excel", (".xlt",))
PPT = FileType("application/vnd.ms-powerpoint", ".ppt", "PowerPoint", (".pps", ".pot"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pptx",
    "PowerPoint",
    (".ppsx",),
)
INVOICE_TYPES: tuple[FileType, ...] = (PDF, PNG, JPEG, GIF, DOC, XLS, PPT, DOCX, XLSX, PPTX)

# --- Flight logs ---------------------------------------------------------------------------------

ULOG = FileType("application/x-px4-ulog", ".ulg", "PX4 ULog")
DATAFLASH = FileType("application/x-ardupilot-dataflash", ".bin", "ArduPilot DataFlash")
TLOG = FileType("application/x-mavlink-tlog", ".tlog", "MAVLink telemetry")
DJI_FLIGHT_RECORD = FileType("application/x-dji-flight-record", ".txt", "DJI flight record")
DJI_DAT = FileType("application/x-dji-dat", ".dat", "DJI DAT")
AIRDATA_CSV = FileType("text/csv", ".csv", "Airdata CSV")
FLIGHT_LOG_TYPES: tuple[FileType, ...] = (
    ULOG,
    DATAFLASH,
    TLOG,
    DJI_FLIGHT_RECORD,
    DJI_DAT,
    AIRDATA_CSV,
)

# --- Photos of the parcel and the unit, taken by reception ------------------------------------

PARCEL_PHOTO_TYPES: tuple[FileType, ...] = (PNG, JPEG)

ALLOWED_TYPES: tuple[FileType, ...] = INVOICE_TYPES + FLIGHT_LOG_TYPES
TYPES_FOR_KIND: dict[str, tuple[FileType, ...]] = {
    AttachmentKind.INVOICE: INVOICE_TYPES,
    AttachmentKind.FLIGHT_LOG: FLIGHT_LOG_TYPES,
    AttachmentKind.PARCEL_PHOTO: PARCEL_PHOTO_TYPES,
}


def accept_for(kind: str) -> str:
    """The file chooser's filter: a convenience for the customer, not a check."""
    return ",".join(sorted({s for t in TYPES_FOR_KIND[kind] for s in (t.extension, *t.suffixes)}))


# How many files of each kind one request keeps. One proof of purchase: the guide's form has a
# single invoice upload, so a new upload is the customer correcting it and replaces the old one
# (see attachment_add). Flight logs: a few per accident; the cap bounds the disk one draft uses.
REPLACED_KINDS = frozenset({AttachmentKind.INVOICE})
MAX_ATTACHMENTS: dict[str, int] = {
    AttachmentKind.INVOICE: 1,
    AttachmentKind.FLIGHT_LOG: 10,
    # The parcel as it arrived and the unit from a few sides.
    AttachmentKind.PARCEL_PHOTO: 10,
}
# Files the workshop adds to a case that was sent (the customer's own files stay as sent).
STAFF_KINDS = frozenset({AttachmentKind.PARCEL_PHOTO})
TOO_MANY_MESSAGES: dict[str, Any] = {
    AttachmentKind.FLIGHT_LOG: _(
        "You can attach at most %(limit)s flight logs; remove one to add another."
    ),
    AttachmentKind.PARCEL_PHOTO: _("A case can have at most %(limit)s photos of its parcel."),
}

# --- Limits --------------------------------------------------------------------------------------

# An Office 2007+ file is a ZIP. It may always unpack to 10 MB; beyond that to at most 100 times
# its own size (text and XML compress about 5 to 20 times; a zip bomb a thousand times), and
# never to more than 50 MB (a proof of purchase full of photos unpacks to about its own size;
# checking 50 MB of XML for DDE fields takes seconds) or 5,000 parts. Its two index parts, which
# readers load whole, to 1 MB each.
UNPACKED_FREE_BYTES = 10 * MIB
UNPACKED_MAX_RATIO = 100
UNPACKED_MAX_BYTES = 50 * MIB
ARCHIVE_MAX_ENTRIES = 5_000
PACKAGE_INDEX_PARTS = {"[Content_Types].xml": 1 * MIB, "_rels/.rels": 1 * MIB}
# Office 97–2003 files are read record by record to find macros and DDE links (about a second
# per megabyte); an invoice in those formats is a few hundred kilobytes.
OFFICE_97_MAX_BYTES = 2 * MIB
# A PDF with more dictionary entries and array items than this is refused rather than checked
# for seconds on end (a 3,000-page PDF has about 60,000; 100,000 take a second or so).
PDF_MAX_ENTRIES = 100_000
# 50 megapixels: any phone's or scanner's picture; decoding more would take the memory of a
# web process.
IMAGE_MAX_PIXELS = 50_000_000
# Scans of a JPEG: a baseline JPEG has one (or one per colour), a progressive one about ten.
# Each scan costs the decoder a pass over every block of the picture, whatever its size in
# the file (75 bytes), so that a JPEG repeating its scans takes minutes of CPU to decode.
JPEG_MAX_SCANS = 64
# How much of the start and of the end of a picture or a flight log is searched for a web page:
# browsers sniff the first 512 bytes (WHATWG MIME sniffing reads up to 1445); an HTML page
# appended to a picture ends in its last bytes.
SNIFF_BYTES = 1024

# --- What counts as active -----------------------------------------------------------------------

# PDF: JavaScript (an /S /JavaScript action, a /JS entry, the names tree's /JavaScript),
# launching a program (/Launch), files embedded in the document (/EmbeddedFiles, /EmbeddedFile,
# file-attachment annotations, /GoToE), actions run on events (/AA: opening a page, focusing a
# field…), Flash and 3D (/RichMedia) and XFA forms, which carry their own scripts. An
# /OpenAction that only goes to a page is harmless and kept; one that runs JavaScript is caught
# by its /S /JavaScript.
PDF_ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/XFA",
        "/RichMediaContent",
        "/RichMediaSettings",
    }
)
PDF_ACTIVE_VALUES = frozenset(
    {"/JavaScript", "/Launch", "/EmbeddedFile", "/FileAttachment", "/GoToE", "/RichMedia"}
)
# The actions a PDF may run when it is opened (its /OpenAction, and every action chained to
# it by /Next): going to a page or a thread, a named page action, showing layers, a
# transition. Any other — opening a web address (/URI), another file (/GoToR, also on a
# network share that takes the reader's Windows credentials; /GoToE; /Launch), sending or
# loading form data (/SubmitForm, /ImportData), a sound, a movie… — loads something outside
# the document on opening, unasked, like an /AA action, and is refused. The same actions
# behind a link are kept: they run only when clicked.
PDF_OPEN_ACTIONS_KEPT = frozenset({"/GoTo", "/Named", "/Thread", "/SetOCGState", "/Trans"})
# Office: macros (VBA; Excel 4 macro sheets), embedded OLE objects and ActiveX controls, DDE
# links, and relationships to outside content (a remote template, a linked object, a frame…).
# Hyperlinks are what an invoice has at its foot: they open only when clicked, and are kept.
OFFICE_HARMLESS_EXTERNAL_RELATIONSHIPS = frozenset({"hyperlink"})
OFFICE_ACTIVE_CONTENT_TYPES = ("macrosheet", "vbaproject", "activex", "oleobject", "macroenabled")
# Office 2007+ formats made to hold macros, refused whatever they hold.
OFFICE_MACRO_FORMATS = frozenset(
    {
        FTYPE.WORD2007_DOCM,
        FTYPE.WORD2007_DOTM,
        FTYPE.EXCEL2007_XLSM,
        FTYPE.EXCEL2007_XLTM,
        FTYPE.EXCEL2007_XLAM,
        FTYPE.POWERPOINT2007_PPTM,
        FTYPE.POWERPOINT2007_PPSM,
    }
)
OFFICE_FORMATS: dict[str, FileType] = {
    FTYPE.WORD2007_DOCX: DOCX,
    FTYPE.EXCEL2007_XLSX: XLSX,
    FTYPE.POWERPOINT2007_PPTX: PPTX,
    FTYPE.POWERPOINT2007_PPSX: PPTX,
    FTYPE.WORD97: DOC,
    FTYPE.WORD6: DOC,
    FTYPE.EXCEL97: XLS,
    FTYPE.EXCEL5: XLS,
    FTYPE.POWERPOINT97: PPT,
}
# A compound file whose root CLSID names no Office program is still Word, Excel or PowerPoint
# when its main stream is theirs ([MS-DOC], [MS-XLS], [MS-PPT]); an .msi installer is a compound
# file too, and has none of these.
OFFICE_97_MAIN_STREAMS: dict[str, FileType] = {
    "worddocument": DOC,
    "workbook": XLS,
    "book": XLS,  # Excel 5/95
    "powerpoint document": PPT,
}
# A web page or a script, where a picture or a flight log has none (case-insensitive).
HTML_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<frame",
    b"<svg",
    b"<?xml",
    b"<?php",
    b"<object",
    b"<embed",
    b"<applet",
    b"<meta",
    b"<style",
    b"<link",
    b"<img",
    b"<title",
    b"<div",
    b"<table",
    b"<form",
    b"<base",
    b"<a href",
    b"javascript:",
    b"vbscript:",
    b"<!--",
)
# Tags of a web page that the markers above do not cover. Each counts only where its name ends
# (a space, / or >): metadata has tags whose names start like them (XMP's <xmp:…>, <xmpTPg:…>).
# Tags of one letter, which random bytes would take too often (the compressed data at the end
# of a picture), count only with an attribute (<b onmouseover=…>, where a script would be) or
# as a closing tag (</p>).
HTML_TAGS = re.compile(
    rb"<(?:(?:details|summary|dialog|font|marquee|center|span|template|noscript|input|button"
    rb"|select|textarea|video|audio|source|math|xmp|plaintext|isindex|section|article|h[1-6]"
    rb"|br|hr|em|ul|ol|li|dl|dt|dd|tr|td|th|nav|pre|sub|sup|big|del|ins|kbd)[\s/>]"
    rb"|[abipqsu]\s+[a-z][a-z-]*\s*=|/[abipqsu]>)",
    re.IGNORECASE,
)
# A PDF's first bytes may hold an XMP metadata packet (XML, harmless in a download): the
# markers of a web page only.
PDF_HTML_MARKERS = tuple(marker for marker in HTML_MARKERS if marker != b"<?xml")
# What a file with no signature of its own must not really be: a program, an archive, a
# document that runs macros or a web page in disguise (puremagic's extensions for their
# signatures). Formats known by two bytes only, and harmless under the log's own name
# (PostScript, pictures), are left out: random bytes would match them too often.
DISGUISES = frozenset(
    {
        ".exe",
        ".dll",
        ".com",
        ".scr",
        ".sys",
        ".ocx",
        ".msi",
        ".lnk",
        ".jar",
        ".class",
        ".apk",
        ".zip",
        ".rar",
        ".7z",
        ".gz",
        ".bz2",
        ".xz",
        ".cab",
        ".tar",
        ".iso",
        ".doc",
        ".xls",
        ".ppt",
        ".docx",
        ".xlsx",
        ".pptx",
        ".pdf",
        ".rtf",
        ".html",
        ".htm",
        ".xml",
        ".svg",
        ".swf",
        ".chm",
        ".hta",
    }
)
# A CSV cell that a spreadsheet program reads as a formula, and may run (=cmd|…, @SUM(…),
# +cmd|…, -cmd|…, -2+3+cmd|…): one starting with = or @, or with + or - followed by anything
# but a number (or nothing) up to the end of the cell. Negative coordinates (-2.35, -1e-5) are
# data. A cell starts the file (after a byte order mark, which spreadsheet programs drop), a
# line (after LF, CR LF or a bare CR, a line break too for spreadsheet programs) or follows a
# comma, semicolon or tab. A number may have a decimal comma (-2,35, as a spreadsheet program
# set for French reads a file it splits at semicolons): it must then end the cell too, so that
# -2,3+cmd|… is a formula.
_CSV_CELL_END = rb'[ \t]*(?:[,;\t"\r\n]|\Z)'
_CSV_EXPONENT = rb"(?:[eE][+-]?\d+)?"
_CSV_DECIMAL_COMMA = rb"\d+,\d+" + _CSV_EXPONENT
_CSV_NUMBER = rb"(?:\d+(?:\.\d*)?|\.\d+)" + _CSV_EXPONENT
CSV_FORMULA_CELL = re.compile(
    rb'(?:\A(?:\xef\xbb\xbf)?|[\r\n,;\t])(?=[ \t]*"?[ \t]*(?P<cell>[=@]|[+-](?![ \t]*(?:'
    + _CSV_DECIMAL_COMMA
    + _CSV_CELL_END
    + rb"|(?!"
    + _CSV_DECIMAL_COMMA
    + rb")(?:"
    + _CSV_NUMBER
    + rb")?"
    + _CSV_CELL_END
    + rb"))))"
)
# A field in double quotes ("" for a quote inside): only where a cell starts, as spreadsheet
# programs read them (a quote inside a cell is a character); to the end when it is not closed.
# The separators and line breaks inside it start no cell ("Landing, -3 m" is text).
# (The quote comes first in the pattern, so that the search skips quickly to the next quote.)
CSV_QUOTED_FIELD = re.compile(
    rb'(?:\A\xef\xbb\xbf"|"(?<=(?<![^\r\n,;\t])"))(?:[^"]++|"")*+(?:"|\Z)'
)
_CSV_QUOTED_FIELD_OR_FORMULA = re.compile(
    CSV_QUOTED_FIELD.pattern + rb"|" + CSV_FORMULA_CELL.pattern
)
_LINE_BREAK = re.compile(rb"\r\n?|\n")

# --- The messages --------------------------------------------------------------------------------

# "Not a file of the accepted types", for each use.
FILE_TYPE_MESSAGES: dict[str, Any] = {
    AttachmentKind.INVOICE: _(
        "“%(name)s” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."
    ),
    AttachmentKind.FLIGHT_LOG: _(
        "“%(name)s” is not a flight log in a format we accept: PX4 .ulg, ArduPilot .bin, "
        "MAVLink .tlog, DJI .txt or .DAT, Airdata .csv."
    ),
    AttachmentKind.PARCEL_PHOTO: _("“%(name)s” is not a PNG or JPG picture."),
}
MESSAGES = {
    "empty": _("“%(name)s” is empty."),
    "too_big": _("“%(name)s” is %(size)s; files can be at most %(limit)s."),
    "damaged": _("“%(name)s” could not be read as a %(type)s file: it is damaged or incomplete."),
    "password": _(
        "“%(name)s” is protected by a password, so it cannot be checked or opened. Attach it "
        "without the password."
    ),
    "active": _(
        "“%(name)s” contains macros, scripts, embedded files or links that run or load when it "
        "is opened, which we do not accept. Print or save it as a plain PDF and attach that."
    ),
    "unpacked": _(
        "“%(name)s” unpacks to more than %(limit)s when opened, out of proportion to its "
        "size. Print or save it as a plain PDF and attach that."
    ),
    "office_97_size": _(
        "“%(name)s” is an Office 97–2003 file of more than %(limit)s, too large to be checked. "
        "Save it as PDF, or in the current Office format (.docx, .xlsx, .pptx), and attach that."
    ),
    "parts": _(
        "“%(name)s” is made of more than %(limit)s parts. Print or save it as a plain PDF and "
        "attach that."
    ),
    "objects": _(
        "“%(name)s” is too complex to be checked. Print or save it as a new PDF and attach that."
    ),
    "pixels": _(
        "“%(name)s” has more than %(limit)s million pixels, more than a picture we can check."
    ),
    "hidden_page": _(
        "“%(name)s” is a %(type)s picture with a web page or a script hidden in it, which we do "
        "not accept."
    ),
    "hidden_page_document": _(
        "“%(name)s” is a %(type)s file with a web page or a script hidden in it, which we do not "
        "accept. Print or save it as a new PDF and attach that."
    ),
    "scans": _(
        "“%(name)s” is a JPG picture made of more than %(limit)s scans, more than a picture we "
        "can check. Save it again as an ordinary JPG or PNG and attach that."
    ),
    "unreadable": _("“%(name)s” could not be read: it is damaged or incomplete."),
    "formula": _(
        "“%(name)s”, line %(line)s: a cell starts with =, +, - or @, which spreadsheet programs "
        "run as a formula. Attach the log as it was exported."
    ),
}


class Refused(Exception):
    """A file the policy does not accept: the message's key, its parameters, and for the log
    the reason in a word or two (never the file's content)."""

    def __init__(self, code: str, reason: str = "", **params: Any) -> None:
        super().__init__(reason or code)
        self.code = code
        self.reason = reason or code
        self.params = params


# --- Deciding ------------------------------------------------------------------------------------


def _unpacked_limit(size: int) -> int:
    return min(UNPACKED_MAX_BYTES, max(UNPACKED_FREE_BYTES, UNPACKED_MAX_RATIO * size))


def _has_html(data: bytes, *, tail: bool = True, markers: tuple[bytes, ...] = HTML_MARKERS) -> bool:
    """A web page's or a script's markers (case-insensitive) in the first SNIFF_BYTES of the
    file, and in its last ones when `tail`."""
    head, end = file_inspection.head_and_tail(data, SNIFF_BYTES)
    parts = (head.lower(), end.lower()) if tail else (head.lower(),)
    return any(marker in part for part in parts for marker in markers) or any(
        HTML_TAGS.search(part) for part in parts
    )


def _pdf(data: bytes) -> FileType:
    # A browser sniffing the first bytes would take a PDF starting with a web page for one.
    if _has_html(data, tail=False, markers=PDF_HTML_MARKERS):
        raise Refused("hidden_page_document", "pdf with html", type=PDF.label)
    try:
        facts = file_inspection.pdf_facts(
            data, keys=PDF_ACTIVE_KEYS, values=PDF_ACTIVE_VALUES, max_entries=PDF_MAX_ENTRIES
        )
    except file_inspection.PasswordProtected as error:
        raise Refused("password", "pdf password") from error
    except file_inspection.OverLimit as error:
        raise Refused("objects", "pdf objects") from error
    except file_inspection.Unreadable as error:
        raise Refused("damaged", f"pdf: {error}", type=PDF.label) from error
    found = facts.names | {
        f"/OpenAction {action}" for action in facts.open_actions - PDF_OPEN_ACTIONS_KEPT
    }
    if found:
        raise Refused("active", "pdf " + " ".join(sorted(found)))
    return PDF


def _picture(data: bytes, file_type: FileType, image_format: str) -> FileType:
    if _has_html(data):
        raise Refused("hidden_page", f"{image_format} with html", type=file_type.label)
    try:
        width, height = file_inspection.image_size(data, image_format)
        if width * height > IMAGE_MAX_PIXELS:
            raise file_inspection.OverLimit("pixels", IMAGE_MAX_PIXELS)
        if (
            image_format == "JPEG"
            and file_inspection.jpeg_scans(data, stop_after=JPEG_MAX_SCANS) > JPEG_MAX_SCANS
        ):
            raise Refused("scans", "jpeg scans", limit=JPEG_MAX_SCANS)
        file_inspection.image_decode(data, image_format)
    except file_inspection.OverLimit as error:
        raise Refused("pixels", "pixels", limit=IMAGE_MAX_PIXELS // 1_000_000) from error
    except file_inspection.Unreadable as error:
        raise Refused("damaged", f"{image_format}: {error}", type=file_type.label) from error
    return file_type


def _office(data: bytes, is_zip: bool) -> FileType:
    package = None
    if not is_zip and len(data) > OFFICE_97_MAX_BYTES:
        raise Refused("office_97_size", "office 97 size", limit=_size_text(OFFICE_97_MAX_BYTES))
    if is_zip:
        limit = _unpacked_limit(len(data))
        try:
            package = file_inspection.zip_unpack_bounded(
                data,
                max_entries=ARCHIVE_MAX_ENTRIES,
                max_bytes=limit,
                part_limits=PACKAGE_INDEX_PARTS,
                needles=file_inspection.OOXML_MARKUP,
            )
        except file_inspection.OverLimit as error:
            if error.what == "entries":
                raise Refused(
                    "parts",
                    "zip entries",
                    limit=number_format(ARCHIVE_MAX_ENTRIES, force_grouping=True),
                ) from error
            raise Refused(
                "unpacked", f"zip {error.what}", limit=_size_text(min(limit, error.limit))
            ) from error
        except file_inspection.PasswordProtected as error:
            raise Refused("password", "zip password") from error
        except file_inspection.Unreadable as error:
            raise Refused("file_type", f"zip: {error}") from error
    try:
        facts = file_inspection.office_facts(data, package)
    except file_inspection.Unreadable as error:
        raise Refused("file_type", f"office: {error}") from error
    if facts.encrypted:
        raise Refused("password", "office password")
    if facts.filetype in OFFICE_MACRO_FORMATS:
        raise Refused("active", f"office {facts.filetype}")
    file_type = OFFICE_FORMATS.get(facts.filetype)
    if file_type is None and facts.container == "ole":
        file_type = next(
            (t for stream, t in OFFICE_97_MAIN_STREAMS.items() if stream in facts.root_streams),
            None,
        )
    if file_type is None:
        raise Refused("file_type", f"office {facts.filetype}")
    active = [
        reason
        for reason, present in (
            ("vba", facts.vba_macros),
            ("xlm", facts.xlm_macros),
            ("embedded", facts.embedded_objects),
            ("dde", facts.dde_links),
            (
                "external " + " ".join(sorted(facts.external_relationships)),
                bool(facts.external_relationships - OFFICE_HARMLESS_EXTERNAL_RELATIONSHIPS),
            ),
            (
                "content type",
                any(a in t for t in facts.content_types for a in OFFICE_ACTIVE_CONTENT_TYPES),
            ),
        )
        if present
    ]
    if active:
        raise Refused("active", "office " + ", ".join(active))
    return file_type


def _invoice_type(data: bytes) -> FileType:
    extensions = {signature.extension for signature in file_inspection.signatures(data)}
    if ".pdf" in extensions:
        return _pdf(data)
    if ".png" in extensions:
        return _picture(data, PNG, "PNG")
    if extensions & {".jpg", ".jpeg"}:
        return _picture(data, JPEG, "JPEG")
    if ".gif" in extensions:
        return _picture(data, GIF, "GIF")
    if ".doc" in extensions:  # the compound file signature Office 97 files share
        return _office(data, is_zip=False)
    if ".zip" in extensions:  # Office 2007+ files are ZIP packages
        return _office(data, is_zip=True)
    raise Refused("file_type", "no accepted signature")


def _photo_type(data: bytes) -> FileType:
    """A photo of the parcel: a picture the camera or tablet wrote, nothing else."""
    extensions = {signature.extension for signature in file_inspection.signatures(data)}
    if ".png" in extensions:
        return _picture(data, PNG, "PNG")
    if extensions & {".jpg", ".jpeg"}:
        return _picture(data, JPEG, "JPEG")
    raise Refused("file_type", "not a png or jpeg picture")


def _flight_log_type(data: bytes, name: str) -> FileType:
    if _has_html(data):
        raise Refused("file_type", "html in a flight log")
    # Formats with a signature: the content decides, whatever the name.
    if file_inspection.is_ulog(data):
        return ULOG
    if file_inspection.is_dataflash(data):
        return DATAFLASH
    messages, length = file_inspection.tlog_messages(data, wanted=3)
    if messages == 3 or (messages and length == len(data)):
        return TLOG
    # Formats without one: the name says which, and the content must not be anything else.
    disguise = next(
        (
            s
            for s in file_inspection.signatures(data)
            if s.extension in DISGUISES
            or "executable" in s.name.lower()
            or "mach-o" in s.name.lower()
        ),
        None,
    )
    if disguise is not None:
        raise Refused("file_type", f"really {disguise.extension or disguise.name}")
    suffix = os.path.splitext(name)[1].lower()
    if suffix == DJI_FLIGHT_RECORD.extension:
        prefix = file_inspection.dji_record_prefix(data)
        # The details' offset is within the first 4 GB (its high bytes are zero) and the
        # format version is small: what a text file or random bytes do not have.
        if prefix is not None and prefix[0] < 2**32 and prefix[1] < 64:
            return DJI_FLIGHT_RECORD
    elif suffix == DJI_DAT.extension:
        return DJI_DAT
    elif suffix == AIRDATA_CSV.extension and file_inspection.is_text(data[:65536]):
        formula = _csv_formula(data)
        if formula is not None:
            line = len(_LINE_BREAK.findall(data, 0, formula)) + 1
            raise Refused("formula", "csv formula", line=line)
        return AIRDATA_CSV
    raise Refused("file_type", f"no flight log signature ({suffix or 'no suffix'})")


def _csv_formula(data: bytes) -> int | None:
    """Where the first cell a spreadsheet program would run as a formula starts, or None:
    quoted fields are passed over whole, so that a separator inside one starts no cell."""
    if CSV_FORMULA_CELL.search(data) is None:  # nearly every log: no need to mind quotes
        return None
    for match in _CSV_QUOTED_FIELD_OR_FORMULA.finditer(data):
        if match.group("cell") is not None:
            return match.start("cell")
    return None


_DECIDERS: dict[str, Callable[[bytes, str], FileType]] = {
    AttachmentKind.INVOICE: lambda data, name: _invoice_type(data),
    AttachmentKind.FLIGHT_LOG: _flight_log_type,
    AttachmentKind.PARCEL_PHOTO: lambda data, name: _photo_type(data),
}


def _decision(data: bytes, kind: str, name: str) -> FileType | Refused:
    """The accepted type of the file for this use, or why it is refused."""
    try:
        return _DECIDERS[kind](data, name)
    except Refused as refused:
        return refused
    except Exception as error:
        # A failure nobody foresaw while reading the file (file_inspection turns the libraries'
        # into Unreadable): the file could not be checked, so it is refused at its field, never
        # answered with a 500; the log says what failed (never the file's content).
        logger.warning(
            "Upload could not be checked: unexpected %s",
            type(error).__name__,
            exc_info=error,
            extra={"kind": str(kind), "error_type": type(error).__name__},
        )
        return Refused("unreadable", f"unexpected {type(error).__name__}")


def _read_all(fileobj: Any) -> bytes:
    """The whole upload (at most UPLOAD_MAX_BYTES, checked before), leaving the file where it
    was: the libraries read from memory."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        return bytes(fileobj.read())
    finally:
        fileobj.seek(position)


def detect_file_type(
    fileobj: Any, kind: str = AttachmentKind.INVOICE, name: str = ""
) -> FileType | None:
    """The accepted type of a file for this use, from its content, or None when it is refused
    for any reason. Leaves the file where it was."""
    decision = _decision(_read_all(fileobj), kind, name)
    return None if isinstance(decision, Refused) else decision


# --- The rules: size, emptiness, type ----------------------------------------------------------


def _upload_max_bytes() -> int:
    limit: int = settings.AFTERSALES["UPLOAD_MAX_BYTES"]  # type: ignore[assignment]
    return limit


def _size_text(size: int) -> str:
    # "25 MB" rather than "25.0 MB" for the configured limit; Django's own unit words, so the
    # French reads "25 Mio" like the size next to it.
    if size and size % MIB == 0:
        # No break between number and unit, as filesizeformat does.
        return (gettext("%s MB") % number_format(size // MIB)).replace(" ", "\xa0")
    return str(filesizeformat(size))


def _display_name(uploaded_file: Any) -> str:
    return original_name_clean(getattr(uploaded_file, "name", "") or "")


# What was decided on each upload still in memory, per kind: the form's field and then
# attachment_add check the same file object, and a check may take a second or two. Only
# attachment_check writes here, so a caller cannot pass a file off as checked.
_decisions: WeakKeyDictionary[Any, dict[str, FileType | Refused]] = WeakKeyDictionary()


def _decide(uploaded_file: Any, kind: str, name: str) -> FileType:
    try:
        known = _decisions.get(uploaded_file, {})
    except TypeError:  # an object that cannot be remembered is checked every time
        known = {}
    decision = known.get(kind)
    if decision is None:
        decision = _decision(_read_all(uploaded_file), kind, name)
        with contextlib.suppress(TypeError):
            _decisions.setdefault(uploaded_file, {})[kind] = decision
    if isinstance(decision, Refused):
        raise decision
    return decision


def attachment_check(uploaded_file: Any, kind: str = AttachmentKind.INVOICE) -> FileType:
    """The rules for an upload of this kind; the detected type, or a ValidationError to show
    at the field."""
    if kind not in TYPES_FOR_KIND:
        raise ValueError(f"Unknown attachment kind: {kind!r}")
    name = _display_name(uploaded_file)
    limit = _upload_max_bytes()
    size = uploaded_file.size
    try:
        if not size:
            raise Refused("empty")
        if size > limit:
            raise Refused("too_big", size=_size_text(size), limit=_size_text(limit))
        return _decide(uploaded_file, kind, name)
    except Refused as refused:
        logger.info(
            "Upload refused",
            extra={"kind": str(kind), "code": str(refused.code), "reason": refused.reason},
        )
        message = (
            FILE_TYPE_MESSAGES[kind] if refused.code == "file_type" else MESSAGES[refused.code]
        )
        raise ValidationError(
            message, code=refused.code, params={"name": name, **refused.params}
        ) from refused


HELP_TEXTS: dict[str, Any] = {
    AttachmentKind.INVOICE: _("PDF, Word, Excel, PowerPoint, PNG, JPG or GIF, at most %(limit)s."),
    AttachmentKind.FLIGHT_LOG: _(
        "Flight logs as your drone or app saves them: PX4 .ulg, ArduPilot .bin, MAVLink .tlog, "
        "DJI flight record .txt or .DAT, Airdata .csv; at most %(limit)s each."
    ),
    AttachmentKind.PARCEL_PHOTO: _("PNG or JPG pictures, at most %(limit)s each."),
}


# Lazy: form fields are built when their module is imported, before any language is active
# and before tests change the settings.
def _help_text(kind: str) -> str:
    return lazy(lambda: str(HELP_TEXTS[kind]) % {"limit": _size_text(_upload_max_bytes())}, str)()


_max_bytes_text = lazy(lambda: str(_upload_max_bytes()), str)


class AttachmentField(forms.FileField):
    """A file of the types accepted for `kind`, at most UPLOAD_MAX_BYTES, checked from its
    content.

    `cleaned_data[...]` is the uploaded file with `.file_type` (a FileType) set; hand it to
    `attachment_add`, which checks it again (a service never trusts its caller).
    """

    widget = forms.FileInput

    def __init__(self, *, kind: str = AttachmentKind.INVOICE, **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("help_text", _help_text(kind))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # For the page's script, which can warn before a 25 MB upload starts.
        attrs.update({"accept": accept_for(self.kind), "data-max-bytes": _max_bytes_text()})
        return attrs

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        if not isinstance(data, UploadedFile):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        data.file_type = attachment_check(data, self.kind)  # type: ignore[attr-defined]
        return super().to_python(data)


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleAttachmentField(AttachmentField):
    """Several files in one chooser (the flight logs); each is checked like AttachmentField.

    When some are refused the field is invalid, with one message per refused file; the files
    that passed are kept in `accepted` so that a form using `KeepAcceptedFilesMixin` can still
    store them: the customer chooses again only the files that were refused."""

    widget = _MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accepted: list[Any] = []

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f not in self.empty_values]
        self.accepted = []
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        errors = []
        for uploaded_file in files:
            try:
                self.accepted.append(super().clean(uploaded_file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return self.accepted


class KeepAcceptedFilesMixin:
    """For a form with MultipleAttachmentFields: when some files of a field are refused, the
    field shows its errors and `cleaned_data` still holds the files that passed."""

    fields: dict[str, Any]
    cleaned_data: dict[str, Any]
    errors: Any

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        for name, field in self.fields.items():
            refused_some = isinstance(field, MultipleAttachmentField) and name in self.errors
            if refused_some and field.accepted:
                self.cleaned_data[name] = list(field.accepted)


# --- Storage ---------------------------------------------------------------------------------


def original_name_clean(name: str) -> str:
    """The customer's file name, safe to show and to put in a header: no folders, no control
    or bidirectional characters (which can disguise "fdp.exe" as "exe.pdf"), at most 255."""
    name = unicodedata.normalize("NFC", str(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > 255:
        stem, suffix = os.path.splitext(name)
        suffix = suffix if len(suffix) <= 16 else ""
        name = stem[: 255 - len(suffix)].rstrip(" .") + suffix
    return name


def _digest(uploaded_file: Any) -> tuple[str, int]:
    sha256, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        sha256.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), size


def attachment_add(*, repair_request: RepairRequest, kind: str, uploaded_file: Any) -> Attachment:
    """Stores an upload for a draft, or a photo of the parcel that reception adds to a case.
    Raises ValidationError (to show on the form) when the file breaks the guide's rules, when the
    kind's limit is reached, or when the customer's files of a sent case would change."""
    if kind not in AttachmentKind.values:
        raise ValueError(f"Unknown attachment kind: {kind!r}")
    file_type = attachment_check(uploaded_file, kind)
    if not repair_request.is_draft and kind not in STAFF_KINDS:
        # The case stays as it was sent.
        raise ValidationError(_("This request has been sent; its files cannot change."))
    sha256, size = _digest(uploaded_file)
    attachment = Attachment(
        request=repair_request,
        kind=kind,
        token=secrets.token_urlsafe(24),  # 32 characters, unguessable
        extension=file_type.extension,
        original_name=_display_name(uploaded_file) or f"{kind}{file_type.extension}",
        content_type=file_type.content_type,
        size=size,
        sha256=sha256,
    )
    # Written before the transaction so that the row lock below is not held while 25 MB go to
    # disk; the path comes from the token (models.attachment_path), never from the name.
    attachment.file.save(attachment.extension, uploaded_file, save=False)
    try:
        with transaction.atomic():
            # Locked so that two uploads at once cannot both pass the limit.
            RepairRequest.objects.select_for_update().filter(pk=repair_request.pk).first()
            existing = list(Attachment.objects.filter(request=repair_request, kind=kind))
            if kind in REPLACED_KINDS:
                for previous in existing:
                    attachment_remove(attachment=previous)
            elif len(existing) >= MAX_ATTACHMENTS[kind]:
                raise ValidationError(
                    TOO_MANY_MESSAGES[kind],
                    code="too_many",
                    params={"limit": MAX_ATTACHMENTS[kind]},
                )
            attachment.save()
    except BaseException:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_remove(*, attachment: Attachment) -> None:
    """Deletes the row, then the file once the deletion is committed (a rolled-back deletion
    must not leave a row without its file)."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def attachment_remove_all(*, repair_request: RepairRequest) -> None:
    """The files of a request that is deleted (a draft removed by its owner or by the scheduled
    clean-up): deleting the row alone would leave its files on disk."""
    for attachment in list(repair_request.attachments.all()):
        attachment_remove(attachment=attachment)


def attachment_filename(attachment: Attachment) -> str:
    """The name offered on download: the customer's, with the extension of the detected type
    when the name says otherwise, so that a file never opens as something it is not."""
    return download_filename(
        attachment.original_name, attachment.content_type, attachment.extension, attachment.kind
    )


def download_filename(original_name: str, content_type: str, extension: str, stem: str) -> str:
    """`original_name` when its extension is one of the checked type's, else its stem (or
    `stem`) with the type's extension: also the support app's files."""
    name_stem, suffix = os.path.splitext(original_name)
    file_type = next((t for t in ALLOWED_TYPES if t.content_type == content_type), None)
    if file_type is not None and file_type.accepts_suffix(suffix):
        return original_name
    return f"{name_stem or stem}{extension}"
