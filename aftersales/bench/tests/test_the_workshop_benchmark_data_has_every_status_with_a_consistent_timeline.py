"""Issue 8, "Speed": `make bench` measures the workshop's pages on cases in every status. The
generator (`bench/workshop_data.py`) is run small here, on both databases: every status, each
timeline made of moves the table allows up to the case's status, with the records their guards
ask for; plan replacements that moved the plan; staff logged in by their sessions; a manifest
that names what it says; and the same cases from the same seed."""

from __future__ import annotations

import collections
import itertools
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.bench import workshop_data
from aftersales.catalog.demo import load_catalog_demo
from aftersales.devices.models import Device
from aftersales.plans.choices import BindingChannel, PlanEventKind, UnbindReason
from aftersales.plans.demo import load_plans_demo
from aftersales.plans.models import Offering, Plan, PlanDevice
from aftersales.plans.services import plan_bind
from aftersales.repairs import lifecycle, sla
from aftersales.repairs.choices import ActorKind, EventKind, RequestStatus
from aftersales.repairs.models import RepairRequest

pytestmark = pytest.mark.django_db

S = RequestStatus
CASES = 200


@pytest.fixture
def units(db):
    """The catalogue and plans of the demo, and units as `bench_data` leaves them: in no
    account; some in their warranty's first year, some older, some under a plan for months."""
    models = load_catalog_demo(collections.defaultdict(int))
    load_plans_demo()
    now = timezone.now()
    serial = itertools.count()

    def unit(model: str, days: int) -> Device:
        return Device.objects.create(
            serial_number=f"BT{next(serial):012d}",
            model=models[model],
            purchase_country="FR",
            activated_at=now - timedelta(days=days),
        )

    for n in range(100):
        unit(("spark", "phantom-4-pro", "mavic-mini")[n % 3], 200)
    for n in range(150):
        unit(("inspire-2", "phantom-3-se", "spark")[n % 3], 600)
    for n in range(110):
        model = "mavic-2-pro" if n < 25 else ("spark", "mavic-mini", "phantom-4-pro")[n % 3]
        device = unit(model, 150)
        plan_bind(
            serial_number=device.serial_number,
            offering=Offering.objects.get(product_models=device.model),
            purchase_country="FR",
            purchased_at=device.activated_at,
            channel=BindingChannel.STORE_WITH_DEVICE,
        )


@pytest.fixture
def manifest(units):
    return workshop_data.bench_workshop_load(cases=CASES, customers=40)


def bench_cases():
    return RepairRequest.objects.filter(user__email__startswith="bench-owner-")


