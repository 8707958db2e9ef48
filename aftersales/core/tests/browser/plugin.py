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

Every page a browser test opens is audited (see WATCH_SCRIPT and PageAudit): the test fails
on any Content-Security-Policy violation, and on any WCAG 2.x A or AA violation that axe-core
finds in any document the page shows, as loaded and after each change (an htmx swap). A page
leaves a document only once its check is done, and the test ends the same way: a test never
waits for a check by hand, even when it leaves a page the moment it appeared, before its
`load` event (see WATCH_SCRIPT).
`audit_now(page)` checks what the page shows now (say, after the window was resized);
`audit_of(page)` holds what was found.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
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
DEFAULT_TIMEOUT_MS = 90_000
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


# --- What every page is checked for --------------------------------------------------------------

# axe-core's rules for WCAG 2.0, 2.1 and 2.2, levels A and AA ("wcag22aa" holds 2.2's automated
# rule, target size; 2.2 adds no automated level-A rule), the experimental ones included (label
# in name, paragraphs styled as headings, orientation lock, table headers): every rule carrying
# one of these tags is listed by name, since axe leaves experimental rules out of a run by tag.
# No rule is disabled.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Not checked by axe (CSP violations still are): Django's own admin, the staff's tool until the
# back office exists, whose markup and scripts are Django's (its filter links and its
# SelectFilter2 widget fail target-size and aria-prohibited-attr). WCAG here is for the pages of
# the customers who file requests; the back office will be built to it.
AXE_EXCLUDED_PATHS = ["/admin/"]
# Longest wait for a page's check before it may be left (Swagger UI takes about a second; a
# machine busy with other work, several):
# less than Playwright's timeout, so that a check that never ends says so, not a click.
AUDIT_WAIT_SECONDS = 60

# Runs in every document before the page's own scripts. Scripts added this way
# go through the DevTools protocol: the page's Content-Security-Policy does not apply to them (a
# <script> tag added to the page would be refused). It
# - reports Content-Security-Policy violations;
# - runs axe when the document has loaded, and again once it has stayed unchanged for a moment
#   after a change (an htmx swap), and reports what axe found.
# The page says "busy" from its start until its last check is done, so that the test can wait
# for it before the page is left (see before_navigation) and at the end of the test.
#
# A document counts as loaded at its `load` event or, failing that, once its readyState is
# "complete": when a navigation away from a document starts before its `load` (a test clicks
# a link, sends a form or calls goto() the moment the page it landed on appears, say right
# after a log-in), Chromium may stop loading it: its pending requests are dropped, its
# readyState turns "complete" and no `load` event ever follows. Waiting for `load` alone left
# such a document "busy" for good, so before_navigation held the navigation AUDIT_WAIT_SECONDS
# and then reported a check that "did not end" (rarely: it takes a page still loading when it
# is left, as on a busy machine). The document is then checked as the test left it, without
# the resources that were still on their way.
WATCH_SCRIPT = """
(() => {
  const report = (message) => window.__aftersalesAudit(message);
  document.addEventListener("securitypolicyviolation", (event) => report({
    csp: {
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI, source: event.sourceFile, line: event.lineNumber,
      sample: event.sample,
    },
  }));
  if (window.top !== window || location.protocol === "about:" || location.protocol === "data:"
      || document.contentType !== "text/html"
      || __EXCLUDED__.some((path) => location.pathname.startsWith(path))) {
    return;
  }
  let options = null;
  let version = 0, checked = -1, running = false, timer = null, loaded = false;
  report({ busy: true });
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  };
  const run = async () => {
    if (running) { schedule(); return; }
    if (checked === version) { report({ busy: false }); return; }
    running = true;
    const at = version;
    try {
      if (options === null) {
        // axe-core is compiled only now, once the page has loaded: not while it starts.
        window.__aftersalesLoadAxe();
        options = {
          runOnly: { type: "rule", values: axe.getRules(__TAGS__).map((rule) => rule.ruleId) },
          resultTypes: ["violations"],
        };
      }
      const results = await axe.run(document, options);
      checked = at;
      report({
        busy: checked !== version,
        url: location.href, lang: document.documentElement.lang, width: window.innerWidth,
        violations: results.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
        })),
      });
    } catch (error) {
      checked = at;
      report({ busy: false, error: String(error), url: location.href });
    } finally {
      running = false;
      if (checked !== version) { schedule(); }
    }
  };
  // For audit_now(): check what the page shows now (say after the window was resized).
  window.__aftersalesCheckNow = async () => {
    clearTimeout(timer);
    while (running) { await new Promise((resolve) => setTimeout(resolve, 20)); }
    version += 1;
    await run();
  };
  new MutationObserver(() => {
    if (!loaded) { return; }
    version += 1;
    report({ busy: true });
    schedule();
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // Loaded: checked. readyState turns "complete" just before `load` is fired, in the same
  // task: when the next task comes with no `load`, none will come (see above).
  const check = () => {
    if (loaded) { return; }
    loaded = true;
    version += 1;
    schedule();
  };
  window.addEventListener("load", check);
  document.addEventListener("readystatechange", () => {
    if (document.readyState === "complete") { setTimeout(check, 0); }
  });
})();
"""


@cache
def watch_script() -> str:
    """axe-core as axe-playwright-python ships it (nothing is fetched at run time), wrapped in
    a function that the watch script calls when a check is due, then the watch script."""
    import axe_playwright_python

    axe = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
    script = WATCH_SCRIPT.replace("__TAGS__", json.dumps(AXE_TAGS))
    script = script.replace("__EXCLUDED__", json.dumps(AXE_EXCLUDED_PATHS))
    return f"window.__aftersalesLoadAxe = function () {{\n{axe}\n}};\n{script}"


