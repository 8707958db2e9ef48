from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_home_page_switches_to_french_with_the_header_button(page, live_server):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header.site-header").is_visible()

    # The FR button, found by its value: its label is the same in every language.
    page.locator(".language-switch button[value=fr]").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url.rstrip("/") == live_server.url.rstrip("/")
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "fr"
    # The current language's button is marked and cannot be pressed again.
    assert page.locator(".language-switch button[value=fr]").is_disabled()
    assert page.locator(".language-switch button[value=en]").is_enabled()
    assert failed == [], "requests that failed while loading the pages"


def test_the_chosen_language_stays_on_the_next_page(page):
    page.goto("/")
    page.locator(".language-switch button[value=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.goto("/no-such-page/")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
