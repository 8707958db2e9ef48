from __future__ import annotations

import pytest

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.services import case_status_change
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory


def test_a_new_status_is_saved_with_a_history_row_naming_who_changed_it(customer, technician):
    case = SubmittedCaseFactory(user=customer)

    changed = case_status_change(case=case, status=RequestStatus.RECEIVED, by=technician)

    assert changed
    case.refresh_from_db()
    assert case.status == RequestStatus.RECEIVED
    event = CaseEvent.objects.filter(request=case).latest("occurred_at")
    assert event.status == RequestStatus.RECEIVED
    assert "technician@example.com" in event.note


def test_the_same_status_again_writes_nothing(customer, technician):
    case = SubmittedCaseFactory(user=customer)
    case_status_change(case=case, status=RequestStatus.RECEIVED, by=technician)
    events = CaseEvent.objects.filter(request=case).count()

    assert not case_status_change(case=case, status=RequestStatus.RECEIVED, by=technician)
    assert CaseEvent.objects.filter(request=case).count() == events


def test_a_draft_has_no_status_to_change(customer):
    draft = RepairRequestFactory(user=customer)

    with pytest.raises(ValueError):
        case_status_change(case=draft, status=RequestStatus.RECEIVED)
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
