"""An e-mail task may run again after its worker died: the e-mail is sent once per idempotency
key, recorded in the same transaction as the send (core.outbox)."""

from __future__ import annotations

import threading
import time
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.core.models import SentEmail
from aftersales.core.outbox import email_deliver_once, email_message_id
from aftersales.core.retry import TaskRetryLater
from aftersales.core.tasks import send_email

HERE = __name__


def message(to: str = "alice@example.com") -> EmailMessage:
    return EmailMessage(subject="Your case", body="Hello", to=[to])


class RefusingBackend(BaseEmailBackend):
    """A mail server that drops the connection in the middle of the data."""

    def send_messages(self, email_messages: Any) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")


SLOW_OUTBOX: list[EmailMessage] = []


class SlowBackend(BaseEmailBackend):
    """A mail server that takes half a second to accept a message."""

    def send_messages(self, email_messages: Any) -> int:
        time.sleep(0.5)
        SLOW_OUTBOX.extend(email_messages)
        return len(email_messages)


def test_an_email_is_sent_once_per_key(db, mailoutbox):
    assert email_deliver_once(key="repairs.case_confirmation:CAS-1", message=message()) is True
    assert email_deliver_once(key="repairs.case_confirmation:CAS-1", message=message()) is False

    assert len(mailoutbox) == 1
    assert SentEmail.objects.filter(key="repairs.case_confirmation:CAS-1").count() == 1


def test_another_key_is_another_email(db, mailoutbox):
    email_deliver_once(key="a", message=message())
    email_deliver_once(key="b", message=message())
    assert len(mailoutbox) == 2


def test_a_send_that_fails_records_nothing_so_that_the_next_run_sends(db, settings):
    settings.EMAIL_BACKEND = f"{HERE}.RefusingBackend"
    with pytest.raises(TaskRetryLater):
        email_deliver_once(key="k", message=message())
    assert not SentEmail.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    assert email_deliver_once(key="k", message=message()) is True
    assert len(mail.outbox) == 1


def test_every_attempt_carries_the_same_message_id(db, mailoutbox, settings):
    # A duplicate from SMTP's own window (accepted, then a crash before the commit) can be
    # recognised by the mail stores.
    settings.DEFAULT_FROM_EMAIL = "Aftersales <no-reply@aftersales.example.com>"
    email_deliver_once(key="k", message=message())

    [sent] = mailoutbox
    assert sent.message()["Message-ID"] == email_message_id("k")
    assert email_message_id("k").endswith("@aftersales.example.com>")
    assert email_message_id("k") != email_message_id("j")


def test_the_email_task_run_again_by_a_worker_sends_once(db, run_queue, mailoutbox):
    queued = send_email.enqueue(to=["carol@example.com"], subject="Reset", text_body="Here.")
    run_queue()
    # The worker died before it recorded the end: the task is queued again (core.workers).
    DBTaskResult.objects.filter(pk=queued.id).update(status=TaskResultStatus.READY)
    run_queue(worker_id="another-worker")

    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids == ["test-worker", "another-worker"]
    assert len(mailoutbox) == 1


def test_two_emails_queued_on_purpose_are_both_sent(db, mailoutbox):
    # The default key is the queued task's: the same message queued twice is sent twice.
    for _ in range(2):
        send_email.enqueue(to=["carol@example.com"], subject="Reset", text_body="Here.")
    assert len(mailoutbox) == 2


def test_an_email_queued_with_a_key_is_sent_once_however_often_it_is_queued(db, mailoutbox):
    for _ in range(2):
        send_email.enqueue(
            to=["carol@example.com"], subject="Hi", text_body="Hi.", idempotency_key="welcome:1"
        )
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two runs waiting on each other's row lock need PostgreSQL; SQLite serialises every "
    "write transaction anyway; run with DATABASE_URL=postgres://…",
)
def test_two_runs_of_the_same_email_at_the_same_moment_send_it_once(settings):
    # A worker thought dead (its lease expired during a long pause) and the one that took its
    # task over: the second waits for the first's key, then sends nothing.
    settings.EMAIL_BACKEND = f"{HERE}.SlowBackend"
    SLOW_OUTBOX.clear()
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(email_deliver_once(key="race", message=message()))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sorted(outcomes) == [False, True]
    assert len(SLOW_OUTBOX) == 1
