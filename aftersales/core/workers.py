"""Task workers that survive a crash: a lease per worker, and tasks of dead workers run again.

django-tasks-db's worker marks a task RUNNING when it claims it and SUCCESSFUL or FAILED when
it ends; a worker killed in between (`kill -9`, out of memory, the machine gone) leaves the task
RUNNING forever. So each worker started by `manage.py run_worker` holds a lease (a `TaskWorker`
row) that a thread of its own renews every quarter of settings.TASK_WORKER_LEASE_SECONDS, however
long its task runs. Every worker regularly looks for RUNNING tasks whose worker's lease has
expired and puts them back in the queue (`tasks_requeue_orphaned`), then makes sure every
recurring task has its next run queued (`core.recurring`). Tasks are written to be run again
(an e-mail is sent once per key, see `core.outbox`).

A task that has run settings.TASK_MAX_ATTEMPTS times when its worker dies is marked FAILED
(`WorkerLost`) rather than run again: a task that kills its worker (e.g. out of memory) must not
loop forever.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker
from .recurring import recurring_ensure_all
from .retry import tasks_retry_due

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker died on its last allowed run."""


def lease_seconds() -> float:
    seconds: float = settings.TASK_WORKER_LEASE_SECONDS
    return seconds


def worker_id_new() -> str:
    """A readable worker id, unique across machines and restarts (64 characters at most)."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{get_random_string(8)}"


def worker_lease_renew(*, worker_id: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={
            "seen_at": now,
            "started_at": now,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def worker_lease_release(*, worker_id: str) -> None:
    """A worker that stops cleanly has finished its task: its lease goes at once."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


@dataclass
class Recovery:
    """What one pass of `tasks_recover` did (task result ids and recurring task paths)."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    scheduled: dict[str, datetime] = field(default_factory=dict)


def tasks_requeue_orphaned(
    *, now: datetime | None = None, starting_worker_id: str = ""
) -> Recovery:
    """Puts back in the queue the RUNNING tasks whose worker has not renewed its lease for
    TASK_WORKER_LEASE_SECONDS, or marks them FAILED after TASK_MAX_ATTEMPTS.

    A task claimed by a worker that holds no lease (a bare `db_worker`) counts as orphaned once
    it has run longer than the lease: run workers with `run_worker`. A worker that starts passes
    its id: a task left running under that id was left by an earlier process given the same
    `--worker-id`, and is taken back at once (that id's lease is alive again)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    recovery = Recovery()
    alive = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    alive.discard(starting_worker_id)
    # Few rows: the tasks being run right now, and the orphans.
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in running.only("id", "worker_ids", "started_at", "task_path"):
        worker_ids: list[str] = result.worker_ids or []
        current = worker_ids[-1] if worker_ids else ""
        if current in alive:
            continue
        # A worker holds its lease before it claims anything, so a claim younger than a lease
        # is left alone even when its worker is unknown (a bare db_worker gets that long).
        restarted = bool(starting_worker_id) and current == starting_worker_id
        young = result.started_at is not None and result.started_at >= cutoff
        if young and not restarted:
            continue
        # Compare-and-set on the claim's start: a task that has just finished or been claimed
        # again since it was read is left alone.
        same_claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        attempts = len(worker_ids)
        if attempts >= settings.TASK_MAX_ATTEMPTS:
            changed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"WorkerLost: the worker running this task died; the task has run {attempts} "
                    f"times (workers {', '.join(worker_ids)}), the most allowed "
                    "(TASK_MAX_ATTEMPTS): not run again.\n"
                ),
            )
            if changed:
                recovery.failed.append(str(result.pk))
                logger.error(
                    "Task failed: its worker died, and it has run the most times allowed",
                    extra={
                        "task_id": str(result.pk),
                        "task": result.task_path,
                        "attempts": attempts,
                    },
                )
        elif same_claim.update(status=TaskResultStatus.READY):
            recovery.requeued.append(str(result.pk))
            logger.warning(
                "Task of a dead worker queued again",
                extra={
                    "task_id": str(result.pk),
                    "task": result.task_path,
                    "worker_id": worker_ids[-1] if worker_ids else "",
                    "attempts": attempts,
                },
            )
    # Leases that expired are of no further use: their tasks have just been handled.
    TaskWorker.objects.filter(seen_at__lt=cutoff).delete()
    return recovery


def tasks_recover(*, now: datetime | None = None, starting_worker_id: str = "") -> Recovery:
    """One pass of the workers' upkeep: tasks of dead workers run again, tasks that failed for a
    reason that passes run again once their delay is over (`core.retry`), and every recurring
    task has its next run queued. Safe to run from several workers at once."""
    recovery = tasks_requeue_orphaned(now=now, starting_worker_id=starting_worker_id)
    recovery.retried = tasks_retry_due(now=now)
    recovery.scheduled = recurring_ensure_all(now=now)
    return recovery


class LeaseKeeper(threading.Thread):
    """The worker's second thread: renews the lease every quarter of it, and runs the upkeep
    (`tasks_recover`) every half, whatever the main thread is running."""

    def __init__(self, *, worker_id: str) -> None:
        super().__init__(name=f"lease-keeper-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        beat = lease_seconds() / 4
        beats = 0
        try:
            # The worker renewed its lease and ran the upkeep just before starting this thread.
            while not self.stopped.wait(beat):
                beats += 1
                try:
                    worker_lease_renew(worker_id=self.worker_id)
                    if beats % 2 == 0:
                        tasks_recover()
                except Exception:
                    # The database may be briefly away: try again at the next beat.
                    logger.exception(
                        "Task worker upkeep failed", extra={"worker_id": self.worker_id}
                    )
                finally:
                    # Drops a broken connection, so that the next beat opens a new one.
                    close_old_connections()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=lease_seconds())


class LeasedWorker(Worker):
    """django-tasks-db's worker, holding a lease while it runs (see the module's docstring)."""

    def run(self) -> None:
        # The lease exists before the first claim, so that no task of a live worker is ever
        # taken for an orphan; and tasks left by dead workers are queued before this one starts.
        worker_lease_renew(worker_id=self.worker_id)
        tasks_recover(starting_worker_id=self.worker_id)
        keeper = LeaseKeeper(worker_id=self.worker_id)
        keeper.start()
        try:
            super().run()
        finally:
            keeper.stop()
            try:
                worker_lease_release(worker_id=self.worker_id)
            except Exception:
                # Exiting anyway: the lease expires by itself.
                logger.exception(
                    "Task worker lease not released", extra={"worker_id": self.worker_id}
                )
