"""Two submissions of the same draft at the same moment (a double click that reaches two
workers) make one case: the row lock in `case_submit` makes the second wait and then find the
case. Row locks need PostgreSQL; SQLite serialises every write transaction anyway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from aftersales.repairs import services
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CaseEvent, RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) are only tested on PostgreSQL; "
        "run with DATABASE_URL=postgres://…",
    ),
]


def test_two_submissions_at_once_make_one_case(customer, mine, paris, europe, repair_centre):
    draft = answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait()
            case = services.case_submit(
                repair_request=RepairRequest.objects.get(pk=draft.pk),
                user=customer,
                terms_accepted=True,
            )
            with lock:
                numbers.append(case.case_number)
        except BaseException as error:  # reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(numbers) == 2 and numbers[0] == numbers[1]
    assert RepairRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == 1
    assert CaseEvent.objects.filter(request=draft, status=RequestStatus.SUBMITTED).count() == 1
