"""Issue 8, item 6: `make run` loads cases in every status, made through the real services (a
timeline that follows the table of moves, the records each status implies), among them the ones
the README tells each person to try; and the staff logins can do their role's work."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command

from aftersales.accounts.models import User
from aftersales.demo.loader import load_demo
from aftersales.devices.models import Device
from aftersales.plans.choices import PlanEventKind
from aftersales.plans.selectors import plan_for_serial
from aftersales.repairs import lifecycle
from aftersales.repairs.choices import (
    ActorKind,
    EventKind,
    HoldReason,
    Liability,
    PaymentPurpose,
    QuoteOption,
    ReplacementKind,
    RequestStatus,
)
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.services import quote_answer

pytestmark = pytest.mark.django_db

S = RequestStatus


def case_of(serial_number: str) -> RepairRequest:
    return RepairRequest.objects.exclude(status=S.DRAFT).get(serial_number=serial_number)


def test_there_is_a_case_in_every_status_but_draft_and_load_demo_prints_each():
    out = StringIO()
    call_command("load_demo", stdout=out)
    statuses = set(RepairRequest.objects.exclude(status=S.DRAFT).values_list("status", flat=True))
    # Express's replacement shipped ahead and the damaged unit back are left for the visitor
    # to reach from the Express case (try it).
    assert statuses == set(S.values) - {S.DRAFT, S.EXPRESS_SHIPPED, S.EXPRESS_RETURNED}
    for case in RepairRequest.objects.exclude(status=S.DRAFT):
        assert f"{case.case_number}  {case.status} " in out.getvalue()


def test_each_timeline_follows_the_table_of_moves_up_to_the_case_status():
    load_demo()
    for case in RepairRequest.objects.exclude(status=S.DRAFT):
        moves = list(case.events.filter(kind=EventKind.STATUS).order_by("occurred_at", "id"))
        assert (moves[0].from_status, moves[0].status) == (S.DRAFT, S.SUBMITTED)
        assert moves[0].actor_kind == ActorKind.CUSTOMER
        for before, after in itertools.pairwise(moves):
            assert after.from_status == before.status, case
            # Each move is one the table allows from where the case was.
            allowed = {move.target for move in lifecycle.moves_from(after.from_status)}
            assert after.status in allowed or (
                after.from_status == S.ON_HOLD and lifecycle.RESUME in allowed
            ), (case, after.from_status, after.status)
        assert moves[-1].status == case.status
        assert case.status_changed_at == moves[-1].occurred_at
        # What each status implies was recorded on the way.
        if case.status not in (S.SUBMITTED, S.CANCELLED) and not case.express_requested:
            assert hasattr(case, "reception"), case
        if case.status in (S.SHIPPED, S.CLOSED, S.EXPRESS_SHIPPED):
            assert case.return_shipment.tracking_number


def test_the_french_customer_can_answer_the_quote_of_her_accident_under_a_plan():
    load_demo()
    case = case_of("2N4MFR0DEMO002")
    client = User.objects.get(email="client@example.com")
    assert case.user == client and client.preferred_language == "fr" and case.language == "fr"
    assert case.status == S.QUOTED and case.plan is not None
    evaluation = case.evaluations.get()
    assert evaluation.liability == Liability.USER
    assert evaluation.coverage["outcome"] == "plan_replacement"
    quote = case.quotes.get()
    options = {item["option"] for item in quote.options}
    assert options == {QuoteOption.PLAN_REPLACEMENT, QuoteOption.REPAIR, QuoteOption.REFUSE}
    # She can answer it in the demo: it is current and still valid.
    quote_answer(case=case, quote_id=quote.pk, option=QuoteOption.PLAN_REPLACEMENT, by=client)
    assert case.status == S.AWAITING_PAYMENT


def test_the_closed_plan_replacement_moved_the_plan_and_my_products_to_the_new_unit():
    load_demo()
    case = case_of("0AXCFR0DEMO004")
    assert case.status == S.CLOSED and case.user.email == "client@example.com"
    replacement = case.replacements.get()
    assert replacement.kind == ReplacementKind.UNIT
    assert replacement.new_serial_number == "0AXCNL0SPARE01"
    plan = plan_for_serial("0AXCNL0SPARE01")
    assert plan is not None and plan.pk == case.plan_id
    assert plan.replacements_left == 1
    assert plan_for_serial("0AXCFR0DEMO004") is None
    granted = plan.events.get(kind=PlanEventKind.REPLACEMENT_GRANTED)
    assert granted.case_number == case.case_number
    mine = set(Device.objects.filter(owner=case.user).values_list("serial_number", flat=True))
    assert "0AXCNL0SPARE01" in mine and "0AXCFR0DEMO004" not in mine


def test_the_other_cases_the_readme_names_are_where_it_says():
    load_demo()
    warranty = case_of("07DDGB0DEMO001")
    assert warranty.status == S.REPAIRING
    assert warranty.evaluations.get().coverage["outcome"] == "warranty"
    assert not warranty.quotes.exists()

    express = case_of("0K2ZGB0DEMO002")
    # Seed 001: the Express amount paid, the replacement to ship ahead; no evaluation.
    assert express.express_requested and express.status == S.REPLACING
    assert express.payments.get().purpose == PaymentPurpose.EXPRESS_FEE
    assert not express.evaluations.exists() and not express.quotes.exists()

    refused = case_of("0AXCFR0DEMO011")
    assert refused.status == S.RETURNING_UNREPAIRED
    assert refused.quotes.get().answer.option == QuoteOption.REFUSE
    fee = refused.payments.get()
    assert fee.purpose == PaymentPurpose.EVALUATION_FEE and not fee.is_paid

    held = case_of("095XNL0DEMO023")
    assert held.status == S.ON_HOLD and held.hold_reason == HoldReason.WAITING_FOR_PARTS
    assert held.held_from_status == S.REPAIRING

    awaiting_payment = case_of("07DDFR0DEMO012")
    assert awaiting_payment.payments.get(paid_at__isnull=True).purpose == PaymentPurpose.REPAIR

    ready = case_of("163CNL0DEMO021")
    assert ready.status == S.READY_TO_SHIP
    assert ready.replacements.get().kind == ReplacementKind.COMPONENT

    shipped = case_of("0AUDNL0DEMO022")
    assert shipped.status == S.SHIPPED and shipped.return_shipment.carrier == "UPS"

    # Reception scans a case that waits for its parcel, and the parcel's unit is known.
    waiting = case_of("OTPKFR0DEMO003")
    assert waiting.status == S.SUBMITTED and waiting.case_number


@pytest.mark.parametrize(
    ("email", "may", "may_not"),
    [
        (
            "reception@example.com",
            {lifecycle.RECEIVE, lifecycle.SHIP, lifecycle.HOLD},
            {lifecycle.EVALUATE, lifecycle.PAY},
        ),
        (
            "technician@example.com",
            {lifecycle.EVALUATE, lifecycle.QUOTE, lifecycle.REPAIR, lifecycle.REPLACE},
            {lifecycle.RECEIVE, lifecycle.PAY, lifecycle.SHIP},
        ),
        (
            "agent@example.com",
            {lifecycle.PAY, lifecycle.CANCEL, lifecycle.CLOSE, lifecycle.QUOTE},
            {lifecycle.RECEIVE, lifecycle.EVALUATE, lifecycle.SHIP},
        ),
        ("analyst@example.com", {lifecycle.ANNOTATE}, {lifecycle.RECEIVE, lifecycle.PAY}),
        (
            "admin@example.com",
            {lifecycle.RECEIVE, lifecycle.EVALUATE, lifecycle.PAY, lifecycle.SHIP},
            set(),
        ),
    ],
)
def test_each_staff_login_may_do_its_roles_work_and_no_more(email, may, may_not):
    load_demo()
    user = User.objects.get(email=email)
    assert user.is_staff and user.check_password("demo-password-2026")
    for permission in may:
        assert lifecycle.staff_may(user, permission), permission
    for permission in may_not:
        assert not lifecycle.staff_may(user, permission), permission
    customer = User.objects.get(email="client@example.com")
    assert not customer.is_staff and not lifecycle.staff_may(customer, lifecycle.ANNOTATE)
