"""Pytest fixtures for browser tests: Playwright driving Debian's Chromium, never a downloaded one.

Registered from the root conftest.py, so any app's tests can use them:

    @pytest.mark.browser
    def test_something(page, live_server):
        page.goto("/")          # the context's base URL is the live server

`browser` is started once per session; `page` gets a fresh context (cookies, locale) per test.
Override the `page_locale` fixture in a test module, or call `new_page(locale="fr-FR")`, for
another browser language.

Without /usr/bin/chromium the browser tests are skipped with one line saying so, except in CI
(env CI=true), where a missing browser fails the run: a green CI must have run them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000
DEFAULT_LOCALE = "en-GB"
SCREENSHOT_DIR = Path("/tmp/aftersales-browser-failures")  # noqa: S108


@dataclass(frozen=True)
class BrowserDecision:
    """What to do with the browser tests: "run", "skip" or "fail", and why."""

    action: str
    reason: str = ""


def is_ci(environ: Mapping[str, str]) -> bool:
    return environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def browser_decision(
    executable: str = CHROMIUM_PATH, environ: Mapping[str, str] | None = None
) -> BrowserDecision:
    environ = os.environ if environ is None else environ
    if os.path.isfile(executable) and os.access(executable, os.X_OK):
        return BrowserDecision("run")
    if is_ci(environ):
        return BrowserDecision(
            "fail",
            f"Chromium not found at {executable} and CI is set — browser tests cannot run; "
            "apt-get install chromium",
        )
    return BrowserDecision(
        "skip",
        f"Chromium not found at {executable} — browser tests skipped; apt-get install chromium",
    )


_decision_key = pytest.StashKey[BrowserDecision]()
_report_key = pytest.StashKey[dict[str, pytest.TestReport]]()
_count_key = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_decision_key] = browser_decision(CHROMIUM_PATH)


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    decision = config.stash[_decision_key]
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    config.stash[_count_key] = len(browser_items)
    if not browser_items:
        return
    # Last: a live Playwright session leaves an event loop set on the main thread.
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + browser_items
    if decision.action == "skip":
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=decision.reason))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    decision = config.stash.get(_decision_key, None)
    if decision is None or decision.action == "run" or not config.stash.get(_count_key, 0):
        return
    colour = {"yellow": True} if decision.action == "skip" else {"red": True}
    terminalreporter.write_line(decision.reason, bold=True, **colour)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    item.stash.setdefault(_report_key, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    decision = request.config.stash[_decision_key]
    if decision.action == "fail":
        pytest.fail(decision.reason, pytrace=False)
    if decision.action == "skip":
        pytest.skip(decision.reason)

    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

    # Playwright's sync API keeps an event loop on this thread; the ORM calls made by the test
    # itself (fixtures, assertions) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_locale() -> str:
    return DEFAULT_LOCALE


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (own cookies) on the live server."""
    contexts: list[Any] = []

    def open_page(locale: str = DEFAULT_LOCALE, **context_args: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, locale=locale, **context_args)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, new_page: Callable[..., Any], page_locale: str) -> Any:
    browser_page = new_page(locale=page_locale)
    yield browser_page
    reports = request.node.stash.get(_report_key, {})
    if "call" in reports and reports["call"].failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{request.node.name}.png"
        browser_page.screenshot(path=str(path), full_page=True)
        print(f"Screenshot of the failed page: {path}")
