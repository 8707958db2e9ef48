"""Two requests at the same moment: the last replacement and an activation code go to exactly
one of them. Row locks (`select_for_update`) do this, so the tests need PostgreSQL; SQLite
serialises every write transaction anyway and has no row locks to test."""

from __future__ import annotations

from collections.abc import Callable

from aftersales.core.tests.race import POSTGRESQL_ONLY
from aftersales.core.tests.race import race as core_race
from aftersales.devices.tests.factories import DeviceFactory
from aftersales.plans.errors import PlanRuleError
from aftersales.plans.models import Plan
from aftersales.plans.services import (
    activation_codes_generate,
    plan_activate_with_code,
    replacement_grant,
)

from .conftest import at

pytestmark = POSTGRESQL_ONLY


def race(*calls: Callable[[], object]) -> tuple[list[object], list[PlanRuleError]]:
    outcome = core_race(*calls, refusals=(PlanRuleError,))
    return outcome.results, outcome.refusals  # type: ignore[return-value]


def test_two_grants_for_the_last_replacement_give_it_to_exactly_one(plan, mavic_2_pro):
    replacement_grant(
        plan=plan,
        new_serial_number=DeviceFactory(model=mavic_2_pro).serial_number,
        reason="",
        at=at(2026, 3, 1, 9),
    )
    spares = [DeviceFactory(model=mavic_2_pro).serial_number for _ in range(2)]

    results, refusals = race(
        *[
            lambda serial=serial: replacement_grant(
                plan=plan, new_serial_number=serial, reason="", at=at(2026, 4, 1, 9)
            )
            for serial in spares
        ]
    )

    assert len(results) == 1
    assert [error.code for error in refusals] == ["no_replacements_left"]
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.replacements_used == 2
    assert plan.replacements_left == 0
    assert plan.events.replacements().count() == 2


def test_one_code_redeemed_twice_at_once_binds_one_plan(offering, mavic_2_pro):
    code = activation_codes_generate(offering=offering, country="FR", quantity=1).codes.get()
    devices = [DeviceFactory(model=mavic_2_pro).serial_number for _ in range(2)]

    results, refusals = race(
        *[
            lambda serial=serial: plan_activate_with_code(code=code.code, serial_number=serial)
            for serial in devices
        ]
    )

    assert len(results) == 1
    assert [error.code for error in refusals] == ["code_used"]
    assert Plan.objects.filter(activation_code=code).count() == 1
