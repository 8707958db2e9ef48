"""A task left RUNNING by a worker that died is queued again once the worker's lease expired
(core.workers); a live worker's task is left alone however long it runs; a task that killed its
worker too many times fails instead of looping. The real kill is in
test_a_worker_killed_mid_task_loses_nothing_and_doubles_nothing.py."""

from __future__ import annotations

import signal
import time
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_started
from django_tasks_db.models import DBTaskResult

from aftersales.core.models import TaskWorker
from aftersales.core.tasks import send_email
from aftersales.core.workers import (
    LeaseKeeper,
    WorkerLost,
    tasks_requeue_orphaned,
    worker_lease_renew,
)

NOW = timezone.make_aware(datetime(2026, 12, 1, 10, 0))
LEASE = timedelta(seconds=60)  # settings.TASK_WORKER_LEASE_SECONDS


def queued_email() -> str:
    return send_email.enqueue(to=["carol@example.com"], subject="Hi", text_body="Hi.").id


def claimed(task_id: str, *, worker_ids: list[str], started_at: datetime) -> str:
    """The row as a worker leaves it when it claims the task (and dies running it)."""
    DBTaskResult.objects.filter(pk=task_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids, started_at=started_at
    )
    return task_id


def status_of(task_id: str) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


def test_a_task_whose_worker_stopped_renewing_its_lease_is_queued_again(db, database_tasks):
    worker_lease_renew(worker_id="dead", now=NOW - LEASE - timedelta(seconds=1))
    task = claimed(queued_email(), worker_ids=["dead"], started_at=NOW - timedelta(minutes=5))

    recovery = tasks_requeue_orphaned(now=NOW)

    assert recovery.requeued == [task]
    assert status_of(task) == TaskResultStatus.READY


def test_a_task_of_a_live_worker_is_left_running_however_long_it_takes(db, database_tasks):
    worker_lease_renew(worker_id="alive", now=NOW - timedelta(seconds=5))
    task = claimed(
        queued_email(), worker_ids=["dead", "alive"], started_at=NOW - timedelta(hours=3)
    )

    assert tasks_requeue_orphaned(now=NOW).requeued == []
    assert status_of(task) == TaskResultStatus.RUNNING


def test_a_task_of_a_worker_without_a_lease_waits_one_lease_then_is_queued_again(
    db, database_tasks
):
    # A bare `db_worker` holds no lease: its task is taken for an orphan once it has run longer
    # than the lease, never before.
    young = claimed(
        queued_email(), worker_ids=["bare"], started_at=NOW - LEASE + timedelta(seconds=1)
    )
    old = claimed(
        queued_email(), worker_ids=["bare"], started_at=NOW - LEASE - timedelta(seconds=1)
    )

    assert tasks_requeue_orphaned(now=NOW).requeued == [old]
    assert status_of(young) == TaskResultStatus.RUNNING


def test_a_worker_restarted_under_the_same_id_takes_its_task_back_at_once(db, database_tasks):
    # `--worker-id` given by hand: the restarted process renews the same lease, so the lease
    # alone cannot tell that the task it left is an orphan; the starting worker knows it runs
    # nothing yet.
    worker_lease_renew(worker_id="worker-1", now=NOW)
    task = claimed(queued_email(), worker_ids=["worker-1"], started_at=NOW - timedelta(seconds=1))

    assert tasks_requeue_orphaned(now=NOW).requeued == []
    assert tasks_requeue_orphaned(now=NOW, starting_worker_id="worker-1").requeued == [task]
    assert status_of(task) == TaskResultStatus.READY


def test_a_task_that_killed_its_worker_too_many_times_fails(db, database_tasks, settings):
    settings.TASK_MAX_ATTEMPTS = 3
    task = claimed(
        queued_email(), worker_ids=["one", "two", "three"], started_at=NOW - timedelta(hours=1)
    )

    recovery = tasks_requeue_orphaned(now=NOW)

    assert recovery.failed == [task]
    result = DBTaskResult.objects.get(pk=task)
    assert result.status == TaskResultStatus.FAILED
    assert result.finished_at == NOW
    [error] = result.task_result.errors
    assert error.exception_class is WorkerLost
    assert "has run 3 times" in error.traceback


def test_expired_leases_are_removed_and_live_ones_kept(db, database_tasks):
    worker_lease_renew(worker_id="dead", now=NOW - LEASE - timedelta(seconds=1))
    worker_lease_renew(worker_id="alive", now=NOW)

    tasks_requeue_orphaned(now=NOW)

    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_a_worker_runs_the_task_a_dead_one_left_as_it_starts(db, run_queue, mailoutbox):
    task = claimed(queued_email(), worker_ids=["dead"], started_at=timezone.now() - 2 * LEASE)

    run_queue(worker_id="successor")

    result = DBTaskResult.objects.get(pk=task)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids == ["dead", "successor"]
    assert len(mailoutbox) == 1


def test_a_worker_holds_its_lease_while_it_runs_a_task_and_gives_it_back_after(
    db, run_queue, mailoutbox
):
    leases_during_the_task: list[list[str]] = []

    def record(sender, task_result, **kwargs) -> None:
        leases_during_the_task.append(list(TaskWorker.objects.values_list("worker_id", flat=True)))

    queued_email()
    task_started.connect(record)
    try:
        run_queue(worker_id="w1")
    finally:
        task_started.disconnect(record)

    assert leases_during_the_task == [["w1"]]
    assert not TaskWorker.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_lease_keeper_renews_the_lease_and_requeues_orphans_while_the_worker_is_busy(
    database_tasks, settings
):
    settings.TASK_WORKER_LEASE_SECONDS = 2
    worker_lease_renew(worker_id="busy", now=timezone.now() - timedelta(seconds=1))
    first_seen = TaskWorker.objects.get(worker_id="busy").seen_at
    orphan = claimed(
        queued_email(), worker_ids=["dead"], started_at=timezone.now() - timedelta(minutes=5)
    )

    def requeued() -> bool:
        try:
            return status_of(orphan) == TaskResultStatus.READY
        except OperationalError:
            # SQLite's shared in-memory test database locks a table while the keeper writes.
            return False

    keeper = LeaseKeeper(worker_id="busy")
    keeper.start()
    try:
        deadline = time.monotonic() + 20
        while not requeued() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        keeper.stop()

    assert not keeper.is_alive()
    assert status_of(orphan) == TaskResultStatus.READY
    assert TaskWorker.objects.get(worker_id="busy").seen_at > first_seen


def test_recover_tasks_says_what_it_did(db, database_tasks):
    claimed(queued_email(), worker_ids=["dead"], started_at=timezone.now() - 2 * LEASE)
    out = StringIO()

    call_command("recover_tasks", stdout=out)

    text = out.getvalue()
    assert "Queued again: task" in text
    assert "Scheduled: aftersales.repairs.housekeeping.purge_stale_drafts at" in text

    out = StringIO()
    call_command("recover_tasks", stdout=out)
    assert out.getvalue() == "Nothing to recover.\n"


def test_run_worker_runs_the_queue_with_a_lease(db, run_queue, mailoutbox):
    # run_queue's monkeypatch keeps the test's connection open; the command is what
    # `make run` and production start.
    queued_email()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "run_worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id", "cmd"
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.get(task_path=send_email.module_path).worker_ids == ["cmd"]
