"""Uploads of the repair request: the proof of purchase and the flight logs.

Guide RMA, proof of purchase: "PPT\\PDF\\EXCEL\\WORD\\PNG\\JPG\\GIF, ≤ 25MB". The type is read from
the file's first bytes (and, for Office files, from their inner structure), never from its
name: a program renamed `facture.pdf` is refused, and the extension kept on disk is the one of
the detected type. Files are stored under MEDIA_ROOT, which has no URL: they are read only
through `views.files.attachment_download`, which checks the owner or staff.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

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

from .choices import AttachmentKind
from .models import Attachment, RepairRequest

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
ALLOWED_TYPES: tuple[FileType, ...] = (PDF, PNG, JPEG, GIF, DOC, XLS, PPT, DOCX, XLSX, PPTX)

# The file chooser's filter: a convenience for the customer, not a check.
ACCEPT = ",".join(
    sorted({suffix for kind in ALLOWED_TYPES for suffix in (kind.extension, *kind.suffixes)})
)

# How many files of each kind one request keeps. One proof of purchase: the guide's form has a
# single invoice upload, so a new upload is the customer correcting it and replaces the old one
# (see attachment_add). Flight logs: a few per accident; the cap bounds the disk one draft uses.
REPLACED_KINDS = frozenset({AttachmentKind.INVOICE})
MAX_ATTACHMENTS: dict[str, int] = {AttachmentKind.INVOICE: 1, AttachmentKind.FLIGHT_LOG: 10}

_SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"


def detect_file_type(fileobj: IO[bytes]) -> FileType | None:
    """The allowed type of a file from its content, or None. Leaves the file where it was."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(16)
        for signature, file_type in _SIGNATURES:
            if head.startswith(signature):
                return file_type
        if head.startswith(_OLE2_SIGNATURE):
            return _ole2_type(fileobj)
        if head.startswith(_ZIP_SIGNATURE):
            return _ooxml_type(fileobj)
        return None
    finally:
        fileobj.seek(position)


# --- Office 2007+ (a ZIP of XML parts) -----------------------------------------------------------

_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_CONTENT_TYPES_MAX_BYTES = 1 * MIB


def _ooxml_type(fileobj: IO[bytes]) -> FileType | None:
    """Word, Excel or PowerPoint when the ZIP is an Office document; any other ZIP is None.

    Only the central directory and `[Content_Types].xml` (read up to 1 MB, so a compressed bomb
    cannot expand) are read; nothing is extracted to disk.
    """
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(_CONTENT_TYPES_MAX_BYTES).lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        return None  # damaged, encrypted or using a compression Python lacks
    except (OSError, EOFError, ValueError):
        return None
    # Macro-enabled documents (.docm, .xlsm, .pptm) are refused: staff open these files, and
    # macros are the usual way an Office file runs code.
    if b"macroenabled" in content_types or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        return None
    for prefix, file_type in _OOXML_PARTS:
        if any(name.startswith(prefix) and not name.endswith("/") for name in names):
            return file_type
    return None


# --- Office 97–2003 (an OLE2 compound file) ----------------------------------------------------

# A compound file is also what an .msi installer is: the type is decided by the main stream in
# its root storage ([MS-CFB]), not by the signature alone.
_OLE2_MAIN_STREAMS = {
    "worddocument": DOC,
    "workbook": XLS,
    "book": XLS,  # Excel 5/95
    "powerpoint document": PPT,
}
_FREE_SECTOR = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_DIRECTORY_ENTRY_SIZE = 128


def _ole2_type(fileobj: IO[bytes]) -> FileType | None:
    try:
        names = _ole2_root_stream_names(fileobj)
    except (ValueError, struct.error, OSError):
        return None
    for name in names:
        if name.lower() in _OLE2_MAIN_STREAMS:
            return _OLE2_MAIN_STREAMS[name.lower()]
    return None


