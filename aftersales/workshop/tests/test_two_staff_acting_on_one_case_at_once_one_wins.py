"""Two members of staff act on one case at the same moment, through the real pages (parallel
requests, each with its own database connection): one wins, the other is told the case has
changed meanwhile, with what they typed kept, and nothing is half-saved. Row locks need
PostgreSQL; SQLite serialises every write transaction anyway."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.core.tests.race import POSTGRESQL_ONLY, race
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CaseEvent, Reception, RepairRequest
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = POSTGRESQL_ONLY


S = RequestStatus


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict[str, Any]):
    def send():
        return client.post(url, data)

    return send


def moves_to(case: RepairRequest, status: str) -> int:
    return CaseEvent.objects.filter(request=case, kind="status", status=status).count()


def test_two_receptions_of_one_parcel_register_it_once(case, reception, administrator):
    url = reverse("workshop:receive", args=[case.case_number])
    first = {
        "expected_status": S.SUBMITTED,
        "serial_number_read": "163CAAA1",
        "contents": "component",
    }
    second = {
        "expected_status": S.SUBMITTED,
        "serial_number_read": "163CBBB2",
        "contents": "complete_set",
        "note": "Lid torn.",
    }

    responses = race(
        post(client_of(reception), url, first), post(client_of(administrator), url, second)
    ).results

    assert sorted(response.status_code for response in responses) == [302, 409]
    loser = next(response for response in responses if response.status_code == 409)
    assert "This case has changed meanwhile" in loser.text
    assert Reception.objects.filter(request=case).count() == 1
    won = Reception.objects.get(request=case).serial_number_read
    lost = next(data for data in (first, second) if data["serial_number_read"] != won)
    # What the loser typed is still in the form, beside the case as it is now.
    form = loser.text.split('id="action-receive"')[1]
    assert f'value="{lost["serial_number_read"]}"' in form
    assert moves_to(case, S.RECEIVED) == 1
    assert RepairRequest.objects.get(pk=case.pk).status == S.RECEIVED


def test_a_check_passed_and_a_hold_at_once_one_of_them_happens(case, people, spare, agent):
    walk_to(case, S.REPLACING, **people)
    from aftersales.workshop import services

    services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number
    )
    services.case_replacement_done(case=case, by=people["technician"])
    assert case.status == S.QUALITY_CHECK
    events_before = CaseEvent.objects.filter(request=case).count()

    check = post(
        client_of(people["technician"]),
        reverse("workshop:action", args=[case.case_number, "quality-check"]),
        {"expected_status": S.QUALITY_CHECK, "result": "passed", "note": ""},
    )
    hold = post(
        client_of(agent),
        reverse("workshop:action", args=[case.case_number, "hold"]),
        {"expected_status": S.QUALITY_CHECK, "reason": "customer", "note": "Customer called."},
    )
    responses = race(check, hold).results

    assert sorted(response.status_code for response in responses) == [302, 409]
    status = RepairRequest.objects.get(pk=case.pk).status
    assert status in (S.READY_TO_SHIP, S.ON_HOLD)
    assert moves_to(case, S.READY_TO_SHIP) + moves_to(case, S.ON_HOLD) == 1
    # One move, and the winner's note if it had one: nothing of the loser's.
    added = CaseEvent.objects.filter(request=case).count() - events_before
    assert added == (1 if status == S.READY_TO_SHIP else 2)
    loser = next(response for response in responses if response.status_code == 409)
    assert "This case has changed meanwhile" in loser.text


def test_two_technicians_starting_the_evaluation_start_it_once(case, people, administrator):
    walk_to(case, S.RECEIVED, **people)
    url = reverse("workshop:action", args=[case.case_number, "evaluation-start"])
    data = {"expected_status": S.RECEIVED}
    responses = race(
        post(client_of(people["technician"]), url, data), post(client_of(administrator), url, data)
    ).results
    assert sorted(response.status_code for response in responses) == [302, 409]
    assert moves_to(case, S.EVALUATING) == 1
