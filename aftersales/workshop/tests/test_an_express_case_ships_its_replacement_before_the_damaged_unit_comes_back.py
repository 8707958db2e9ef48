"""Issue 9, item 4 (seed 001, « DJI Care Refresh Express »; FAQ 3): a plan holder who chose
Express pays the plan's fee and the Express fee first; the replacement then ships before the
damaged unit arrives, the plan moving to the new serial number at shipping; the damaged unit is
due back within EXPRESS_RETURN_DAYS (reminded before, once); a unit not back in time, another
serial number or no battery flags the case for an agent, who charges the difference or clears
the flag. No liability is assessed: no reception, evaluation or quote before the replacement."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aftersales.devices.models import Device
from aftersales.plans.models import Plan
from aftersales.repairs import express
from aftersales.repairs.choices import (
    ExpressFlag,
    ExpressResolution,
    PaymentMethod,
    PaymentPurpose,
    ReceivedContents,
    RequestStatus,
)
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.lifecycle import case_transition
from aftersales.repairs.models import ExpressReturn
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus
TRACKING = "1Z999AA10123456784"


@pytest.fixture
def express_case(case):
    """Alice's case, submitted with Express: the fee is due, the case waits for it."""
    case.express_requested = True
    case.express_serial_number = case.serial_number
    case.save(update_fields=["express_requested", "express_serial_number"])
    express.express_fee_request(case=case)
    return case


def pay(case, agent):
    fee = case.payments.get(purpose=PaymentPurpose.EXPRESS_FEE)
    return services.payment_record(
        case=case, payment=fee, by=agent, method=PaymentMethod.COUNTER, reference="C1"
    )


def shipped(case, agent, reception, spare):
    pay(case, agent)
    services.case_express_ship(
        case=case,
        by=reception,
        new_serial_number=spare.serial_number,
        tracking_number=TRACKING,
    )
    case.refresh_from_db()
    return case


def test_the_express_fee_is_the_plans_fee_and_the_express_fee_due_before_anything(
    express_case, agent
):
    fee = express_case.payments.get()
    # The plan's first replacement (109 EUR) + the Express fee (49 EUR), as express_terms says.
    assert (fee.purpose, fee.amount, fee.currency) == ("express_fee", Decimal("158.00"), "EUR")
    assert express_case.status == S.AWAITING_PAYMENT
    # The confirmation says to pay: the move itself e-mails nothing.
    assert not express_case.events.filter(status=S.AWAITING_PAYMENT, customer_visible=True)

    pay(express_case, agent)
    pay(express_case, agent)  # confirmed twice, recorded once
    express_case.refresh_from_db()
    assert express_case.status == S.REPLACING
    assert express_case.payments.get().paid_at is not None
    assert express_case.events.filter(status=S.REPLACING).count() == 1


def test_the_replacement_ships_ahead_and_the_plan_moves_to_it_at_shipping(
    express_case, agent, reception, spare, unit, plan, customer, django_capture_on_commit_callbacks
):
    assert not hasattr(express_case, "reception")
    with django_capture_on_commit_callbacks(execute=True):
        case = shipped(express_case, agent, reception, spare)
    assert case.status == S.EXPRESS_SHIPPED
    plan = Plan.objects.select_related("device").get(pk=plan.pk)
    assert plan.device.serial_number == spare.serial_number
    assert Device.objects.get(pk=spare.pk).owner == customer
    assert Device.objects.get(pk=unit.pk).owner is None
    assert case.return_shipment.tracking_number
    owed = ExpressReturn.objects.get(request=case)
    assert owed.serial_number == unit.serial_number
    shipped_day = timezone.localtime(owed.shipped_at, express._zone(case)).date()
    assert express.due_date(owed) == shipped_day + timedelta(days=14)
    # One step, one e-mail: the new unit, the tracking number, the date to send the unit back.
    move = case.events.get(status=S.EXPRESS_SHIPPED)
    assert spare.serial_number in move.note and "case form" not in move.note  # in French
    assert "formulaire" in move.note
    assert any(case.return_shipment.tracking_number in m.body for m in mail.outbox)