def _ole2_root_stream_names(fileobj: IO[bytes]) -> list[str]:
    """The names of the streams in the root storage. Every loop is bounded by the file's size,
    so a crafted file with cycles in its tables cannot keep the worker busy."""
    fileobj.seek(0, os.SEEK_END)
    file_size = fileobj.tell()
    fileobj.seek(0)
    header = fileobj.read(512)
    if len(header) < 512:
        raise ValueError("short header")
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector_size = 1 << sector_shift
    sector_count = file_size // sector_size  # an upper bound on any chain's length
    fat_sector_count, first_directory_sector = struct.unpack_from("<II", header, 0x2C)
    first_difat_sector, difat_sector_count = struct.unpack_from("<II", header, 0x44)
    if fat_sector_count > sector_count or difat_sector_count > sector_count:
        raise ValueError("tables larger than the file")

    def read_sector(number: int) -> bytes:
        if number > _MAX_REGULAR_SECTOR or number >= sector_count:
            raise ValueError("sector outside the file")
        fileobj.seek((number + 1) * sector_size)
        data = fileobj.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("truncated sector")
        return data

    # The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
    fat_sectors = [n for n in struct.unpack_from("<109I", header, 0x4C) if n != _FREE_SECTOR]
    per_difat = sector_size // 4 - 1
    difat_sector, seen = first_difat_sector, 0
    while difat_sector <= _MAX_REGULAR_SECTOR and len(fat_sectors) < fat_sector_count:
        seen += 1
        if seen > difat_sector_count + 1:
            raise ValueError("DIFAT chain too long")
        entries = struct.unpack(f"<{per_difat + 1}I", read_sector(difat_sector))
        fat_sectors.extend(n for n in entries[:per_difat] if n != _FREE_SECTOR)
        difat_sector = entries[per_difat]
    fat_sectors = fat_sectors[:fat_sector_count]
    fat = b"".join(read_sector(n) for n in fat_sectors)
    fat_entries = len(fat) // 4

    directory = bytearray()
    sector, steps = first_directory_sector, 0
    while sector != _END_OF_CHAIN:
        steps += 1
        if steps > sector_count or sector >= fat_entries:
            raise ValueError("bad directory chain")
        directory += read_sector(sector)
        sector = struct.unpack_from("<I", fat, sector * 4)[0]

    entry_count = len(directory) // _DIRECTORY_ENTRY_SIZE

    def entry(sid: int) -> tuple[str, int, int, int, int]:
        offset = sid * _DIRECTORY_ENTRY_SIZE
        name_length = min(struct.unpack_from("<H", directory, offset + 0x40)[0], 64)
        name = bytes(directory[offset : offset + max(name_length - 2, 0)]).decode(
            "utf-16-le", errors="replace"
        )
        kind = directory[offset + 0x42]
        left, right, child = struct.unpack_from("<III", directory, offset + 0x44)
        return name, kind, left, right, child

    if entry_count == 0:
        raise ValueError("no directory")
    _root_name, root_kind, _left, _right, root_child = entry(0)
    if root_kind != 5:  # the root storage
        raise ValueError("no root entry")
    names: list[str] = []
    pending, visited = [root_child], set()
    # The root's children form a tree through their left and right siblings.
    while pending:
        sid = pending.pop()
        if sid >= entry_count or sid in visited:
            continue
        visited.add(sid)
        name, kind, left, right, _child = entry(sid)
        if kind == 2:  # a stream
            names.append(name)
        pending.extend((left, right))
    return names


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


def attachment_check(uploaded_file: Any) -> FileType:
    """The guide's rules for an upload; the detected type, or a ValidationError to show."""
    name = _display_name(uploaded_file)
    limit = _upload_max_bytes()
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s."),
            code="too_big",
            params={"name": name, "size": _size_text(size), "limit": _size_text(limit)},
        )
    file_type = detect_file_type(uploaded_file)
    if file_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, Word, Excel, PowerPoint, PNG, JPG or GIF file."),
            code="file_type",
            params={"name": name},
        )
    return file_type


# Lazy: form fields are built when their module is imported, before any language is active
# and before tests change the settings.
_help_text = lazy(
    lambda: (
        gettext("PDF, Word, Excel, PowerPoint, PNG, JPG or GIF, at most %(limit)s.")
        % {"limit": _size_text(_upload_max_bytes())}
    ),
    str,
)
_max_bytes_text = lazy(lambda: str(_upload_max_bytes()), str)


class AttachmentField(forms.FileField):
    """A file of the guide's types, at most UPLOAD_MAX_BYTES, checked from its content.

    `cleaned_data[...]` is the uploaded file with `.file_type` (a FileType) set; hand it to
    `attachment_add`, which checks it again (a service never trusts its caller).
    """

    widget = forms.FileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _help_text())
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # For the page's script, which can warn before a 25 MB upload starts.
        attrs.update({"accept": ACCEPT, "data-max-bytes": _max_bytes_text()})
        return attrs

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        if not isinstance(data, UploadedFile):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        data.file_type = attachment_check(data)  # type: ignore[attr-defined]
        return super().to_python(data)


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleAttachmentField(AttachmentField):
    """Several files in one chooser (the flight logs); each is checked like AttachmentField."""

    widget = _MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f not in self.empty_values]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for uploaded_file in files:
            try:
                cleaned.append(super().clean(uploaded_file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


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
    """Stores an upload for a draft. Raises ValidationError (to show on the form) when the file
    breaks the guide's rules, when the kind's limit is reached, or when the case was sent."""
    if kind not in AttachmentKind.values:
        raise ValueError(f"Unknown attachment kind: {kind!r}")
    file_type = attachment_check(uploaded_file)
    if not repair_request.is_draft:
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
                    _("You can attach at most %(limit)s flight logs; remove one to add another."),
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
    stem, suffix = os.path.splitext(attachment.original_name)
    file_type = next((t for t in ALLOWED_TYPES if t.content_type == attachment.content_type), None)
    if file_type is not None and file_type.accepts_suffix(suffix):
        return attachment.original_name
    return f"{stem or attachment.kind}{attachment.extension}"
