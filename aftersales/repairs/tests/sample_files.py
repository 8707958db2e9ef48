"""Files for the upload tests, built here byte by byte or with the libraries that write them
(pikepdf, Pillow, zipfile, msoffcrypto): good ones of every accepted type, and hostile ones —
zip bombs, polyglots, PDFs with scripts, Office files with macros. Nothing is downloaded."""

from __future__ import annotations

import functools
import io
import itertools
import math
import struct
import zipfile
from collections.abc import Iterable, Mapping

import pikepdf
from PIL import Image

MB = 1024 * 1024

# --- PDF -------------------------------------------------------------------------------------


def pdf(pages: int = 1, *, change: object = None, compress: bool = True) -> bytes:
    """A valid PDF with blank pages. `change(pdf)` may add to it before it is saved."""
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page()
    if callable(change):
        change(document)
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=compress, static_id=True)
    return buffer.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes: one page whose content stream is padded."""
    padding = 0
    for _ in range(3):

        def pad(document: pikepdf.Pdf, padding: int = padding) -> None:
            document.pages[0].Contents = document.make_stream(b" " * padding)

        content = pdf(change=pad, compress=False)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise AssertionError(f"could not build a PDF of {size} bytes")


# --- Pictures --------------------------------------------------------------------------------


def picture(
    image_format: str, size: tuple[int, int] = (8, 8), mode: str = "RGB", **options: object
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(buffer, image_format, **options)
    return buffer.getvalue()


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    return picture("PNG", size)


def jpeg(size: tuple[int, int] = (8, 8)) -> bytes:
    return picture("JPEG", size)


def gif(size: tuple[int, int] = (8, 8), **options: object) -> bytes:
    return picture("GIF", size, **options)


# --- Office 2007+ (a ZIP of XML parts) ---------------------------------------------------------

OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
MAIN_PARTS = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Facture 42</w:t></w:r></w:p></w:body></w:document>",
    ),
    "docm": (
        "word/document.xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body/></w:document>",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
}


def relationships(*relations: tuple[str, str, str] | tuple[str, str, str, str]) -> str:
    """A .rels part: (id, type URL, target[, target mode])."""
    rows = "".join(
        f'<Relationship Id="{r[0]}" Type="{r[1]}" Target="{r[2]}"'
        + (f' TargetMode="{r[3]}"' if len(r) > 3 else "")
        + "/>"
        for r in relations
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rows}</Relationships>"
    )


def ooxml(
    kind: str = "docx",
    *,
    extra: Mapping[str, bytes | str] | None = None,
    overrides: Mapping[str, str] | None = None,
    main_part_rels: str | None = None,
) -> bytes:
    """A minimal Office document as Word, Excel and PowerPoint write it: content types, the
    package relationships naming the main part, and the main part."""
    part, content_type, body = MAIN_PARTS[kind]
    override_rows = "".join(
        f'<Override PartName="/{name}" ContentType="{value}"/>'
        for name, value in {part: content_type, **(overrides or {})}.items()
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{override_rows}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", relationships(("rId1", OFFICE_DOCUMENT, part)))
        archive.writestr(part, body)
        if main_part_rels is not None:
            folder, name = part.rsplit("/", 1)
            archive.writestr(f"{folder}/_rels/{name}.rels", main_part_rels)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return ooxml("docx")


def xlsx() -> bytes:
    return ooxml("xlsx")


def pptx() -> bytes:
    return ooxml("pptx")


# --- Office 97–2003 (an OLE2 compound file, [MS-CFB]) -------------------------------------------

FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
WORD_97 = "00020906-0000-0000-C000-000000000046"
EXCEL_97 = "00020820-0000-0000-C000-000000000046"
POWERPOINT_97 = "64818D10-4F9B-11CF-86EA-00AA00B929E8"

Tree = Mapping[str, "bytes | Tree"]


def _clsid_bytes(clsid: str | None) -> bytes:
    if not clsid:
        return b"\x00" * 16
    import uuid

    return uuid.UUID(clsid).bytes_le


def compound_file(tree: Tree, *, clsid: str | None = None) -> bytes:
    """A compound file (version 3, 512-byte sectors) holding `tree`: a name maps to the bytes
    of a stream or to a storage (another mapping). This writer has no mini stream, so a stream
    shorter than 4096 bytes is padded with zeros to 4096 (empty streams stay empty)."""
    entries: list[dict] = []  # directory entries in order; entry 0 is the root
    streams: list[tuple[int, bytes]] = []  # (entry index, data)

    def add(name: str, node: bytes | Tree, kind: int) -> int:
        index = len(entries)
        entries.append(
            {
                "name": name,
                "kind": kind,
                "left": NO_STREAM,
                "right": NO_STREAM,
                "child": NO_STREAM,
                "start": END_OF_CHAIN,
                "size": 0,
                "clsid": None,
            }
        )
        if isinstance(node, bytes | bytearray):
            data = bytes(node)
            if data:
                data = data.ljust(4096, b"\x00")
                streams.append((index, data))
                entries[index]["size"] = len(data)
        else:
            children = [
                add(child, value, 2 if isinstance(value, bytes | bytearray) else 1)
                for child, value in node.items()
            ]
            # Siblings chained through their right links: a (degenerate) tree of black nodes.
            for this, after in itertools.pairwise(children):
                entries[this]["right"] = after
            if children:
                entries[index]["child"] = children[0]
        return index

    add("Root Entry", tree, 5)
    entries[0]["clsid"] = clsid

    directory_sectors = math.ceil(len(entries) * 128 / SECTOR)
    data_sectors = sum(math.ceil(len(data) / SECTOR) for _, data in streams)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + directory_sectors + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = [FAT_SECTOR] * fat_sectors
    directory_start = len(fat)
    fat += [*range(directory_start + 1, directory_start + directory_sectors), END_OF_CHAIN]
    body = bytearray()
    for index, data in streams:
        start = len(fat)
        count = math.ceil(len(data) / SECTOR)
        fat += [*range(start + 1, start + count), END_OF_CHAIN]
        entries[index]["start"] = start
        body += data.ljust(count * SECTOR, b"\x00")  # the last sector filled up
    fat += [FREE] * (fat_sectors * 128 - len(fat))

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 0x2C, fat_sectors, directory_start)
    struct.pack_into("<III", header, 0x38, 4096, END_OF_CHAIN, 0)  # no mini FAT
    struct.pack_into("<II", header, 0x44, END_OF_CHAIN, 0)  # no DIFAT sector
    struct.pack_into("<109I", header, 0x4C, *range(fat_sectors), *([FREE] * (109 - fat_sectors)))

    directory = bytearray()
    for entry in entries:
        raw = bytearray(128)
        encoded = (entry["name"] + "\x00").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 0x40, len(encoded), entry["kind"], 1)
        struct.pack_into("<III", raw, 0x44, entry["left"], entry["right"], entry["child"])
        raw[0x50:0x60] = _clsid_bytes(entry["clsid"])
        struct.pack_into("<II", raw, 0x74, entry["start"], entry["size"])
        directory += raw
    directory = directory.ljust(directory_sectors * SECTOR, b"\x00")
    # Unused directory slots must say "no sibling, no child".
    for offset in range(len(entries) * 128, len(directory), 128):
        struct.pack_into("<III", directory, offset + 0x44, NO_STREAM, NO_STREAM, NO_STREAM)
    return bytes(header) + struct.pack(f"<{len(fat)}I", *fat) + bytes(directory) + bytes(body)


# A VBA project as [MS-OVBA] lays it out: a PROJECT stream beside a VBA storage holding
# _VBA_PROJECT and dir. The streams' content does not matter for detection.
VBA_PROJECT: Tree = {
    "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
    b"Document=ThisDocument/&H00000000\r\n",
    "VBA": {"_VBA_PROJECT": b"\xcc\x61\xff\xff\x00", "dir": b"\x01", "ThisDocument": b"\x01"},
}


def doc(*, macros: bool = False, embedded_object: bool = False) -> bytes:
    tree: dict = {"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\x00"}
    if macros:
        tree["Macros"] = VBA_PROJECT
    if embedded_object:
        tree["ObjectPool"] = {"_1234567890": {"\x01Ole10Native": b"\x10\x00\x00\x00MZ"}}
    return compound_file(tree, clsid=WORD_97)


def biff_record(record_type: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", record_type, len(data)) + data


def workbook_stream(*, macro_sheet: bool = False) -> bytes:
    """An Excel 97 workbook stream: BOF, one sheet (a worksheet, or an Excel 4 macro sheet),
    EOF."""
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    name = b"Macro1" if macro_sheet else b"Sheet1"
    # BOUNDSHEET: stream position, visibility, sheet type (0 worksheet, 1 Excel 4 macro sheet).
    sheet = biff_record(
        0x0085,
        struct.pack("<IBB", 0, 0, 1 if macro_sheet else 0) + bytes([len(name), 0]) + name,
    )
    records = bof + sheet
    # A record the readers skip fills the stream to 4096 bytes, so that it lives in regular
    # sectors (see compound_file) and ends on a record boundary.
    filler = biff_record(0x1FFF, b"\x00" * (4096 - len(records) - 8))
    return records + filler + biff_record(0x000A)


def xls(*, xlm_macros: bool = False, vba: bool = False) -> bytes:
    tree: dict = {"Workbook": workbook_stream(macro_sheet=xlm_macros)}
    if vba:
        tree["_VBA_PROJECT_CUR"] = VBA_PROJECT
    return compound_file(tree, clsid=EXCEL_97)


def ppt() -> bytes:
    return compound_file(
        {"PowerPoint Document": b"\x00" * 16, "Current User": b"\x00" * 8}, clsid=POWERPOINT_97
    )


def encrypted_docx(password: str = "secret") -> bytes:  # noqa: S107 (a test file)
    """A Word document protected by a password, as Office saves it (an OLE2 container holding
    EncryptionInfo and EncryptedPackage), written by msoffcrypto-tool."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(docx())).encrypt(password, out)
    return out.getvalue()