def test_the_express_moves_are_guarded_in_the_table(case, express_case, agent, reception, spare):
    # Not before the fee is paid.
    with pytest.raises(CaseWorkError):
        services.case_express_ship(
            case=express_case, by=reception, new_serial_number=spare.serial_number
        )
    pay(express_case, agent)
    # No final checks for Express: it ships ahead of the damaged unit.
    with pytest.raises(CaseWorkError):
        case_transition(case=express_case, to=S.QUALITY_CHECK, by=agent)
    # Not without the new unit and the tracking number.
    with pytest.raises(CaseWorkError) as refused:
        case_transition(case=express_case, to=S.EXPRESS_SHIPPED, by=reception)
    assert refused.value.code == "transition_guard"
    # A technician may not ship.
    with pytest.raises(CaseWorkError):
        services.case_express_ship(
            case=express_case, by=agent, new_serial_number=spare.serial_number
        )


def test_a_case_without_express_never_ships_ahead(case, reception, technician, agent, spare):
    walk_to(case, S.REPLACING, reception=reception, technician=technician, agent=agent)
    with pytest.raises(CaseWorkError):
        services.case_express_ship(case=case, by=reception, new_serial_number=spare.serial_number)
    with pytest.raises(CaseWorkError):
        case_transition(case=case, to=S.EXPRESS_SHIPPED, by=reception)


def test_the_damaged_unit_back_whole_closes_the_case(express_case, agent, reception, spare, unit):
    case = shipped(express_case, agent, reception, spare)
    services.case_receive(
        case=case,
        by=reception,
        contents=ReceivedContents.COMPLETE_SET,
        serial_number_read=unit.serial_number,
        battery_included=True,
        expected_status=S.EXPRESS_SHIPPED,
    )
    case.refresh_from_db()
    assert case.status == S.CLOSED
    assert case.reception.battery_included is True
    assert not case.express_return.flag_open


@pytest.mark.parametrize(
    ("serial_read", "battery_back", "flags"),
    [
        ("OTHERSERIAL01", True, [ExpressFlag.OTHER_SERIAL]),
        (None, False, [ExpressFlag.NO_BATTERY]),
        ("OTHERSERIAL01", False, [ExpressFlag.OTHER_SERIAL, ExpressFlag.NO_BATTERY]),
    ],
)
def test_another_serial_or_no_battery_flags_the_case_for_an_agent(
    express_case, agent, reception, spare, unit, client, serial_read, battery_back, flags
):
    case = shipped(express_case, agent, reception, spare)
    services.case_receive(
        case=case,
        by=reception,
        contents=ReceivedContents.COMPLETE_SET,
        serial_number_read=serial_read or unit.serial_number,
        battery_included=battery_back,
        expected_status=S.EXPRESS_SHIPPED,
    )
    case.refresh_from_db()
    assert case.status == S.EXPRESS_RETURNED
    assert case.express_return.flags == flags and case.express_return.flag_open
    with pytest.raises(CaseWorkError):
        services.case_close(case=case, by=agent, expected_status=S.EXPRESS_RETURNED)

    client.force_login(agent)
    queue = client.get(reverse("workshop:queue", args=["express-flagged"]))
    assert case.case_number in queue.text
    page = client.get(reverse("workshop:case", args=[case.case_number]))
    assert 'id="flag-express"' in page.text and 'id="action-express-charge"' in page.text

    response = client.post(
        reverse("workshop:action", args=[case.case_number, "express-charge"]),
        {"expected_status": case.status, "amount": "120,00", "note": "Price list."},
    )
    assert response.status_code == 302
    charge = case.payments.get(purpose=PaymentPurpose.EXPRESS_CHARGE)
    assert charge.amount == Decimal("120.00") and charge.paid_at is None
    assert charge.transfer_reference.replace(" ", "").endswith("D")
    case.express_return.refresh_from_db()
    assert case.express_return.resolution == ExpressResolution.CHARGED
    assert (
        case.case_number not in client.get(reverse("workshop:queue", args=["express-flagged"])).text
    )
    services.case_close(case=case, by=agent, expected_status=S.EXPRESS_RETURNED)
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_the_customer_is_reminded_once_before_the_deadline_and_flagged_once_after_it(
    express_case, agent, reception, spare, django_capture_on_commit_callbacks
):
    case = shipped(express_case, agent, reception, spare)
    owed = case.express_return
    mail.outbox.clear()
    assert express.express_returns_check(now=owed.due_by - timedelta(days=5)) == {
        "reminded": 0,
        "flagged": 0,
    }
    reminder_time = owed.due_by - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert express.express_returns_check(now=reminder_time)["reminded"] == 1
        assert express.express_returns_check(now=reminder_time)["reminded"] == 0
    assert len(mail.outbox) == 1
    assert "Rappel" in mail.outbox[0].body  # in the customer's language
    case.refresh_from_db()
    assert case.status == S.EXPRESS_SHIPPED and not case.express_return.flag_open

    after = owed.due_by + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert express.express_returns_check(now=after)["flagged"] == 1
        assert express.express_returns_check(now=after)["flagged"] == 0
    assert len(mail.outbox) == 2
    case.refresh_from_db()
    assert case.express_return.flags == [ExpressFlag.NOT_RETURNED]
    assert case.status == S.EXPRESS_SHIPPED


