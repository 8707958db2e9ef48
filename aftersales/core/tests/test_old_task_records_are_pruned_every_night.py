"""Finished task results and the record of sent e-mails are removed after
TASK_RECORDS_KEEP_DAYS (a recurring task): the tables stay small and the workers' look for
orphaned tasks stays cheap. Queued and running tasks are never removed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.core.models import SentEmail
from aftersales.core.tasks import prune_task_records, send_email


def a_task(status: TaskResultStatus, *, finished_days_ago: int | None) -> str:
    task_id = send_email.enqueue(to=["carol@example.com"], subject="Hi", text_body="Hi.").id
    finished_at = (
        None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    )
    DBTaskResult.objects.filter(pk=task_id).update(status=status, finished_at=finished_at)
    return task_id


def test_old_finished_results_and_sent_emails_go_and_the_rest_stays(db, database_tasks, settings):
    settings.TASK_RECORDS_KEEP_DAYS = 30
    old_success = a_task(TaskResultStatus.SUCCESSFUL, finished_days_ago=31)
    old_failure = a_task(TaskResultStatus.FAILED, finished_days_ago=31)
    recent = a_task(TaskResultStatus.SUCCESSFUL, finished_days_ago=29)
    queued = a_task(TaskResultStatus.READY, finished_days_ago=None)
    running = a_task(TaskResultStatus.RUNNING, finished_days_ago=None)
    SentEmail.objects.create(key="old", sent_at=timezone.now() - timedelta(days=31))
    SentEmail.objects.create(key="recent", sent_at=timezone.now() - timedelta(days=29))

    assert prune_task_records.call() == {"task_results": 2, "sent_emails": 1}

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} >= {recent, queued, running}
    assert not {old_success, old_failure} & {str(pk) for pk in left}
    assert list(SentEmail.objects.values_list("key", flat=True)) == ["recent"]
    # Its own next run is queued (the recurring task's chain).
    assert DBTaskResult.objects.filter(
        task_path=prune_task_records.module_path, status=TaskResultStatus.READY
    ).exists()