# --- Archives that expand out of proportion ----------------------------------------------------


@functools.cache  # a few seconds to deflate 300 MB: built once per run
def zip_bomb(unpacked: int, *, kind: str = "docx", part: str = "word/media/image1.xml") -> bytes:
    """An Office document whose one extra part is `unpacked` bytes of one repeated character:
    deflate shrinks it about a thousandfold."""
    base = io.BytesIO(ooxml(kind))
    with (
        zipfile.ZipFile(base, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(part, "w", force_zip64=unpacked > 2**31) as handle,
    ):
        chunk = b"A" * MB
        for _ in range(unpacked // MB):
            handle.write(chunk)
        handle.write(b"A" * (unpacked % MB))
    return base.getvalue()


def with_declared_size(content: bytes, part: str, declared: int) -> bytes:
    """The same archive whose headers (local and central) understate one part's unpacked size
    as `declared` bytes: a program that trusts them would be surprised."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = archive.infolist()
        info = archive.getinfo(part)
    assert info.file_size < 2**32, "a ZIP64 entry keeps its sizes elsewhere"
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    position = data.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", data, position + 16)[0]
    for _ in infos:
        assert data[central : central + 4] == b"PK\x01\x02"
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]).decode() == part:
            struct.pack_into("<I", data, central + 24, declared)
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, central + 28)
        central += 46 + name_length + extra_length + comment_length
    return bytes(data)


def many_entries(count: int) -> bytes:
    buffer = io.BytesIO(docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        for number in range(count):
            archive.writestr(f"word/media/part{number}.xml", b"")
    return buffer.getvalue()


# --- Flight logs -----------------------------------------------------------------------------


def ulog() -> bytes:
    """PX4 ULog: the header (magic, version, start time), the flag bits message and one format
    message."""
    header = b"ULog\x01\x12\x35" + b"\x01" + struct.pack("<Q", 112_500_176)
    flags = struct.pack("<HB", 40, ord("B")) + b"\x00" * 40
    fmt = b"vehicle_status:uint64_t timestamp;uint8_t arming_state;"
    return header + flags + struct.pack("<HB", len(fmt), ord("F")) + fmt


def dataflash() -> bytes:
    """ArduPilot DataFlash (.bin): messages start 0xA3 0x95; the first is the FMT message that
    describes FMT itself (type 128, 89 bytes)."""
    fmt_of_fmt = (
        b"\xa3\x95\x80"
        + bytes([0x80, 89])
        + b"FMT\x00"
        + b"BBnNZ".ljust(16, b"\x00")
        + b"Type,Length,Name,Format,Columns".ljust(64, b"\x00")
    )
    parm = (
        b"\xa3\x95\x80"
        + bytes([0x81, 31])
        + b"PARM"
        + b"QNf".ljust(16, b"\x00")
        + b"TimeUS,Name,Value".ljust(64, b"\x00")
    )
    return fmt_of_fmt + parm


def mavlink_heartbeat(sequence: int, *, version: int = 1) -> bytes:
    payload = struct.pack("<IBBBBB", 0, 2, 3, 0x51, 4, 3)
    if version == 1:
        return bytes([0xFE, len(payload), sequence, 1, 1, 0]) + payload + b"\x00\x00"
    return bytes([0xFD, len(payload), 0, 0, sequence, 1, 1, 0, 0, 0]) + payload + b"\x00\x00"


def tlog(records: int = 4, *, version: int = 1) -> bytes:
    """MAVLink telemetry log: each message is preceded by its time, microseconds since 1970,
    big-endian."""
    start = 1_767_225_600_000_000  # 2026-01-01
    return b"".join(
        struct.pack(">Q", start + n * 100_000) + mavlink_heartbeat(n, version=version)
        for n in range(records)
    )


def dji_flight_record(version: int = 13) -> bytes:
    """A DJI app flight record (.txt, binary): a 100-byte prefix (details offset, details
    length, format version) then the encrypted records, here random-looking bytes."""
    records = bytes((n * 73 + 11) % 251 for n in range(2000))
    prefix = struct.pack("<QHB", 100 + len(records), 436, version).ljust(100, b"\x00")
    return prefix + records + b"\x00" * 436


def dji_dat() -> bytes:
    return bytes((n * 37 + 5) % 256 for n in range(4096))


AIRDATA_HEADER = (
    "time(millisecond),datetime(utc),latitude,longitude,height_above_takeoff(feet),"
    "speed(mph),message\n"
)


def airdata_csv(rows: Iterable[str] = ()) -> bytes:
    lines = list(rows) or [
        "0,2026-01-02 10:00:00,48.8566,2.3522,0,0,",
        "100,2026-01-02 10:00:00,48.8567,-2.3523,1.5,3.2,Taking off",
        "200,2026-01-02 10:00:00,48.8568,-2.3524,-0.4,3.1,",
    ]
    return (AIRDATA_HEADER + "\n".join(lines) + "\n").encode()
