"""A mail server that is away, slow or says "try again later" does not lose the e-mail: the task
fails with TaskRetryLater and the workers run it again after a delay (core.retry), up to
TASK_MAX_ATTEMPTS runs. A refusal (5xx) is final."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.core.models import SentEmail
from aftersales.core.outbox import email_deliver_once
from aftersales.core.retry import TaskRetryLater, retry_delay, tasks_retry_due
from aftersales.core.tasks import send_email
from aftersales.core.workers import tasks_recover

HERE = __name__
FAILURE: list[BaseException] = []


class FailingBackend(BaseEmailBackend):
    """A mail server that fails as FAILURE[0] says."""

    def send_messages(self, email_messages: Any) -> int:
        raise FAILURE[0]


class UnreachableBackend(BaseEmailBackend):
    """A mail server nobody answers at."""

    def open(self) -> bool:
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages: Any) -> int:
        raise AssertionError("never reached")


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = f"{HERE}.FailingBackend"
    yield
    FAILURE.clear()


def message() -> EmailMessage:
    return EmailMessage(subject="Your case", body="Hello", to=["alice@example.com"])


@pytest.mark.parametrize(
    "failure",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPDataError(451, b"Requested action aborted: try again later"),
        TimeoutError("timed out"),
    ],
    ids=["disconnected", "451 try again later", "timeout"],
)
def test_a_failure_that_passes_is_retried_later(db, failing_mail, failure):
    FAILURE.append(failure)
    with pytest.raises(TaskRetryLater):
        email_deliver_once(key="k", message=message())
    assert not SentEmail.objects.exists()


def test_an_unreachable_server_is_retried_later(db, settings):
    settings.EMAIL_BACKEND = f"{HERE}.UnreachableBackend"
    with pytest.raises(TaskRetryLater):
        email_deliver_once(key="k", message=message())


@pytest.mark.parametrize(
    "failure",
    [
        smtplib.SMTPDataError(554, b"Message refused"),
        smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"No such user")}),
    ],
    ids=["554 refused", "recipient refused"],
)
def test_a_refusal_is_final(db, failing_mail, failure):
    FAILURE.append(failure)
    with pytest.raises(type(failure)):
        email_deliver_once(key="k", message=message())


def test_the_failed_task_runs_again_after_its_delay_and_sends_once(
    db, run_queue, failing_mail, settings
):
    FAILURE.append(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    queued = send_email.enqueue(to=["carol@example.com"], subject="Reset", text_body="Here.")
    run_queue()
    failed = DBTaskResult.objects.get(pk=queued.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.task_result.errors[0].exception_class is TaskRetryLater

    # Not before its delay (one minute after a first failed run).
    assert tasks_recover(now=failed.finished_at + timedelta(seconds=30)).retried == []
    recovery = tasks_recover(now=failed.finished_at + retry_delay(1))
    assert recovery.retried == [queued.id]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    run_queue(worker_id="later")

    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids == ["test-worker", "later"]
    assert len(mail.outbox) == 1


def test_after_the_last_allowed_run_it_stays_failed(db, database_tasks, settings):
    settings.TASK_MAX_ATTEMPTS = 2
    queued = send_email.enqueue(to=["carol@example.com"], subject="Reset", text_body="Here.")
    long_ago = timezone.now() - timedelta(days=1)
    DBTaskResult.objects.filter(pk=queued.id).update(
        status=TaskResultStatus.FAILED,
        worker_ids=["one", "two"],
        finished_at=long_ago,
        exception_class_path="aftersales.core.retry.TaskRetryLater",
    )

    assert tasks_retry_due() == []
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.FAILED


def test_a_task_that_failed_for_good_is_not_retried(db, database_tasks):
    queued = send_email.enqueue(to=["carol@example.com"], subject="Reset", text_body="Here.")
    DBTaskResult.objects.filter(pk=queued.id).update(
        status=TaskResultStatus.FAILED,
        worker_ids=["one"],
        finished_at=timezone.now() - timedelta(days=1),
        exception_class_path="smtplib.SMTPDataError",
    )

    assert tasks_retry_due() == []


def test_the_delays_grow_then_repeat():
    assert [retry_delay(runs) for runs in (1, 2, 3, 4, 5, 9)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=2),
        timedelta(hours=2),
    ]
