"""Removing drafts: one by the customer ("Delete draft" in My requests), or all those left
untouched for settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"] days (issue 4: "a draft untouched for 30
days is removed by a scheduled task"). A draft goes with its uploaded files; a submitted case is
never removed here."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from aftersales.core.recurring import RecurringTask, recurring_schedule

from .choices import RequestStatus
from .models import Attachment, RepairRequest

logger = logging.getLogger(__name__)

# Drafts removed per transaction: short transactions and bounded memory, however many are stale.
PURGE_BATCH_SIZE = 500


def _files_delete(names: Iterable[str]) -> None:
    """Deletes stored files and the folders of their request that are left empty."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            # A file that cannot be deleted must not stop the others: logged for ops.
            logger.exception("Attachment file not deleted", extra={"file": name})
            continue
        _empty_folders_delete(storage, name)


def _empty_folders_delete(storage: Storage, name: str) -> None:
    # repairs/<request id>/<kind>/<token>.<ext>: remove <kind>/ and <request id>/ once empty.
    # Only local storage has folders; other storages have nothing to tidy.
    try:
        path = storage.path(name)
    except NotImplementedError:
        return
    folder = os.path.dirname(path)
    for _level in range(2):
        try:
            os.rmdir(folder)
        except OSError:  # not empty, or gone already
            return
        folder = os.path.dirname(folder)


def _files_delete_on_commit(names: list[str]) -> None:
    # After the commit: rolled-back rows keep their files.
    if names:
        transaction.on_commit(lambda: _files_delete(names))


def draft_delete(*, draft: RepairRequest) -> None:
    """Deletes a draft, its attachments and their files. The caller has checked that the draft
    is the customer's and locked it."""
    if not draft.is_draft:
        raise ValueError("Only a draft can be deleted; a submitted case is kept.")
    names = list(draft.attachments.values_list("file", flat=True))
    with transaction.atomic():
        draft.delete()
        _files_delete_on_commit(names)


def drafts_purge(*, now: datetime | None = None) -> int:
    """Removes the drafts last saved more than DRAFT_MAX_AGE_DAYS days before `now` (default:
    the current time), with their files. Returns how many were removed."""
    max_age_days = settings.AFTERSALES["DRAFT_MAX_AGE_DAYS"]
    cutoff = (now or timezone.now()) - timedelta(days=max_age_days)
    stale = RepairRequest.objects.filter(status=RequestStatus.DRAFT, updated_at__lt=cutoff)
    removed = 0
    while True:
        with transaction.atomic():
            # Rows locked until the end of the batch (PostgreSQL): a draft being submitted or
            # saved right now is skipped, and is no longer stale when it is read again.
            ids = list(
                stale.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:PURGE_BATCH_SIZE]
            )
            if not ids:
                break
            names = list(
                Attachment.objects.filter(request_id__in=ids).values_list("file", flat=True)
            )
            stale.filter(pk__in=ids).delete()
            _files_delete_on_commit(names)
        removed += len(ids)
    logger.info("Stale drafts removed", extra={"removed": removed, "cutoff": cutoff.isoformat()})
    return removed


def orphan_files_delete(*, older_than: datetime) -> int:
    """Deletes the stored files of requests that no attachment row names, last written before
    `older_than`. A file is deleted only after its row's deletion commits, and stored before its
    row is saved: a process that dies in between (a killed worker, a web process restarted)
    leaves a file that nothing names. The age spares uploads whose row is being saved now.
    Returns how many were deleted."""
    storage = Attachment._meta.get_field("file").storage
    named = set(Attachment.objects.values_list("file", flat=True))
    orphans: list[str] = []
    folders = ["repairs"]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            continue
        folders.extend(f"{folder}/{name}" for name in subfolders)
        for name in files:
            path = f"{folder}/{name}"
            if path not in named and storage.get_modified_time(path) < older_than:
                orphans.append(path)
    _files_delete(orphans)
    if orphans:
        logger.warning("Orphaned attachment files deleted", extra={"deleted": len(orphans)})
    return len(orphans)


def purge_schedule(*, now: datetime | None = None) -> datetime | None:
    """Queues the next night's purge in the task worker, unless one is queued already; returns
    when it will run, or None when nothing was queued. Only the database task backend can hold a
    task until a given time and be asked what is queued; with another backend, run
    `manage.py purge_stale_drafts` from cron instead. The workers also queue it by themselves
    when it is missing (`core.recurring`)."""
    return recurring_schedule(NIGHTLY_PURGE, now=now)


@task()
def purge_stale_drafts() -> int:
    """The nightly removal of stale drafts, and of files left behind by a crash. Each run first
    queues the next one, so that the chain goes on even when this run fails; run again after a
    crash, it removes what is still stale and queues nothing more."""
    purge_schedule()
    removed = drafts_purge()
    orphan_files_delete(older_than=timezone.now() - ORPHAN_FILE_MIN_AGE)
    return removed


# The purge runs at night, local time, when nobody is filling in a request.
NIGHTLY_PURGE = RecurringTask(task=purge_stale_drafts, at=time(3, 17))
# An upload's file is stored a moment before its row is saved: older than this, a file that no
# row names was left by a crash.
ORPHAN_FILE_MIN_AGE = timedelta(days=1)
