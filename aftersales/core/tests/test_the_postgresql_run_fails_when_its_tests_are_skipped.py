"""CI's PostgreSQL run cannot pass by skipping the PostgreSQL-only tests: with
REQUIRE_POSTGRESQL=1 a run on another database, or a skipped PostgreSQL test, fails."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from aftersales.core.tests.race import POSTGRESQL_ONLY


def run_pytest(tmp_path, body: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "REQUIRE_POSTGRESQL": "1", **env}
    test_file = tmp_path / "test_probe.py"
    test_file.write_text(body)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(settings.BASE_DIR / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-p",
            "aftersales.core.tests.database_plugin",
            str(test_file),
        ],
        cwd=settings.BASE_DIR,
        env={key: value for key, value in environ.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_run_on_sqlite_is_refused(tmp_path):
    result = run_pytest(tmp_path, "def test_nothing():\n    pass\n", DATABASE_URL=None)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "REQUIRE_POSTGRESQL is set but the tests would run on sqlite" in result.stderr


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the skip check needs a run on PostgreSQL"
)
@POSTGRESQL_ONLY[0]
def test_a_skipped_postgresql_test_fails_the_run(tmp_path):
    body = (
        "import pytest\n\n"
        "def test_runs():\n    pass\n\n"
        "@pytest.mark.skip(reason='row locks need PostgreSQL')\n"
        "def test_skipped():\n    pass\n"
    )
    result = run_pytest(tmp_path, body)
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "PostgreSQL-only tests were skipped" in result.stdout
    assert "test_probe.py::test_skipped (row locks need PostgreSQL)" in result.stdout