@dataclass
class PageAudit:
    """The CSP and axe violations one page met during a test."""

    page: Any
    busy: bool = False
    checks: int = 0
    violations: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def receive(self, message: dict[str, Any]) -> None:
        if "csp" in message:
            self.csp_violations.append(f"{self.page.url}: {json.dumps(message['csp'])}")
            return
        self.busy = bool(message.get("busy"))
        if "error" in message:
            self.violations.append(f"{message['url']}: axe could not run: {message['error']}")
        if "violations" not in message:
            return
        self.checks += 1
        where = f"{message['url']} (lang={message['lang']!r}, {message['width']} px wide)"
        for violation in message["violations"]:
            nodes = violation["nodes"]
            targets = "; ".join(node["target"] for node in nodes[:5])
            summary = " ".join((nodes[0]["summary"] or "").split()) if nodes else ""
            self.violations.append(
                f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} — "
                f"{len(nodes)} element(s): {targets}. {summary}"
            )

    def wait(self) -> None:
        """Until the page's pending check is done (or AUDIT_WAIT_SECONDS passed: a finding).

        Called from the main greenlet (a test, the end of a test) or from before_navigation's
        route handler, which Playwright runs in its own greenlet: `wait_for_timeout` hands
        control back to Playwright's dispatcher, which keeps delivering the page's
        __aftersalesAudit calls (they set `busy`) while the navigation is held."""
        deadline = time.monotonic() + AUDIT_WAIT_SECONDS
        while self.busy and time.monotonic() < deadline and not self.page.is_closed():
            self.page.wait_for_timeout(20)
        if self.busy and not self.page.is_closed():
            self.violations.append(
                f"{self.page.url}: the accessibility check did not end in {AUDIT_WAIT_SECONDS} s"
            )
            self.busy = False

    def on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: console: {message.text}")

    def report(self) -> str:
        lines = []
        if self.csp_violations:
            lines += ["Content-Security-Policy violations:", *self.csp_violations]
        if self.violations:
            lines += ["Accessibility (axe-core, WCAG 2.x A/AA) violations:", *self.violations]
        return "\n".join(dict.fromkeys(lines))  # the same finding twice is said once


def audit_of(page: Any) -> PageAudit:
    """The page's audit: its findings so far (`checks` counts the documents and states axe
    checked). `audit_of(page).wait()` waits for the check of what the page shows now."""
    audit: PageAudit = page._aftersales_audit
    return audit


def audit_now(page: Any) -> None:
    """Check what the page shows now, whether or not it changed (say, after the window was
    resized), and wait for the result."""
    audit_of(page).wait()
    page.evaluate("() => window.__aftersalesCheckNow && window.__aftersalesCheckNow()")


# The people fixtures' password (conftest.py).
PASSWORD = "correct-horse-battery"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 720}


def log_in(page: Any, user: Any) -> None:
    """Logs `user` in through the log-in page; it returns once the page the log-in leads to
    has appeared (maybe before its `load`)."""
    import re

    from playwright.sync_api import expect

    page.goto("/account/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit].primary").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def at_both_widths(page: Any) -> None:
    """The page as it is now: checked by axe at 1280 px, then at 320 px, where it must not
    scroll sideways (WCAG 1.4.10)."""
    audit_of(page).wait()
    page.set_viewport_size(NARROW)
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " width: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["width"], f"{page.url} scrolls sideways at 320 px: {sizes}"
    audit_now(page)
    page.set_viewport_size(WIDE)


def _watch_context(context: Any, audits: list[PageAudit]) -> Callable[[Any], PageAudit]:
    """Audit every page of the context, popups included."""
    from playwright.sync_api import Error as PlaywrightError

    def watch(page: Any) -> PageAudit:
        audit = getattr(page, "_aftersales_audit", None)
        if audit is None:
            audit = PageAudit(page)
            page._aftersales_audit = audit
            page.on("console", audit.on_console)
            audits.append(audit)
        return audit

    def receive(source: dict[str, Any], message: dict[str, Any]) -> None:
        watch(source["page"]).receive(message)

    def before_navigation(route: Any) -> None:
        # A document is left only once its check is done: the navigation's request waits. The
        # document being left keeps running meanwhile (its timers, axe, the binding calls, which
        # Playwright delivers while this handler waits), but may get no `load` event any more
        # (see WATCH_SCRIPT).
        request = route.request
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                watch(request.frame.page).wait()
            route.fallback()
        except PlaywrightError:
            # The page or its context closed meanwhile (the test ended): nothing to route.
            pass

    context.expose_binding("__aftersalesAudit", receive)
    context.add_init_script(watch_script())
    context.on("page", watch)
    # Static files are never documents: they are not routed through here (nor slowed down).
    context.route(re.compile(r"^(?!.*/static/).*$"), before_navigation)
    return watch


@pytest.fixture
def page_locale() -> str:
    return DEFAULT_LOCALE


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any
) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (own cookies) on the live server.

    Every page of these contexts is audited (PageAudit); the test fails at its end on any CSP
    or axe violation met on any page."""
    contexts: list[Any] = []
    audits: list[PageAudit] = []

    def open_page(locale: str = DEFAULT_LOCALE, **context_args: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, locale=locale, **context_args)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        watch = _watch_context(context, audits)
        contexts.append(context)
        browser_page = context.new_page()
        watch(browser_page)
        return browser_page

    yield open_page
    reports = request.node.stash.get(_report_key, {})
    passed = "call" in reports and reports["call"].passed
    if passed:
        for audit in audits:
            audit.wait()
    for context in contexts:
        context.close()
    found = "\n".join(report for report in (audit.report() for audit in audits) if report)
    if passed and found:
        pytest.fail(found, pytrace=False)


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