def test_an_agent_clears_a_flag_with_a_note_and_closes(
    express_case, agent, reception, spare, client
):
    case = shipped(express_case, agent, reception, spare)
    express.express_returns_check(now=case.express_return.due_by + timedelta(hours=1))
    with pytest.raises(CaseWorkError):
        services.express_clear(case=case, by=agent, note="")
    services.express_clear(case=case, by=agent, note="Lost by the carrier: compensated.")
    case.refresh_from_db()
    assert case.express_return.resolution == ExpressResolution.CLEARED
    services.case_close(case=case, by=agent, expected_status=S.EXPRESS_SHIPPED)
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_only_agents_charge_and_only_the_owner_reads_the_case(
    express_case, agent, reception, spare, technician, client, customer, other_customer
):
    case = shipped(express_case, agent, reception, spare)
    express.express_returns_check(now=case.express_return.due_by + timedelta(hours=1))
    client.force_login(technician)
    url = reverse("workshop:action", args=[case.case_number, "express-charge"])
    assert client.post(url, {"expected_status": case.status, "amount": "10"}).status_code == 403
    with pytest.raises(CaseWorkError):
        services.express_charge(case=case, by=reception, amount=Decimal("10"))

    client.force_login(other_customer)
    assert client.get(case.get_absolute_url()).status_code == 404
    client.force_login(customer)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert 'id="express-flag"' in page.text and 'id="tracking"' in page.text


def test_the_customer_page_says_what_happens_next_at_each_step(
    express_case, agent, reception, spare, client, customer
):
    client.force_login(customer)
    page = client.get(express_case.get_absolute_url())
    # In Alice's language (French).
    assert "Payez le montant Express ci-dessous" in page.text
    assert "158,00 EUR" in page.text and 'class="transfer-reference' in page.text
    assert 'id="cancel-case"' in page.text  # not paid yet: may still withdraw

    case = shipped(express_case, agent, reception, spare)
    page = client.get(case.get_absolute_url())
    assert 'id="express-deadline"' in page.text and "Renvoyez votre appareil" in page.text
    assert case.return_shipment.tracking_number in page.text
    assert 'id="cancel-case"' not in page.text


def test_the_confirmation_e_mail_says_to_pay_first_in_the_customers_language(express_case):
    from aftersales.repairs.tasks import send_case_confirmation

    mail.outbox.clear()
    send_case_confirmation.enqueue(request_id=express_case.pk)
    [confirmation] = mail.outbox
    assert "À payer maintenant : 158,00" in confirmation.body
    assert "N'envoyez pas votre appareil endommagé" in confirmation.body


def test_the_customer_may_withdraw_until_the_express_fee_is_paid(express_case, customer, client):
    client.force_login(customer)
    url = reverse("repairs:case_cancel", args=[express_case.case_number])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    express_case.refresh_from_db()
    assert express_case.status == S.CANCELLED


def test_a_paid_express_case_can_no_longer_be_withdrawn(express_case, agent):
    pay(express_case, agent)
    with pytest.raises(CaseWorkError):
        case_transition(case=express_case, to=S.CANCELLED, by=express_case.user)
