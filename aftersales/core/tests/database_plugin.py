"""The PostgreSQL run of CI must really run the PostgreSQL-only tests (row locks, COPY, killed
workers): with REQUIRE_POSTGRESQL=1 the run fails when the database is not PostgreSQL, or when a
test was skipped for a reason that names PostgreSQL (issue 7, item 7)."""

from __future__ import annotations

import os
from typing import Any

import pytest

_skipped_key = pytest.StashKey[list[str]]()


def postgresql_required() -> bool:
    return os.environ.get("REQUIRE_POSTGRESQL", "").strip().lower() in {"1", "true", "yes", "on"}


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_skipped_key] = []
    if not postgresql_required():
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        raise pytest.UsageError(
            f"REQUIRE_POSTGRESQL is set but the tests would run on {connection.vendor}: "
            "set DATABASE_URL=postgres://…"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if postgresql_required() and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if "postgresql" in reason.lower():
            reason = reason.removeprefix("Skipped: ")
            item.config.stash[_skipped_key].append(f"{report.nodeid} ({reason})")
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.stash.get(_skipped_key, []):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    skipped = config.stash.get(_skipped_key, [])
    if skipped:
        terminalreporter.write_line(
            "REQUIRE_POSTGRESQL is set and PostgreSQL-only tests were skipped:", red=True, bold=True
        )
        for line in skipped:
            terminalreporter.write_line(f"  {line}", red=True)