def test_every_status_has_its_cases_each_timeline_made_of_allowed_moves_whose_guards_hold(
    manifest,
):
    counts = workshop_data.status_counts(CASES)
    assert set(counts) == set(S.values) - {S.DRAFT}
    for status, count in counts.items():
        assert bench_cases().filter(status=status).count() == count, status
    assert manifest["statuses"] == counts
    now = timezone.now()
    for case in (
        bench_cases().select_related("repair_centre").prefetch_related("events", "sla_clocks")
    ):
        moves = [e for e in case.events.all() if e.kind == EventKind.STATUS]
        assert (moves[0].from_status, moves[0].status) == (S.DRAFT, S.SUBMITTED)
        assert moves[0].actor_kind == ActorKind.CUSTOMER and moves[0].actor_id == case.user_id
        for before, after in itertools.pairwise(moves):
            assert after.from_status == before.status, case
            assert after.occurred_at >= before.occurred_at
            move = lifecycle._move_for(after.from_status, after.status)
            assert move is not None, (case, after.from_status, after.status)
            if move.guard is None:
                continue
            if move.guard is lifecycle._has_open_quote and case.status != S.QUOTED:
                continue  # the quote has been answered since
            # The records a guard asks for were written, and are still there.
            assert move.guard(case) is None, (case, after.from_status, after.status)
            if after.actor_kind == ActorKind.STAFF:
                assert lifecycle.may(after.actor, case, move), after
        assert moves[-1].status == case.status
        assert case.status_changed_at == moves[-1].occurred_at
        assert case.submitted_at == moves[0].occurred_at and case.case_number
        # The coverage decision, as declared, is the case's own.
        assert case.coverage["serial_number"] == case.serial_number
        assert (case.coverage["plan_id"] is not None) == (case.plan_id is not None)
        if case.status == S.ON_HOLD:
            assert case.hold_reason and case.held_from_status == moves[-1].from_status
            assert moves[-1].hold_reason == case.hold_reason
        # The service level clocks are what the timeline gives (`repairs.sla`), as a move keeps
        # them: the running clock's due time on the case, every clock as a row.
        clocks = sla.case_clocks(case, events=moves, now=now)
        running = sla.current_clock(clocks)
        assert case.sla_due_at == (running.due_at if running else None), case
        assert sorted(c.stage for c in case.sla_clocks.all()) == sorted(c.stage.key for c in clocks)
        if case.status in (S.SHIPPED, S.CLOSED):
            assert case.return_shipment.tracking_number
        if case.status == S.AWAITING_PAYMENT:
            assert case.payments.filter(paid_at__isnull=True).exists()

    # A plan replacement moved the plan, and the customer's account, to the new unit.
    replaced = bench_cases().filter(replacements__isnull=False)
    assert replaced.exists()
    for case in replaced:
        replacement = case.replacements.get()
        plan = Plan.objects.select_related("device").get(pk=case.plan_id)
        assert plan.device.serial_number == replacement.new_serial_number
        assert plan.device.owner_id == case.user_id
        assert plan.replacements_used == replacement.replacement_number
        old = Device.objects.get(serial_number=replacement.old_serial_number)
        assert old.owner_id is None
        assert PlanDevice.objects.get(device=old).unbind_reason == UnbindReason.REPLACED
        assert PlanDevice.objects.get(plan=plan, unbound_at__isnull=True).device == plan.device
        granted = plan.events.get(kind=PlanEventKind.REPLACEMENT_GRANTED)
        assert granted.case_number == case.case_number
        assert (
            replacement.new_serial_number in manifest["serials"]
            or len(manifest["serials"]) < bench_cases().count()
        )
        assert replacement.old_serial_number in manifest["former_serials"]


def test_the_manifest_logs_the_staff_in_and_names_cases_in_the_status_each_use_needs(
    manifest, client
):
    roles = {"reception", "technician", "agent", "analyst", "administrator"}
    assert set(manifest["staff"]) == roles
    for role, login in manifest["staff"].items():
        user = User.objects.get(email=login["email"])
        assert user.is_staff and user.groups.filter(name=role).exists()
        assert SessionStore(session_key=login["session"]).get("_auth_user_id") == str(user.pk)
        client.cookies[settings.SESSION_COOKIE_NAME] = login["session"]
        response = client.get("/")
        assert response.wsgi_request.user == user
        assert len(login["csrf"]) == 32

    numbers = dict(bench_cases().values_list("case_number", "status"))
    assert manifest["scan"] and {numbers[n] for n in manifest["scan"]} == {S.SUBMITTED}
    assert sorted(manifest["received"]) == sorted(
        n for n, status in numbers.items() if status == S.RECEIVED
    )
    assert set(manifest["open"]) <= set(numbers)
    emails = set(bench_cases().values_list("user__email", flat=True))
    assert manifest["emails"] and set(manifest["emails"]) <= emails
    current = set(bench_cases().values_list("device__serial_number", flat=True)) | set(
        Plan.objects.filter(repair_requests__in=bench_cases()).values_list(
            "device__serial_number", flat=True
        )
    )
    assert set(manifest["serials"]) <= current
    with pytest.raises(ValueError, match="already loaded"):
        workshop_data.bench_workshop_load(cases=CASES, customers=40)


def test_the_same_units_and_seed_give_the_same_cases(units):
    now = timezone.now()
    pools = workshop_data.pools_read(now=now, needed=CASES)
    first = workshop_data.cases_plan(total=CASES, customers=40, pools=pools, now=now)
    again = workshop_data.cases_plan(total=CASES, customers=40, pools=pools, now=now)
    assert first == again
    numbers = [workshop_data.case_number_of(c.index) for c in first]
    assert len(set(numbers)) == CASES
