from __future__ import annotations

import pytest

from aftersales.core.tests.browser.plugin import browser_decision, is_ci


@pytest.fixture
def fake_chromium(tmp_path):
    executable = tmp_path / "chromium"
    executable.write_text("#!/bin/sh\n")
    executable.chmod(0o755)
    return str(executable)


def test_browser_tests_run_when_chromium_is_there(fake_chromium):
    assert browser_decision(fake_chromium, {}).action == "run"
    assert browser_decision(fake_chromium, {"CI": "true"}).action == "run"


def test_browser_tests_are_skipped_with_a_clear_reason_without_chromium(tmp_path):
    decision = browser_decision(str(tmp_path / "missing"), {})

    assert decision.action == "skip"
    assert "browser tests skipped" in decision.reason
    assert "apt-get install chromium" in decision.reason


def test_a_missing_chromium_fails_in_ci(tmp_path):
    decision = browser_decision(str(tmp_path / "missing"), {"CI": "true"})

    assert decision.action == "fail"
    assert "apt-get install chromium" in decision.reason


def test_a_file_that_is_not_executable_does_not_count(tmp_path):
    executable = tmp_path / "chromium"
    executable.write_text("")
    executable.chmod(0o644)

    assert browser_decision(str(executable), {}).action == "skip"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("TRUE", True), ("false", False), ("", False), ("0", False)],
)
def test_ci_is_read_from_the_environment(value, expected):
    assert is_ci({"CI": value}) is expected
