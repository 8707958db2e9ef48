"""The concurrency tests' helper cannot pass by accident: an unexpected error in a racing call
or a call that never returns fails the test instead of vanishing in its thread."""

from __future__ import annotations

import threading

import pytest

from aftersales.core.tests.race import race


class Refused(Exception):
    pass


def refuse() -> None:
    raise Refused


def test_results_and_expected_refusals_are_returned():
    outcome = race(lambda: 1, refuse, refusals=(Refused,))
    assert outcome.results == [1]
    assert [type(error) for error in outcome.refusals] == [Refused]


def test_an_unexpected_error_in_a_call_fails_the_test():
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        race(lambda: 1, lambda: 1 / 0)


def test_a_call_still_running_after_the_timeout_fails_the_test():
    release = threading.Event()
    try:
        with pytest.raises(AssertionError, match="still running"):
            race(lambda: 1, lambda: release.wait(5), timeout=0.5)
    finally:
        release.set()
