"""Run calls at the same instant in threads of their own, each with its own database connection,
for the concurrency tests (row locks, constraints) on PostgreSQL.

A call that raises something other than the refusals the test expects, or that is still running
after the timeout (a deadlock, a lock never released), fails the test: neither is a result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection, connections

# The marks of a test module that needs real concurrent connections and row locks.
POSTGRESQL_ONLY = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) need PostgreSQL and real concurrent connections; "
        "run with DATABASE_URL=postgres://…",
    ),
]


@dataclass
class RaceOutcome:
    results: list[object] = field(default_factory=list)
    refusals: list[BaseException] = field(default_factory=list)


def race(
    *calls: Callable[[], object],
    refusals: tuple[type[BaseException], ...] = (),
    timeout: float = 30.0,
) -> RaceOutcome:
    """Starts every call at once; returns what they returned and the expected refusals they
    raised. Anything else raised, or a call still running after `timeout` seconds, is an
    AssertionError."""
    barrier = threading.Barrier(len(calls))
    outcome = RaceOutcome()
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            result = call()
            with lock:
                outcome.results.append(result)
        except refusals as error:
            with lock:
                outcome.refusals.append(error)
        except BaseException as error:  # reported below, in the test's thread
            with lock:
                unexpected.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,), daemon=True) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    still_running = sum(thread.is_alive() for thread in threads)
    assert not still_running, f"{still_running} call(s) still running after {timeout} s"
    if unexpected:
        raise AssertionError(f"unexpected error in a racing call: {unexpected!r}") from unexpected[
            0
        ]
    return outcome
