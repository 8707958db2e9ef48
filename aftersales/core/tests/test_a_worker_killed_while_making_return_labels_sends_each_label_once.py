"""A task worker killed (`kill -9`) while it makes and sends return labels still gives every
eligible case exactly one label e-mail, with one label, once a worker runs again (issue 9, "Bad
input and faults"). Real `manage.py run_worker` processes on the test database, a local SMTP
server; each worker is killed where a label task hangs: while issuing the label's tracking number
(held at the repair centre's row lock), and in the middle of the e-mail, before and after the
mail server accepted it.

PostgreSQL only, as the other killed-worker test (the workers must see the test database, and
the tracking number is held at a row lock)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from aftersales.accounts.tests.factories import UserFactory
from aftersales.catalog.models import RepairCentre
from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.core.models import SentEmail
from aftersales.repairs.models import ParcelLabel, RepairRequest
from aftersales.repairs.tasks import send_return_label
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.repairs.tests.parcels_cast import centre_with_range

from ._smtp import HANG_AFTER_ACCEPTING, HANG_BEFORE_ACCEPTING, SmtpCapture
from ._subprocess import database_url, production_env
from .test_a_worker_killed_mid_task_loses_nothing_and_doubles_nothing import (
    LEASE_SECONDS,
    Workers,
    status_of,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker processes must see the test database (SQLite's is in memory) and the "
        "tracking number is held at a row lock; run with DATABASE_URL=postgres://…",
    ),
]

NUMBER = "carol: issuing the tracking number"


@pytest.fixture
def smtp() -> Iterator[SmtpCapture]:
    server = SmtpCapture(
        {
            # The label e-mail: the worker dies before the server has taken it.
            "alice@example.com": [HANG_BEFORE_ACCEPTING],
            # The label e-mail: the server has it, the worker dies before saying goodbye.
            "bob@example.com": [HANG_AFTER_ACCEPTING],
        }
    )
    yield server
    server.close()


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


def case_at(centre: RepairCentre, email: str, outcome: str = "warranty") -> RepairRequest:
    return SubmittedCaseFactory(
        user=UserFactory(email=email),
        zone=centre.zone,
        repair_centre=centre,
        coverage={"outcome": outcome},
    )


def test_killing_workers_mid_label_sends_each_label_once(database_tasks, smtp, workers):
    amsterdam = centre_with_range(RepairCentreFactory())
    # Carol's centre: its row will be locked while her label's number is issued.
    madrid = centre_with_range(
        RepairCentreFactory(name="Madrid", zone=amsterdam.zone), tracking_range_first=5000
    )
    cases = {
        "alice@example.com": case_at(amsterdam, "alice@example.com"),
        "bob@example.com": case_at(amsterdam, "bob@example.com", outcome="plan_replacement"),
        "carol@example.com": case_at(madrid, "carol@example.com"),
        # Not eligible: told so, once, without a label.
        "dan@example.com": case_at(amsterdam, "dan@example.com", outcome="not_covered"),
    }
    tasks = {
        address: send_return_label.enqueue(request_id=case.pk).id for address, case in cases.items()
    }

    locker = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=connection.settings_dict.get("USER") or None,
        password=connection.settings_dict.get("PASSWORD") or None,
        host=connection.settings_dict.get("HOST") or "127.0.0.1",
        port=connection.settings_dict.get("PORT") or 5432,
    )
    locker.execute(
        f"SELECT id FROM {RepairCentre._meta.db_table} WHERE id = %s FOR UPDATE",  # noqa: S608
        [madrid.pk],
    )

    def number_hangs_on_the_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [locker.info.backend_pid],
            )
            return cursor.fetchone()[0] > 0

    try:
        hangs_left = {"alice@example.com", "bob@example.com", NUMBER}
        while hangs_left:
            worker = workers.start()

            def a_task_hangs(worker: subprocess.Popen[bytes] = worker) -> str | None:
                assert worker.poll() is None, f"the worker exited\n{workers.log_text()}"
                try:
                    return smtp.hangs.get_nowait()
                except queue.Empty:
                    pass
                if NUMBER in hangs_left and number_hangs_on_the_lock():
                    return NUMBER
                return None

            hung = str(wait_for(a_task_hangs, f"one of {sorted(hangs_left)} to hang", workers))
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
            task = tasks["carol@example.com" if hung == NUMBER else hung]
            assert status_of(task) == TaskResultStatus.RUNNING
            if hung == NUMBER:
                # Killed while issuing: nothing of the label was kept, no number was used.
                assert not ParcelLabel.objects.filter(request=cases["carol@example.com"]).exists()
                madrid.refresh_from_db()
                assert madrid.tracking_range_next is None
                locker.rollback()
            hangs_left.remove(hung)

        last = workers.start()
        wait_for(
            lambda: all(status_of(t) == TaskResultStatus.SUCCESSFUL for t in tasks.values()),
            "every label task to succeed",
            workers,
        )
        last.send_signal(signal.SIGTERM)
        assert last.wait(timeout=30) == 0, workers.log_text()
    finally:
        locker.close()
        workers.stop_all()

    # Exactly one e-mail per case, each eligible one with its one label attached.
    for address, case in cases.items():
        [message] = smtp.delivered_to(address)
        assert case.case_number in str(message["Subject"])
        attached = list(message.iter_attachments())
        case.refresh_from_db()
        assert case.return_label_sent_at is not None
        if address == "dan@example.com":
            assert attached == [] and case.return_label_eligible is False
            assert not ParcelLabel.objects.filter(request=case).exists()
            continue
        [label] = ParcelLabel.objects.filter(request=case)
        [pdf] = attached
        assert pdf.get_content() == bytes(label.pdf)
        assert label.tracking_number in message.get_body(("plain",)).get_content()
    assert len(smtp.delivered) == 4 and SentEmail.objects.count() == 4
    # The numbers issued: one per label, none lost to the crash at the lock.
    madrid.refresh_from_db()
    assert madrid.tracking_range_next == 5001
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
