"""Two submissions of the same draft at the same moment (a double click that reaches two
workers) make one case: the row lock in `case_submit` makes the second wait and then find the
case. Row locks need PostgreSQL; SQLite serialises every write transaction anyway."""

from __future__ import annotations

from aftersales.core.tests.race import POSTGRESQL_ONLY, race
from aftersales.repairs import services
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CaseEvent, RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = POSTGRESQL_ONLY


def test_two_submissions_at_once_make_one_case(customer, mine, paris, europe, repair_centre):
    draft = answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )

    def submit() -> str:
        return services.case_submit(
            repair_request=RepairRequest.objects.get(pk=draft.pk),
            user=customer,
            terms_accepted=True,
        ).case_number

    numbers = race(submit, submit).results

    assert len(numbers) == 2 and numbers[0] == numbers[1]
    assert RepairRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == 1
    assert CaseEvent.objects.filter(request=draft, status=RequestStatus.SUBMITTED).count() == 1
