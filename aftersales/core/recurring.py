"""Recurring tasks: a task that runs every day at a set local time, kept going by the task
workers themselves.

Each run queues the next one (`recurring_schedule`, first thing in the task, so that a run that
fails still leaves its successor), and every worker checks regularly that each task listed in
`settings.RECURRING_TASKS` has a run queued or running (`recurring_ensure_all`): a run lost to a
crash, a failure before it queued its successor, or a result row deleted by hand cannot end the
chain. A row per task (`RecurringSchedule`), locked while its next run is queued, keeps two
workers from queueing it twice.

Only the database task backend can hold a task until a given time and be asked what is queued;
with another backend nothing is queued, and such a task is run from cron instead.

To add one: a task that takes no arguments, `NIGHTLY_X = RecurringTask(task=x, at=time(3, 0))`
beside it, the first line of the task `recurring_schedule(NIGHTLY_X)`, and the dotted path of
`NIGHTLY_X` in `settings.RECURRING_TASKS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task

from .models import RecurringSchedule


@dataclass(frozen=True)
class RecurringTask:
    """A task (without arguments) run every day at `at`, local time (settings.TIME_ZONE)."""

    task: Task[[], Any]
    at: time

    def next_run(self, now: datetime) -> datetime:
        local = timezone.localtime(now)
        run = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return run if run > local else run + timedelta(days=1)


def _uses_database_backend(recurring: RecurringTask) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(recurring.task.get_backend(), DatabaseBackend)


def recurring_schedule(
    recurring: RecurringTask, *, now: datetime | None = None, count_running: bool = False
) -> datetime | None:
    """Queues the next run of `recurring` unless one is queued already; returns when it will
    run, or None when nothing was queued.

    A run calls this for its own successor with `count_running=False` (itself is running); the
    workers' check counts running runs too, since a running run queues its own successor."""
    from django_tasks_db.models import DBTaskResult

    if not _uses_database_backend(recurring):
        return None
    path = recurring.task.module_path
    pending = [TaskResultStatus.READY, *([TaskResultStatus.RUNNING] if count_running else [])]
    with transaction.atomic():
        schedule, _ = RecurringSchedule.objects.get_or_create(task_path=path)
        # The lock makes a second scheduler wait here, then see the run this one queued.
        schedule = RecurringSchedule.objects.select_for_update().get(pk=schedule.pk)
        if DBTaskResult.objects.filter(task_path=path, status__in=pending).exists():
            return None
        run_after = recurring.next_run(now or timezone.now())
        recurring.task.using(run_after=run_after).enqueue()
        schedule.next_run_at = run_after
        schedule.save(update_fields=["next_run_at", "updated_at"])
    return run_after


def recurring_tasks() -> list[RecurringTask]:
    """The recurring tasks named in settings.RECURRING_TASKS."""
    found: list[RecurringTask] = []
    for path in settings.RECURRING_TASKS:
        recurring = import_string(path)
        if not isinstance(recurring, RecurringTask):
            raise TypeError(f"{path} in settings.RECURRING_TASKS is not a RecurringTask")
        found.append(recurring)
    return found


def recurring_ensure_all(*, now: datetime | None = None) -> dict[str, datetime]:
    """Queues the next run of every recurring task that has none queued or running; returns the
    task paths queued, with when they will run."""
    queued: dict[str, datetime] = {}
    for recurring in recurring_tasks():
        run_after = recurring_schedule(recurring, now=now, count_running=True)
        if run_after is not None:
            queued[recurring.task.module_path] = run_after
    return queued
