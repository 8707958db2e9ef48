"""A file is stored before its attachment row is saved and deleted after the row's deletion
commits: a process killed in between leaves a file that nothing names. The nightly purge removes
such files once they are a day old (younger ones may belong to an upload being saved)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.housekeeping import orphan_files_delete, purge_stale_drafts
from aftersales.repairs.models import Attachment
from aftersales.repairs.tests.factories import RepairRequestFactory


def stored(settings, name: str, *, days_old: float) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n")
    when = (timezone.now() - timedelta(days=days_old)).timestamp()
    os.utime(path, (when, when))
    return path


def test_unnamed_files_older_than_a_day_are_removed_with_their_empty_folders(customer, settings):
    draft = RepairRequestFactory(user=customer)
    kept = Attachment.objects.create(
        request=draft,
        kind=AttachmentKind.INVOICE,
        token=secrets.token_hex(16),
        file=ContentFile(b"%PDF-1.4\n", name="upload.pdf"),
        extension=".pdf",
        original_name="invoice.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    named = Path(settings.MEDIA_ROOT) / kept.file.name
    os.utime(named, (0, 0))  # old, but named by its row
    orphan = stored(settings, "repairs/999999/invoice/left-by-a-crash.pdf", days_old=2)
    young = stored(settings, "repairs/999998/invoice/being-saved.pdf", days_old=0.5)

    assert orphan_files_delete(older_than=timezone.now() - timedelta(days=1)) == 1

    assert named.exists()
    assert young.exists()
    assert not orphan.exists()
    assert not (Path(settings.MEDIA_ROOT) / "repairs/999999").exists()


def test_the_nightly_purge_removes_them(db, settings):
    orphan = stored(settings, "repairs/999999/invoice/left-by-a-crash.pdf", days_old=2)
    purge_stale_drafts.enqueue()
    assert not orphan.exists()


def test_nothing_stored_yet_is_fine(db):
    assert orphan_files_delete(older_than=timezone.now()) == 0
