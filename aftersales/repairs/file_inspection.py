"""What well-kept libraries tell us about an uploaded file: facts, never decisions.

puremagic reads signatures, Pillow decodes pictures, pikepdf (qpdf) reads PDFs, zipfile bounds
what an archive unpacks to, and oletools (ftguess, olevba, oleobj, msodde, crypto over olefile)
reads Office files. Which types are allowed for which use, the limits, what counts as active
content and the messages are the policy, in `repairs.attachments`; this module only answers its
questions. Every reading is bounded by the limits the policy passes in, and every failure of a
library to read a file is `Unreadable`, so that a file nobody could check is refused, not let
through.
"""

from __future__ import annotations

import copy
import io
import logging
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import olefile
import puremagic
from oletools import crypto, ftguess, msodde, oleobj, olevba, ooxml
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)


class Unreadable(Exception):
    """The file is not what its signature says, or is damaged: the library could not read it."""


class PasswordProtected(Exception):
    """The file is encrypted with a password we do not have, so its content cannot be checked."""


class OverLimit(Exception):
    """Reading the file would go beyond a limit the policy set (`what` says which)."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"{what} over {limit}")
        self.what = what
        self.limit = limit


def _unexpected(reading: str, error: Exception) -> Unreadable:
    """A library failed on a file in a way its authors did not document (an exception type
    nobody here expected): the file is refused as unreadable like any other, and the failure
    is logged with what was reading it and the library's error, so that a new way of failing is
    seen without a customer seeing a 500."""
    logger.warning(
        "Unexpected %s while reading an upload (%s): %s",
        type(error).__name__,
        reading,
        str(error)[:200],
        exc_info=error,
        extra={"reading": reading, "error_type": type(error).__name__},
    )
    return Unreadable(f"{type(error).__name__}: {error}")


# --- Signatures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    extension: str  # ".pdf", ".exe"…; "" when the format has none (ELF)
    mime_type: str
    name: str


def signatures(data: bytes) -> list[Signature]:
    """The formats whose signature the file's first bytes carry (puremagic). Only signatures
    at the start of the file count: one found in the last bytes says nothing of how a program
    opens it."""
    if not data:
        return []
    try:
        matches = puremagic.magic_string(data)
    except puremagic.PureError:
        return []
    except Exception as error:  # no signature read is no signature known
        _unexpected("signatures", error)
        return []
    return [
        Signature(str(match.extension).lower(), str(match.mime_type), str(match.name))
        for match in matches
        if match.offset >= 0
    ]


def head_and_tail(data: bytes, size: int) -> tuple[bytes, bytes]:
    return data[:size], data[-size:]


# --- Pictures (Pillow) -------------------------------------------------------------------------


def image_size(data: bytes, image_format: str) -> tuple[int, int]:
    """Width and height from the picture's header, after Pillow has checked its structure
    (`verify`: chunk checksums for PNG). Nothing is decoded yet."""
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            size = image.size
            image.verify()
    except Image.DecompressionBombError as error:
        raise OverLimit("pixels", Image.MAX_IMAGE_PIXELS or 0) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:
        raise _unexpected(f"{image_format} header", error) from error
    return size


def image_decode(data: bytes, image_format: str) -> None:
    """Decodes every pixel of the (first) picture, so that it is known to be what it says. A
    JPEG is decoded at an eighth of its size: the whole compressed stream is still read."""
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            if image_format == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Image.DecompressionBombError as error:
        raise OverLimit("pixels", Image.MAX_IMAGE_PIXELS or 0) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:
        raise _unexpected(f"{image_format} pixels", error) from error


# Markers that stand alone, without a length: TEM, the restart markers RST0-7, SOI, EOI.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8), 0xD8})
_JPEG_SOS, _JPEG_EOI = 0xDA, 0xD9


def jpeg_scans(data: bytes, stop_after: int) -> int:
    """How many scans (SOS segments) the JPEG's decoder will read, walking its marker
    segments as libjpeg does: each segment skipped by its length (so that the markers of an
    EXIF thumbnail or of any other data inside a segment are not counted), the entropy-coded
    data after an SOS up to the next marker (0xFF then neither 0x00, a stuffed byte, nor a
    restart marker), bytes that are not a marker skipped up to the next 0xFF, and the walk
    ended at EOI. A progressive JPEG has about ten scans; each one costs the decoder a pass
    over every block of the picture, so that repeating scans makes a small file cost minutes
    of CPU. Counts no further than `stop_after` + 1."""
    scans, position, end = 0, 2, len(data)
    while position < end - 1 and scans <= stop_after:
        if data[position] != 0xFF:
            # Not a marker where one should be: libjpeg skips to the next 0xFF.
            position = data.find(b"\xff", position)
            if position < 0:
                break
            continue
        while position < end and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= end:
            break
        marker = data[position]
        position += 1
        if marker == _JPEG_EOI:
            break
        if marker in _JPEG_STANDALONE or marker == 0x00:
            continue
        if position + 2 > end:
            break
        (length,) = struct.unpack_from(">H", data, position)
        position += max(length, 2)
        if marker != _JPEG_SOS:
            continue
        scans += 1
        # The entropy-coded data: up to the next marker that is not a restart marker.
        while True:
            position = data.find(b"\xff", position)
            if position < 0 or position + 1 >= end:
                return scans
            following = data[position + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7:
                position += 2
                continue
            break
    return scans


# --- PDF (pikepdf) -----------------------------------------------------------------------------


def _name_text(name: object) -> str:
    """A PDF name as text. Names are bytes, and not always UTF-8 (a Japanese font's
    /BaseFont in Shift-JIS), which pikepdf cannot turn into str: such a name is written as the
    PDF would write it, with #xx for each byte outside printable ASCII. It is never one of the
    names the policy asks about, which are ASCII."""
    try:
        return str(name)
    except UnicodeDecodeError:
        return bytes(name.unparse()).decode("latin-1")  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PdfFacts:
    # Which of the keys and values asked about the PDF holds (see pdf_facts).
    names: set[str]
    # The types (/S) of the actions the PDF runs when it is opened: its /OpenAction and every
    # action chained to it by /Next.
    open_actions: set[str]


def pdf_facts(
    data: bytes, *, keys: frozenset[str], values: frozenset[str], max_entries: int
) -> PdfFacts:
    """Which of `keys` (dictionary keys such as /JS) and `values` (names such as /JavaScript
    as an action's /S) the PDF holds in what a reader reaches: everything the trailer leads to
    (the catalog, its names trees, pages, annotations, forms, outlines, actions and the actions
    they chain), each object once; and the types of the actions run on opening it (the
    catalog's /OpenAction and the actions it chains with /Next). Streams are not decoded; their
    dictionaries are read. Stops with OverLimit after `max_entries` dictionary entries and
    array items, before any large table of objects is built."""
    # Imported when a PDF comes, not with the site: it takes a third of a second.
    import pikepdf

    try:
        document = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise PasswordProtected from error
    except (pikepdf.PdfError, ValueError, OSError, RuntimeError) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:
        raise _unexpected("pdf structure", error) from error
    found: set[str] = set()
    open_actions: set[str] = set()
    budget = max_entries
    try:
        with document:
            pending: list[object] = [document.trailer]
            seen: set[tuple[int, int]] = set()
            while pending:
                node = pending.pop()
                items: Iterable[tuple[str, object]]
                if isinstance(node, pikepdf.Stream):
                    items = node.stream_dict.items()
                elif isinstance(node, pikepdf.Dictionary):
                    items = node.items()
                elif isinstance(node, pikepdf.Array):
                    items = (("", value) for value in node)
                else:
                    continue
                for key, value in items:
                    budget -= 1
                    if budget < 0:
                        raise OverLimit("entries", max_entries)
                    if key in keys:
                        found.add(key)
                    # Scalars come back as Python values and carry nothing active.
                    if not isinstance(value, pikepdf.Object):
                        continue
                    if isinstance(value, pikepdf.Name):
                        name = _name_text(value)
                        if name in values:
                            found.add(name)
                        continue
                    if not isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                        continue
                    if value.is_indirect:
                        if value.objgen in seen:
                            continue
                        seen.add(value.objgen)
                    pending.append(value)
            open_actions = _pdf_open_actions(document, pikepdf, max_entries)
    except (OverLimit, Unreadable):
        raise
    except (pikepdf.PdfError, RuntimeError, ValueError) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:
        raise _unexpected("pdf objects", error) from error
    return PdfFacts(names=found, open_actions=open_actions)


def _pdf_open_actions(document: Any, pikepdf: Any, max_actions: int) -> set[str]:
    """The /S of the catalog's /OpenAction and of every action chained to it by /Next (one
    action or an array of them), each once. An /OpenAction that is an array is a destination,
    not an action."""
    root = document.trailer.get("/Root")
    first = root.get("/OpenAction") if isinstance(root, pikepdf.Dictionary) else None
    pending = [first] if isinstance(first, pikepdf.Dictionary) else []
    types: set[str] = set()
    seen: set[tuple[int, int]] = set()
    budget = max_actions
    while pending:
        action = pending.pop()
        if action.is_indirect:
            if action.objgen in seen:
                continue
            seen.add(action.objgen)
        budget -= 1
        if budget < 0:
            raise OverLimit("actions", max_actions)
        kind = action.get("/S")
        if isinstance(kind, pikepdf.Name):
            types.add(_name_text(kind))
        chained = action.get("/Next")
        if isinstance(chained, pikepdf.Dictionary):
            pending.append(chained)
        elif isinstance(chained, pikepdf.Array):
            pending.extend(item for item in chained if isinstance(item, pikepdf.Dictionary))
    return types


# --- Archives (zipfile) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipSummary:
    entries: int
    unpacked_bytes: int
    # The first bytes of every part, and the parts whose content holds each needle searched
    # for (case-insensitive): what the reading learnt on the way, so that nothing is read twice.
    heads: dict[str, bytes]
    found: dict[bytes, set[str]]


_CHUNK = 256 * 1024
_HEAD = 16


def zip_unpack_bounded(
    data: bytes,
    *,
    max_entries: int,
    max_bytes: int,
    part_limits: Mapping[str, int],
    needles: tuple[bytes, ...] = (),
) -> ZipSummary:
    """Counts the entries of the archive's central directory and unpacks every entry in
    memory, a chunk at a time, counting the bytes that really come out: the sizes an archive
    declares are never trusted (each entry is read as if it declared the bytes still allowed,
    then its declared size is compared with what it gave). Stops with OverLimit as soon as a
    limit is passed. `part_limits` caps named parts (case-insensitive) on their own."""
    heads: dict[str, bytes] = {}
    found: dict[bytes, set[str]] = {needle.lower(): set() for needle in needles}
    overlap = max((len(needle) for needle in needles), default=1) - 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > max_entries:
                raise OverLimit("entries", max_entries)
            names: set[str] = set()
            for info in infos:
                # Two entries with one name: which one a program reads is up to the program.
                name = info.filename.replace("\\", "/").lower()
                if name in names:
                    raise Unreadable(f"two entries named {info.filename!r}")
                names.add(name)
                if info.flag_bits & 0x1:
                    raise PasswordProtected
            limits = {name.lower(): limit for name, limit in part_limits.items()}
            total = 0
            for info in infos:
                part_limit = limits.get(info.filename.lower(), max_bytes)
                allowed = min(max_bytes - total, part_limit)
                probe = copy.copy(info)
                # Read past what it declares, up to the limit. The margin keeps zipfile from
                # taking the limit for the entry's end (where it would check the CRC).
                probe.file_size = allowed + 4 * _CHUNK
                unpacked, head, tail = 0, b"", b""
                with archive.open(probe) as part:
                    while chunk := part.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > allowed:
                            if allowed < max_bytes - total:
                                raise OverLimit("part bytes", part_limit)
                            raise OverLimit("bytes", max_bytes)
                        if len(head) < _HEAD:
                            head = (head + chunk)[:_HEAD]
                        if found:
                            window = (tail + chunk).lower()
                            for needle, parts in found.items():
                                if needle in window:
                                    parts.add(info.filename)
                            tail = window[-overlap:] if overlap else b""
                if unpacked != info.file_size:
                    raise Unreadable(f"{info.filename!r} declares {info.file_size} bytes")
                heads[info.filename] = head
                total += unpacked
    except (OverLimit, Unreadable, PasswordProtected):
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise Unreadable(str(error)) from error
    # A damaged deflate, bzip2 or LZMA stream inside a part.
    except (OSError, ValueError, RuntimeError, zlib.error, lzma.LZMAError) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:
        raise _unexpected("zip", error) from error
    return ZipSummary(entries=len(infos), unpacked_bytes=total, heads=heads, found=found)


# --- Office files (oletools) -------------------------------------------------------------------


@dataclass
class OfficeFacts:
    container: str  # "ole", "ooxml" or "" (neither)
    # ftguess's name of the format (ftguess.FTYPE: "Word2007_DOCX", "Excel97", "OLE"…).
    filetype: str
    # For a compound file: the names of the streams in its root storage, lower-case.
    root_streams: frozenset[str] = frozenset()
    encrypted: bool = False
    vba_macros: bool = False
    xlm_macros: bool = False
    embedded_objects: bool = False
    external_relationships: set[str] = field(default_factory=set)
    dde_links: bool = False
    content_types: set[str] = field(default_factory=set)


def office_type(data: bytes) -> OfficeFacts:
    """The container and format of an Office file (ftguess: the root CLSID of a compound
    file, the main part's content type of an Office 2007+ package). For a ZIP, call only
    after `zip_unpack_bounded`: ftguess reads parts whole."""
    try:
        guess = ftguess.ftype_guess(data=data)
    except Exception as error:  # a library's failure to read is a fact too
        raise Unreadable(str(error)) from error
    try:
        if guess.container == ftguess.CONTAINER.OLE and guess.olefile is not None:
            root = {
                entry[0].lower()
                for entry in guess.olefile.listdir(streams=True, storages=False)
                if len(entry) == 1
            }
            return OfficeFacts("ole", str(guess.filetype), frozenset(root))
        if guess.is_openxml():
            return OfficeFacts("ooxml", str(guess.filetype))
        return OfficeFacts("", str(guess.filetype))
    finally:
        guess.close()


# What an Office 2007+ package's parts must hold for msodde to find a DDE link: a Word field
# (simple, or its instruction text) or an Excel DDE link. Sought while the package is unpacked
# (zip_unpack_bounded's needles), so that msodde reads the XML only of packages that have some.
OOXML_MARKUP = (b"instrText", b"fldSimple", b"ddeLink")


def office_facts(data: bytes, package: ZipSummary | None = None) -> OfficeFacts:
    """`office_type`, and what in the file runs or loads something when it is opened: VBA
    macros (olevba), Excel 4 macro sheets (olevba's BIFF reader; for 2007+ files the macro
    sheet content type), embedded OLE objects and ActiveX controls, external relationships of
    an Office 2007+ package (oleobj: remote templates, linked objects, hyperlinks…), DDE links
    (msodde), and encryption (oletools.crypto). An Office 2007+ package must have been
    unpacked by `zip_unpack_bounded` with OOXML_MARKUP as needles (`package`)."""
    facts = office_type(data)
    try:
        if facts.container == "ole":
            _ole_facts(data, facts)
        elif facts.container == "ooxml":
            if package is None:
                raise ValueError("an Office 2007+ package is read after zip_unpack_bounded")
            _ooxml_facts(data, facts, package)
        if facts.container and not facts.encrypted:
            parser = olevba.VBA_Parser("upload", data=data)
            try:
                facts.vba_macros = bool(parser.detect_vba_macros())
                if parser.ftg.is_excel():
                    facts.xlm_macros = facts.xlm_macros or bool(parser.detect_xlm_macros())
            finally:
                parser.close()
    except (Unreadable, PasswordProtected, ValueError) as error:
        if isinstance(error, Unreadable | PasswordProtected):
            raise
        raise Unreadable(str(error)) from error
    except Exception as error:  # a file oletools cannot read is not checked
        raise Unreadable(f"{type(error).__name__}: {error}") from error
    return facts


# The words a Word 97 DDE field is written with (DDE, DDEAUTO, or spelt out by QUOTE), as Word
# stores text: one byte or two (UTF-16) a character; fields ignore case.
_DOC_DDE_TEXT = tuple(
    word.encode(encoding) for word in ("dde", "quote") for encoding in ("latin-1", "utf-16-le")
)


def _mentions(data: bytes, needles: tuple[bytes, ...]) -> bool:
    lowered = data.lower()
    return any(needle in lowered for needle in needles)


_EMBEDDED_STORAGES = ("objectpool", "mbd")  # Word's embedded objects; Excel's (MBD0001A2B3…)
_EMBEDDED_STREAMS = ("\x01ole10native", "\x01ole", "package")


def _ole_facts(data: bytes, facts: OfficeFacts) -> None:
    with olefile.OleFileIO(data) as ole:
        facts.encrypted = bool(crypto.is_encrypted(ole))
        if facts.encrypted:
            return
        for path in ole.listdir(streams=True, storages=True):
            names = [part.lower() for part in path]
            if names[0].startswith(_EMBEDDED_STORAGES) and len(names) > 1:
                facts.embedded_objects = True
            if names[-1] in _EMBEDDED_STREAMS and len(names) > 1:
                facts.embedded_objects = True
        is_word = facts.filetype in (ftguess.FTYPE.WORD97, ftguess.FTYPE.WORD6)
        # msodde reads every stream a byte at a time: only when a DDE field could be there.
        if (is_word or "worddocument" in facts.root_streams) and _mentions(data, _DOC_DDE_TEXT):
            facts.dde_links = bool(msodde.process_doc(ole).strip())
    if "workbook" in facts.root_streams or "book" in facts.root_streams:
        facts.dde_links = facts.dde_links or bool(msodde.process_xls(data).strip())
    if "powerpoint document" in facts.root_streams:
        # PowerPoint keeps embedded objects inside its main stream; oleobj finds them (and
        # yields the file itself last).
        found = [ole for ole in oleobj.find_ole("upload", data) if ole is not None]
        facts.embedded_objects = facts.embedded_objects or len(found) > 1


class _PartsParser(ooxml.XmlParser):
    """oletools' OOXML parser reading only the given parts: oleobj looks for external
    relationships in every part, and they live in the .rels parts alone."""

    def __init__(self, filename: object, parts: list[str]) -> None:
        super().__init__(filename)
        self.parts = parts

    def iter_xml(self, subfiles=None, need_children=False, tags=None):  # type: ignore[no-untyped-def]
        return super().iter_xml(subfiles or self.parts, need_children, tags)


def _ooxml_facts(data: bytes, facts: OfficeFacts, package: ZipSummary) -> None:
    relationships = [name for name in package.heads if name.lower().endswith(".rels")]
    if relationships:
        parser = _PartsParser(io.BytesIO(data), relationships)
        facts.external_relationships = {
            str(kind) for kind, _target in oleobj.find_external_relationships(parser)
        }
    # The content types of the parts the package holds (a default for an extension no part
    # has says nothing).
    overrides, defaults = ooxml.XmlParser(io.BytesIO(data)).get_content_types()
    for name in package.heads:
        base = name.rsplit("/", 1)[-1]
        extension = base.rsplit(".", 1)[-1] if "." in base else ""
        content_type = overrides.get(name) or defaults.get(extension)
        if content_type:
            facts.content_types.add(content_type.lower())
    # An OLE object (oleObject1.bin, an ActiveX control's binary, a VBA project) in any part.
    facts.embedded_objects = any(head.startswith(olefile.MAGIC) for head in package.heads.values())
    has = {needle: bool(parts) for needle, parts in package.found.items()}
    if facts.filetype.startswith("Word") and (has.get(b"instrtext") or has.get(b"fldsimple")):
        facts.dde_links = bool(
            msodde.process_docx(io.BytesIO(data), msodde.FIELD_FILTER_DDE).strip()
        )
    elif facts.filetype.startswith("Excel") and has.get(b"ddelink"):
        facts.dde_links = bool(msodde.process_xlsx(io.BytesIO(data)).strip())


# --- Flight logs (formats without a library here) ----------------------------------------------

ULOG_MAGIC = b"ULog\x01\x12\x35"  # PX4 ULog, then a version byte and the start time
# ArduPilot DataFlash: every message starts 0xA3 0x95 and its type; the first one is the FMT
# message (type 0x80) describing FMT itself: type 0x80, length 89, name "FMT".
DATAFLASH_START = b"\xa3\x95\x80\x80\x59FMT\x00"
MAVLINK_V1, MAVLINK_V2 = 0xFE, 0xFD
# A .tlog message's time: microseconds since 1970, between 2000 and 2100.
_TLOG_TIMES = range(946_684_800_000_000, 4_102_444_800_000_000)


def is_ulog(data: bytes) -> bool:
    return data.startswith(ULOG_MAGIC)


def is_dataflash(data: bytes) -> bool:
    return data.startswith(DATAFLASH_START)


def tlog_messages(data: bytes, wanted: int = 3) -> tuple[int, int]:
    """How many of the first `wanted` records of a MAVLink telemetry log (8-byte big-endian
    time, then a MAVLink v1 or v2 frame) follow one another without a gap, and the bytes they
    take."""
    position = found = 0
    while found < wanted and position + 8 + 2 <= len(data):
        (time,) = struct.unpack_from(">Q", data, position)
        start, length = data[position + 8], data[position + 9]
        if time not in _TLOG_TIMES or start not in (MAVLINK_V1, MAVLINK_V2):
            break
        if start == MAVLINK_V1:
            frame = 6 + length + 2
        else:
            if position + 10 >= len(data):
                break
            signed = data[position + 10] & 0x01
            frame = 10 + length + 2 + (13 if signed else 0)
        if position + 8 + frame > len(data):
            break
        position += 8 + frame
        found += 1
    return found, position


def dji_record_prefix(data: bytes) -> tuple[int, int] | None:
    """A DJI app flight record (.txt) starts with the offset of its details (64-bit little
    endian, so its high bytes are zero), their length (16 bits) and the format version (one
    byte): (offset, version), or None when the file is too short."""
    if len(data) < 12:
        return None
    offset, _length, version = struct.unpack_from("<QHB", data, 0)
    return offset, version


def is_text(data: bytes) -> bool:
    """No NUL and no control character other than tab, line feed, carriage return and form
    feed: what a CSV export is made of."""
    return not any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D) for byte in data)
