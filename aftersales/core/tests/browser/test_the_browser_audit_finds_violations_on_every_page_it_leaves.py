"""The browser plugin's audit (plugin.py) finds what it is there to find: an axe (WCAG) violation
in a document as loaded, the same in a document the test left before its `load` event (the next
navigation stopped its loading: no `load` ever came, and the navigation once waited for its
check until the audit's time-out), and a Content-Security-Policy violation.

The documents are planted by a page route on the live server's address; each test then empties
the findings it planted, so that the audit's own end-of-test check passes."""

from __future__ import annotations

import contextlib
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from aftersales.core.tests.browser import plugin
from aftersales.core.tests.browser.plugin import audit_of

pytestmark = pytest.mark.browser

# A picture with no text alternative: axe's image-alt (WCAG 1.1.1, level A).
PLANTED = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Planted</title></head>
<body><main><h1>Planted</h1><img src="{src}"></main></body></html>"""
PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def plant(page, path: str, body: str, headers: dict[str, str] | None = None) -> None:
    page.route(
        f"**{path}",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=body, headers=headers or {}
        ),
    )


def found(page, rule: str, path: str) -> list[str]:
    return [v for v in audit_of(page).violations if f"{path} " in v and f": {rule} " in v]


def test_an_axe_violation_in_a_loaded_page_is_found(page):
    plant(page, "/planted/", PLANTED.format(src="/static/aftersales/favicon.svg"))

    page.goto("/planted/")
    audit_of(page).wait()

    assert found(page, "image-alt", "/planted/"), audit_of(page).violations
    audit_of(page).violations.clear()


def test_a_page_left_before_its_load_event_is_checked_as_it_was_left(page, monkeypatch):
    # Shorter than the tests' own limit, so that a stall fails this test fast.
    monkeypatch.setattr(plugin, "AUDIT_WAIT_SECONDS", 20)

    # Its picture is slow: the link is clicked before the page's `load` event, and then
    # Chromium never fires it (the picture's request is dropped, readyState turns "complete").
    def slow_picture(route):
        # Dropped as the page is left; this waits on after the test is over (the page closed).
        with contextlib.suppress(PlaywrightError):
            page.wait_for_timeout(2000)
            route.fulfill(status=200, content_type="image/svg+xml", body=PICTURE)

    page.route("**/slow.svg", slow_picture)
    planted = PLANTED.format(src="/slow.svg").replace("</main>", '<a href="/">Home</a></main>')
    plant(page, "/unloaded/", planted)
    page.goto("/unloaded/", wait_until="domcontentloaded")
    assert page.evaluate("() => document.readyState") == "interactive"

    started = time.monotonic()
    page.get_by_role("link", name="Home").click()
    page.wait_for_url("/")
    left_in = time.monotonic() - started

    audit = audit_of(page)
    assert not [v for v in audit.violations if "did not end" in v], audit.violations
    assert left_in < plugin.AUDIT_WAIT_SECONDS / 2
    assert found(page, "image-alt", "/unloaded/"), audit.violations
    audit.violations.clear()


def test_a_content_security_policy_violation_is_found(page):
    plant(
        page,
        "/inline-script/",
        '<!DOCTYPE html><html lang="en"><title>Inline</title><main><h1>Inline</h1>'
        "<script>document.title = 'ran';</script></main></html>",
        headers={"Content-Security-Policy": "script-src 'self'"},
    )

    page.goto("/inline-script/")
    audit_of(page).wait()

    assert page.title() == "Inline"  # refused
    assert any("script-src" in v for v in audit_of(page).csp_violations), audit_of(page)
    audit_of(page).csp_violations.clear()
