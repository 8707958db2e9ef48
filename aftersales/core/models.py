"""The bookkeeping that makes background work safe to run again after a crash (see
`core.outbox`, `core.workers` and `core.recurring`). Nothing here is shown to customers or
edited by staff."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SentEmail(models.Model):
    """An e-mail the mail server has accepted, by its idempotency key. The row is written in the
    transaction that sends, so a task run again after its worker died finds it and sends nothing
    (see `core.outbox.email_deliver_once`)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key


class TaskWorker(models.Model):
    """A running `manage.py run_worker` and its lease: `seen_at` is renewed every few seconds
    while the process lives. A task whose worker stopped renewing it is queued again."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class RecurringSchedule(models.Model):
    """One row per recurring task: it is locked while the task's next run is queued, so that two
    workers never queue it twice (see `core.recurring`)."""

    task_path = models.CharField(max_length=255, unique=True)
    next_run_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.task_path
