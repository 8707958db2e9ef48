"""A task worker killed (`kill -9`) in the middle of a task loses nothing and doubles nothing
(issue 7, item 2): real `manage.py run_worker` processes work on the test database and send
through a local SMTP server; each is killed where a task hangs (in the nightly purge, on a
database lock; in the middle of an e-mail, before and after the mail server accepted it), a new
one is started, and in the end every task has succeeded, each customer has exactly one e-mail and
the nightly purge has its next run queued.

PostgreSQL only: the worker processes must see the test database (SQLite's is in memory), and
the purge is held at a row lock, which SQLite does not have."""

from __future__ import annotations

import os
import queue
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.core.models import SentEmail
from aftersales.core.tasks import prune_task_records, send_email
from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.housekeeping import purge_stale_drafts
from aftersales.repairs.models import Attachment, RepairRequest
from aftersales.repairs.tasks import send_case_confirmation
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory

from ._smtp import HANG_AFTER_ACCEPTING, HANG_BEFORE_ACCEPTING, SmtpCapture
from ._subprocess import BASE_DIR, database_url, production_env

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker processes must see the test database (SQLite's is in memory) and the "
        "purge is held at a row lock; run with DATABASE_URL=postgres://…",
    ),
]

LEASE_SECONDS = 2
WAIT_SECONDS = 90
PURGE = "the nightly purge"


@pytest.fixture
def smtp() -> Iterator[SmtpCapture]:
    server = SmtpCapture(
        {
            # The case form e-mail: the worker dies before the server has taken it.
            "alice@example.com": [HANG_BEFORE_ACCEPTING],
            # The case form e-mail: the server has it, the worker dies before saying goodbye.
            "bob@example.com": [HANG_AFTER_ACCEPTING],
            # A plain e-mail (core.tasks.send_email), the same.
            "carol@example.com": [HANG_AFTER_ACCEPTING],
        }
    )
    yield server
    server.close()


