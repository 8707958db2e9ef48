"""The support app's background task: the nightly removal of the files kept for a contact form
that was never sent (a failed try, then the visitor left). Idempotent: a second run finds
nothing older left."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from aftersales.core.recurring import RecurringTask, recurring_schedule

from .models import TicketFile
from .services import file_remove

# A form is filled in within a day; the verification code itself expires sooner.
PENDING_FILE_MAX_AGE = timedelta(days=1)


@task()
def purge_pending_files() -> int:
    recurring_schedule(NIGHTLY_PENDING_FILES_PURGE)
    cutoff = timezone.now() - PENDING_FILE_MAX_AGE
    removed = 0
    for stored in TicketFile.objects.filter(ticket=None, uploaded_at__lt=cutoff).iterator():
        with transaction.atomic():
            file_remove(stored=stored)
        removed += 1
    return removed


# After the purge of stale drafts (03:17) and before the task records' (03:47).
NIGHTLY_PENDING_FILES_PURGE = RecurringTask(task=purge_pending_files, at=time(3, 32))
