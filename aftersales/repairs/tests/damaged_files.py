"""Damaged and hostile files for the upload tests, built from sample_files byte by byte: PDF
names that are not UTF-8, Office packages whose compressed parts are broken, JPEGs repeating
their scans, bit-flipped copies of good files. Nothing is downloaded."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Iterator

import pikepdf
from PIL import Image

from . import sample_files


def form_field(name: str, content: bytes, form_class: type) -> object:
    """The detected type of a file sent in the form's `invoice` field, or the field's errors."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = form_class(data={}, files={"invoice": SimpleUploadedFile(name, content)})
    if form.is_valid():
        return form.cleaned_data["invoice"].file_type
    return form.errors["invoice"]


# --- PDF names that are bytes, not UTF-8 ---------------------------------------------------------


def pdf_with_name_bytes(name_bytes: bytes, *, as_key: bool = False) -> bytes:
    """A valid PDF whose catalog has an entry /Foo /Bar, one of the two written with
    `name_bytes` (same length: the cross-reference table stays right). PDF names are bytes;
    pikepdf cannot turn those that are not UTF-8 into str."""
    assert len(name_bytes) == 3

    def change(document: pikepdf.Pdf) -> None:
        document.Root.Foo = pikepdf.Name("/Bar")

    data = sample_files.pdf(change=change)
    old = b"/Foo" if as_key else b"/Bar"
    assert data.count(old) == 1
    return data.replace(old, b"/" + name_bytes)


def pdf_with_shift_jis_font() -> bytes:
    """What Japanese Word and Acrobat write for the font « ＭＳ ゴシック »: a /BaseFont of
    Shift-JIS bytes (#xx-escaped in the file)."""
    placeholder = "/" + "X" * 40

    def change(document: pikepdf.Pdf) -> None:
        document.pages[0].Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(
                F1=pikepdf.Dictionary(
                    Type=pikepdf.Name.Font,
                    Subtype=pikepdf.Name.TrueType,
                    BaseFont=pikepdf.Name(placeholder),
                )
            )
        )

    data = sample_files.pdf(change=change)
    real = b"/#82l#82r#20#83S#83V#83b#83N"
    assert data.count(placeholder.encode()) == 1
    return data.replace(placeholder.encode(), real + b" " * (len(placeholder) - len(real)))


# --- Office packages with a broken compressed part ---------------------------------------------


def _first_part_data_offset(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
    name_length, extra_length = struct.unpack_from("<HH", data, first.header_offset + 26)
    return first.header_offset + 30 + name_length + extra_length


def docx_with_bad_deflate() -> bytes:
    """The first part's deflate stream starts with block type 3, which is reserved: zlib.error
    ("invalid block type") when it is unpacked."""
    data = bytearray(sample_files.docx())
    data[_first_part_data_offset(bytes(data))] = 0xFF
    return bytes(data)


def docx_with_bad_lzma() -> bytes:
    """A package whose parts are LZMA-compressed (ZIP method 14), the first one's LZMA stream
    overwritten: _lzma.LZMAError when it is unpacked."""
    source = zipfile.ZipFile(io.BytesIO(sample_files.docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_LZMA) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
    data = bytearray(buffer.getvalue())
    start = _first_part_data_offset(bytes(data))
    for index in range(4, 24):  # past zipfile's 4-byte LZMA properties header
        data[start + index] = 0xFF
    return bytes(data)


# --- JPEGs repeating their scans ----------------------------------------------------------------


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The marker segments of a JPEG after SOI, each with its bytes (an SOS with its
    entropy-coded data)."""
    position, segments = 2, []
    while position < len(data):
        assert data[position] == 0xFF, position
        marker = data[position + 1]
        if marker == 0xD9:
            segments.append((marker, data[position : position + 2]))
            break
        (length,) = struct.unpack_from(">H", data, position + 2)
        end = position + 2 + length
        if marker == 0xDA:
            while True:
                end = data.index(b"\xff", end)
                if data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                    end += 2
                    continue
                break
        segments.append((marker, data[position:end]))
        position = end
    return segments


def progressive_jpeg(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (size, size), 128).save(buffer, "JPEG", progressive=True, quality=90)
    return buffer.getvalue()


def jpeg_with_repeated_scans(size: int, repeats: int) -> bytes:
    """A progressive JPEG whose first AC scan (a refinement-free one) is repeated: each repeat
    is a few dozen bytes and costs the decoder a pass over every block of the picture."""
    data = progressive_jpeg(size)
    segments = jpeg_segments(data)

    def first_ac(segment: bytes) -> bool:
        components = segment[4]
        spectral_start = segment[5 + 2 * components]
        approximation_high = segment[7 + 2 * components] >> 4
        return spectral_start > 0 and approximation_high == 0

    scan = next(s for m, s in segments if m == 0xDA and first_ac(s))
    body = b"".join(s for m, s in segments if m != 0xD9)
    return data[:2] + body + scan * repeats + b"\xff\xd9"


def scans_of(data: bytes) -> int:
    return sum(1 for marker, _segment in jpeg_segments(data) if marker == 0xDA)


# --- Bit flips ----------------------------------------------------------------------------------


def damaged_copies(data: bytes, seed: str, flips: int) -> Iterator[tuple[str, bytes]]:
    """Truncated copies of `data`, then `flips` copies with 1 to 16 bytes changed at random
    (a fixed seed: the same copies every run)."""
    rng = random.Random(seed)
    size = len(data)
    for cut in sorted({1, 8, 64, size // 2, size - 1}):
        if 0 < cut < size:
            yield f"cut at {cut}", data[:cut]
    for index in range(flips):
        copy = bytearray(data)
        for _ in range(rng.choice([1, 2, 4, 16])):
            copy[rng.randrange(size)] = rng.randrange(256)
        yield f"flip {index}", bytes(copy)