class Workers:
    """Starts `manage.py run_worker` processes on the test database; kills what is left."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        number = len(self.started) + 1
        log = (self.logs / f"worker-{number}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def log_text(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("worker-*.log"))
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


@pytest.fixture
def workers(settings, smtp, tmp_path) -> Iterator[Workers]:
    env = production_env(
        DATABASE_URL=database_url(connection.settings_dict),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="0",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        TASK_WORKER_LEASE_SECONDS=str(LEASE_SECONDS),
        LOG_FORMAT="plain",
    )
    started = Workers(env, tmp_path)
    yield started
    started.stop_all()


def wait_for(condition: Callable[[], object], what: str, workers: Workers) -> object:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"Waited {WAIT_SECONDS} s for {what}.\n{workers.log_text()}")


def stale_draft_with_a_file(customer) -> tuple[RepairRequest, Attachment]:
    draft = RepairRequestFactory(user=customer)
    attachment = Attachment.objects.create(
        request=draft,
        kind=AttachmentKind.INVOICE,
        token=secrets.token_hex(16),
        file=ContentFile(b"%PDF-1.4\n", name="upload.pdf"),
        extension=".pdf",
        original_name="invoice.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    RepairRequest.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=31))
    return draft, attachment


def status_of(task_id: str) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


def test_killing_workers_mid_task_loses_nothing_and_doubles_nothing(
    database_tasks, customer, other_customer, smtp, workers, settings
):
    alice_case = SubmittedCaseFactory(user=customer)
    bob_case = SubmittedCaseFactory(user=other_customer)
    draft, attachment = stale_draft_with_a_file(customer)
    stored_file = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert stored_file.exists()

    # What a real run has queued: two submitted cases' confirmations, an e-mail, and the night's
    # purge (due now, so the worker takes it first).
    tasks = {
        PURGE: purge_stale_drafts.using(run_after=timezone.now()).enqueue().id,
        "alice@example.com": send_case_confirmation.enqueue(request_id=alice_case.pk).id,
        "bob@example.com": send_case_confirmation.enqueue(request_id=bob_case.pk).id,
        "carol@example.com": send_email.enqueue(
            to=["carol@example.com"], subject="Your password", text_body="Reset it here."
        ).id,
    }

    # The purge will hang on this attachment's row lock while it deletes the stale draft.
    locker = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=connection.settings_dict.get("USER") or None,
        password=connection.settings_dict.get("PASSWORD") or None,
        host=connection.settings_dict.get("HOST") or "127.0.0.1",
        port=connection.settings_dict.get("PORT") or 5432,
    )
    locker.execute(
        f"SELECT id FROM {Attachment._meta.db_table} WHERE id = %s FOR UPDATE",  # noqa: S608
        [attachment.pk],
    )

    def purge_hangs_on_the_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [locker.info.backend_pid],
            )
            return cursor.fetchone()[0] > 0

    try:
        hangs_left = set(tasks)
        while hangs_left:
            worker = workers.start()

            def a_task_hangs(worker: subprocess.Popen[bytes] = worker) -> str | None:
                assert worker.poll() is None, f"the worker exited\n{workers.log_text()}"
                try:
                    return smtp.hangs.get_nowait()
                except queue.Empty:
                    pass
                if PURGE in hangs_left and purge_hangs_on_the_lock():
                    return PURGE
                return None

            hung = str(wait_for(a_task_hangs, f"one of {sorted(hangs_left)} to hang", workers))
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)

            # What the crash leaves: the task claimed and never finished, nothing rolled forward.
            assert status_of(tasks[hung]) == TaskResultStatus.RUNNING
            if hung == PURGE:
                assert RepairRequest.objects.filter(pk=draft.pk).exists()
                locker.rollback()  # the purge may go through now
            hangs_left.remove(hung)

        # A last worker takes the tasks its predecessors left running, once their lease expired.
        last = workers.start()
        wait_for(
            lambda: all(status_of(t) == TaskResultStatus.SUCCESSFUL for t in tasks.values()),
            "every task to succeed",
            workers,
        )
        last.send_signal(signal.SIGTERM)
        assert last.wait(timeout=30) == 0, workers.log_text()
    finally:
        locker.close()
        workers.stop_all()

    # Every task ran again after its worker died, and succeeded.
    for what, task_id in tasks.items():
        result = DBTaskResult.objects.get(pk=task_id)
        assert result.status == TaskResultStatus.SUCCESSFUL, what
        assert len(result.worker_ids) == 2, (what, result.worker_ids)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()

    # Exactly one e-mail per case and per message, whether the worker died before or after the
    # server accepted it.
    for address in ("alice@example.com", "bob@example.com", "carol@example.com"):
        assert len(smtp.delivered_to(address)) == 1, address
    assert len(smtp.delivered) == 3
    [alice_message] = smtp.delivered_to("alice@example.com")
    assert alice_case.case_number in str(alice_message["Subject"])
    [attachment_part] = list(alice_message.iter_attachments())
    assert attachment_part.get_filename() == f"{alice_case.case_number}.pdf"
    assert attachment_part.get_content().startswith(b"%PDF")
    assert SentEmail.objects.count() == 3

    # The purge went through on its second run, file included, and its chain goes on: one next
    # run queued, tomorrow night. The workers keep the other recurring task queued too.
    assert not RepairRequest.objects.filter(pk=draft.pk).exists()
    assert not stored_file.exists()
    [next_purge] = DBTaskResult.objects.filter(
        task_path=purge_stale_drafts.module_path, status=TaskResultStatus.READY
    )
    assert timezone.now() < next_purge.run_after <= timezone.now() + timedelta(days=1)
    assert (
        DBTaskResult.objects.filter(
            task_path=prune_task_records.module_path, status=TaskResultStatus.READY
        ).count()
        == 1
    )
