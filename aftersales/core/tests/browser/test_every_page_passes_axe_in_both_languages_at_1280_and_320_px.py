"""Issue 7, item 10: the main pages, walked in French and in English, each checked by axe-core
(WCAG 2.x A and AA) at 1280 px and at 320 px wide, with no sideways scrolling at 320 px
(WCAG 1.4.10); the return address added in place by keyboard alone, the focus following the
panel and what happened read out. axe runs through the browser plugin (every page of every
browser test); this walk makes sure every main page and state is met, at both widths."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import audit_now, audit_of
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.repairs.tests.wizard_cast import *  # noqa: F403

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 720}
PASSWORD = "correct-horse-battery"

# Where the page is wider than the window, and what sticks out.
OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > width + 0.5)
    .filter((element) => getComputedStyle(element).position !== "absolute")
    .slice(0, 5)
    .map((element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (element.className && typeof element.className === "string"
         ? "." + element.className.trim().split(/\\s+/).join(".") : "")
      + " (" + Math.round(element.getBoundingClientRect().right) + " px)");
  return { scroll: document.documentElement.scrollWidth, width, wide };
}"""


def both_widths(page) -> None:
    """The page as it is now: checked by axe at 1280 px (the plugin does it as the page loads
    or changes), then at 320 px, where nothing may stick out sideways."""
    audit_of(page).wait()
    page.set_viewport_size(NARROW)
    sizes = page.evaluate(OVERFLOW_SCRIPT)
    assert sizes["scroll"] <= sizes["width"], f"{page.url} scrolls sideways at 320 px: {sizes}"
    audit_now(page)
    page.set_viewport_size(WIDE)


def go(page, url: str) -> None:
    page.goto(url)
    both_widths(page)


def submit(page, button: str = "main form button[type=submit].primary") -> None:
    page.locator(button).first.click()
    page.wait_for_load_state()
    both_widths(page)


def next_step(page, slug: str) -> None:
    page.locator("button.primary[name=action][value=next]").click()
    expect(page).to_have_url(re.compile(rf"/{slug}/$"))
    both_widths(page)


def check(page, name: str, value: str) -> None:
    page.locator(f"input[name={name}][value='{value}']").check()


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id")


