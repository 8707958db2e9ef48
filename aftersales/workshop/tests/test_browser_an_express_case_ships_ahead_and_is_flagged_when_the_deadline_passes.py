"""Issue 9's "done when", Express (seed 001, « DJI Care Refresh Express »), clicked through real
pages in French: the customer asks for Express and submits; the confirmation sends her to pay;
her case page gives the bank transfer reference; an agent records the transfer; reception ships
the replacement with its new serial number and tracking number from the "Express: to ship"
queue, before any parcel arrived; the customer reads the tracking number and the date to send
the damaged unit back by, and My products shows the new unit; the days pass (the daily task run
with the clock moved past the deadline); the agent's "Express: unit not returned" queue shows the
case flagged, and the agent charges the difference. Every page is checked by axe and for
Content-Security-Policy violations (the browser plugin)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from aftersales.core.tests.browser.plugin import log_in
from aftersales.devices.models import Device
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.models import Plan
from aftersales.repairs import express
from aftersales.repairs.choices import PaymentPurpose, RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.parcels_cast import centre_with_range
from aftersales.repairs.tests.wizard_cast import *  # noqa: F403
from aftersales.workshop.tests.test_browser_three_whole_cases_from_the_request_to_the_closed_case_in_french import (  # noqa: E501
    act,
    log_out,
    open_case,
    payment_recorded,
    request_submitted,
    settled,
)

pytestmark = pytest.mark.browser

S = RequestStatus
TRACKING = "1Z999AA10123456784"


@pytest.fixture
def page_locale() -> str:
    return "fr-FR"


@pytest.fixture(autouse=True)
def _everyone_in_french(customer, reception, agent) -> None:
    for person in (customer, reception, agent):
        person.preferred_language = "fr"
        person.save(update_fields=["preferred_language"])


@pytest.fixture(autouse=True)
def _centre_ships(repair_centre) -> None:
    centre_with_range(repair_centre)


@pytest.fixture
def spare(mavic):
    return DeviceFactory(model=mavic, serial_number="163CFAS0NEW0002")


def express_requested(page, customer, **request) -> RepairRequest:
    """The guide's steps, Express confirmed with the aircraft's serial number, submitted; the
    confirmation leads to the case page's payment."""
    case = request_submitted(
        page,
        customer,
        problem="accident_damage",
        description="Chute dans un lac.",
        express=True,
        **request,
    )
    log_in(page, customer)
    settled(page)
    page.goto(f"/repairs/cases/{case.case_number}/sent/")
    expect(page.locator("#express-costs")).to_contain_text("158,00")
    settled(page)
    page.locator("#express-pay a").click()
    expect(page.locator("#payments-due")).to_contain_text("158,00")
    expect(page.locator("#payments-due .transfer-reference")).to_contain_text("RF")
    expect(page.locator("#next-step")).to_contain_text("Payez le montant Express")
    log_out(page)
    return case


def test_an_express_case_ships_ahead_and_is_flagged_when_the_deadline_passes(
    page, customer, reception, agent, europe, repair_centre, mine, plan, paris, spare
):
    case = express_requested(page, customer, device=mine, europe=europe, address=paris, plan=plan)
    confirmation = [m for m in mail.outbox if "soumise" in m.subject]
    assert confirmation and "À payer maintenant : 158,00" in confirmation[0].body

    # An agent finds the transfer on the bank statement and records it.
    open_case(page, agent, case)
    payment_recorded(page, "158,00")
    expect(page.locator("#case-status")).to_contain_text("En cours de remplacement")
    log_out(page)

    # Reception ships the replacement from its Express queue: no parcel has arrived.
    log_in(page, reception)
    settled(page)
    page.goto("/workshop/queues/express-to-ship/")
    settled(page)
    page.get_by_role("link", name=case.case_number).click()
    expect(page.locator("#express-ship-new_serial_number")).to_be_focused()
    page.keyboard.type(spare.serial_number)
    page.fill("#express-ship-tracking_number", TRACKING)
    act(page, "express-ship", "Le remplacement est expédié")
    expect(page.locator("#express-return")).to_contain_text(mine.serial_number)
    log_out(page)
    case.refresh_from_db()
    assert case.status == S.EXPRESS_SHIPPED and not hasattr(case, "reception")
    assert Plan.objects.get(pk=plan.pk).device.serial_number == spare.serial_number
    assert Device.objects.get(pk=spare.pk).owner == customer
    assert any(TRACKING in m.body and "Renvoyez" in m.body for m in mail.outbox)

    # The customer follows the replacement and reads by when to send the damaged unit back.
    due = express.due_date(case.express_return)
    log_in(page, customer)
    settled(page)
    page.goto(f"/repairs/cases/{case.case_number}/")
    expect(page.locator("#tracking")).to_contain_text(TRACKING)
    expect(page.locator("#express-deadline")).to_contain_text(str(due.year))
    expect(page.locator("#express-deadline")).to_contain_text(mine.serial_number)
    log_out(page)

    # The days pass without the damaged unit: the daily task, its clock past the deadline.
    later = case.express_return.due_by + timedelta(hours=8)
    assert express.express_returns_check(now=later - timedelta(days=2))["reminded"] == 1
    assert express.express_returns_check(now=later)["flagged"] == 1

    # The agent's queue shows the case flagged; the agent charges the difference.
    log_in(page, agent)
    settled(page)
    page.goto("/workshop/")
    settled(page)
    page.locator("#queue-express-flagged").click()
    settled(page)
    page.get_by_role("link", name=case.case_number).click()
    expect(page.locator("#flag-express")).to_contain_text("non renvoyé")
    page.fill("#express-charge-amount", "650,00")
    act(page, "express-charge", "La différence est facturée")
    log_out(page)
    charge = case.payments.get(purpose=PaymentPurpose.EXPRESS_CHARGE)
    assert charge.amount == 650 and charge.paid_at is None

    log_in(page, customer)
    settled(page)
    page.goto(f"/repairs/cases/{case.case_number}/")
    expect(page.locator("#express-flag")).to_be_visible()
    expect(page.locator("#payments-due")).to_contain_text("650,00")
