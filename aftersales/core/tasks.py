"""Background tasks of the core: sending a rendered e-mail, and the nightly pruning of the task
records. Every task may run again after its worker died (see `core.workers`): each is written so
that a second run does no harm."""

from __future__ import annotations

import logging
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from .models import SentEmail
from .outbox import email_deliver_once
from .recurring import RecurringTask, recurring_schedule

logger = logging.getLogger(__name__)


@task(takes_context=True)
def send_email(
    context: TaskContext,
    *,
    to: list[str],
    subject: str,
    text_body: str,
    html_body: str = "",
    reply_to: str = "",
    idempotency_key: str = "",
) -> None:
    """Send one rendered message. Rendering happens before enqueueing, in the recipient's
    language (see `aftersales.core.emails`), so that the task only carries plain strings.

    Sent once per `idempotency_key`, by default this queued task's id: a run again after a crash
    does not send twice, while two messages queued on purpose are both sent."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    key = idempotency_key or f"task:{context.task_result.id}"
    if email_deliver_once(key=key, message=message):
        logger.info("E-mail sent", extra={"subject": subject, "recipients": len(to)})


@task()
def prune_task_records() -> dict[str, int]:
    """Removes finished task results and the record of sent e-mails older than
    TASK_RECORDS_KEEP_DAYS: the tables stay small, and the workers' look for orphaned tasks
    stays cheap. A queued or running task is never removed, and no task runs again after it
    finished, so an old sent-mail record is no longer needed."""
    from django_tasks_db.models import DBTaskResult

    recurring_schedule(NIGHTLY_TASK_RECORDS_PRUNE)
    cutoff = timezone.now() - timedelta(days=settings.TASK_RECORDS_KEEP_DAYS)
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    emails, _ = SentEmail.objects.filter(sent_at__lt=cutoff).delete()
    logger.info("Task records pruned", extra={"task_results": results, "sent_emails": emails})
    return {"task_results": results, "sent_emails": emails}


# After the purge of stale drafts (03:17), at night, when nobody waits for a task.
NIGHTLY_TASK_RECORDS_PRUNE = RecurringTask(task=prune_task_records, at=time(3, 47))


def task_enqueue_with_transaction(queued: Task[..., Any], **kwargs: Any) -> None:
    """Queues `queued` so that it runs only if the current transaction commits. With the
    database backend the task is a row of that transaction, written now: one commit for both
    (on_commit would queue it in a second transaction of its own, which waits for the disk a
    second time). With any other backend (the tests' immediate one, which would run it at once)
    it is queued once the transaction has committed."""
    if isinstance(queued.get_backend(), DatabaseBackend):
        queued.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: queued.enqueue(**kwargs))