@pytest.fixture(params=["fr", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def walker(new_page, language):
    return new_page(locale="fr-FR" if language == "fr" else "en-GB", viewport=WIDE)


def test_every_main_page_passes_axe_at_both_widths(
    walker, language, customer, europe, north_america, repair_centre, mine, plan, paris
):
    page = walker
    customer.preferred_language = language
    customer.save()
    unowned = DeviceFactory(model=mine.model, serial_number="163CFR0WALK0001")
    with translation.override(language):
        adding = translation.gettext("Add a new address")
        added = translation.gettext("The address is added to your address book.")

    # --- Not logged in ---------------------------------------------------------------------
    go(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    go(page, reverse("accounts:signup"))
    submit(page)  # every field missing: the errors at their fields
    go(page, reverse("accounts:login"))
    page.fill("#id_username", customer.email)
    page.fill("#id_password", "not-the-password")
    submit(page)  # a form-level error
    go(page, reverse("repairs:progress"))
    page.fill("#id_case_number", "CAS-1234567-ABC123")
    page.fill("#id_email", customer.email)
    submit(page)
    go(page, reverse("support:contact"))
    submit(page)  # the contact form (issue 10): every required field missing, a wrong code
    go(page, reverse("api:docs"))
    expect(page.locator(".opblock").first).to_be_visible()
    both_widths(page)

    # --- Logged in: products, plans --------------------------------------------------------
    go(page, reverse("accounts:login"))
    page.fill("#id_username", customer.email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    expect(page.locator("html")).to_have_attribute("lang", language)
    go(page, reverse("devices:list"))
    go(page, reverse("devices:add"))
    page.fill("#id_serial_number", unowned.serial_number)
    submit(page)  # added: a message in a status region
    expect(page.locator(".messages[role=status] li")).to_have_count(1)
    go(page, reverse("devices:detail", args=[mine.serial_number]))
    go(page, reverse("plans:list"))
    go(page, reverse("plans:detail", args=[plan.pk]))
    go(page, reverse("plans:activate"))
    page.fill("#id_activation_code", "2222-2222-2222-2222")
    page.fill("#id_serial_number", mine.serial_number)
    submit(page)  # refused: errors at the fields

    # --- The repair request, every step ----------------------------------------------------
    go(page, "/")
    page.locator("#new-repair-request").click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+/zone/$"))
    both_widths(page)
    page.select_option("#id_zone", str(europe.pk))
    expect(page.locator("#id_country option[value='US']")).to_have_count(0)
    both_widths(page)
    page.select_option("#id_country", "FR")
    next_step(page, "product")
    check(page, "way", "serial")
    page.fill("#id_serial", mine.serial_number)
    expect(page.locator("#serial-recognised")).to_contain_text(mine.model.display_name)
    both_widths(page)
    next_step(page, "service")
    check(page, "service_type", "repair")
    next_step(page, "problems")
    check(page, "problems", "accident_damage")
    page.fill("#id_description", "Chute dans un arbre.")
    page.locator("#id_support_contacted").check()
    next_step(page, "purchase")
    page.select_option("#id_purchase_channel", "authorised_dealer")
    page.fill("#id_received_on", "2026-01-02")
    page.locator("#id_has_plan").check()
    expect(page.locator("#plan-found")).to_be_visible()
    both_widths(page)
    next_step(page, "cause")
    check(page, "accident_cause", "product")
    next_step(page, "analysis")
    check(page, "data_analysis_requested", "no")
    next_step(page, "express")
    check(page, "express_requested", "no")
    next_step(page, "shipment")
    check(page, "shipment", "complete_set")
    next_step(page, "address")

    # The return address, added in place by keyboard alone.
    page.focus("#address-add")
    page.keyboard.press("Enter")
    expect(page.locator("#address-form")).to_be_visible()
    expect(page.locator("#id_address-full_name")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(adding)
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => document.getElementById('address-form').contains(document.activeElement)"
    ), f"the next Tab left the new form for #{focused(page)}"
    both_widths(page)
    page.keyboard.press("Enter")  # sent empty: the errors, the focus on the first wrong field
    expect(page.locator("#id_address-full_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_address-full_name")).to_be_focused()
    both_widths(page)
    page.keyboard.type("Alice Durand")
    for field, value in [
        ("#id_address-street", "8 quai des Chartrons"),
        ("#id_address-postcode", "33000"),
        ("#id_address-city", "Bordeaux"),
    ]:
        page.focus(field)
        page.keyboard.type(value)
    page.focus("#id_address-country")
    page.select_option("#id_address-country", "FR")
    page.focus("#id_address-phone")
    page.keyboard.type("+33 5 56 00 00 00")
    page.keyboard.press("Enter")
    bordeaux = page.locator("#address-panel li", has_text="Bordeaux").locator("input[type=radio]")
    expect(bordeaux).to_be_checked()
    expect(bordeaux).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(added)
    both_widths(page)
    next_step(page, "summary")
    page.locator("#id_terms_accepted").check()
    page.locator("#submit-request").click()

    case = RepairRequest.objects.get(user=customer, case_number__isnull=False)
    expect(page).to_have_url(re.compile(rf"/repairs/cases/{case.case_number}/sent/$"))
    both_widths(page)
    go(page, reverse("repairs:case", args=[case.case_number]))
    go(page, reverse("repairs:list"))
    go(page, reverse("repairs:progress"))
    page.fill("#id_case_number", case.case_number)
    page.fill("#id_email", customer.email)
    submit(page)
    expect(page.locator("#progress-answer")).to_contain_text(case.case_number)

    # Case numbers are drawn at random: the widest one fits too.
    widest = SubmittedCaseFactory(user=customer, case_number="CAS-8888888-WWWWWW")
    go(page, reverse("repairs:confirmation", args=[widest.case_number]))
    go(page, reverse("repairs:case", args=[widest.case_number]))

    # Every page above was checked at both widths.
    assert audit_of(page).checks >= 80
