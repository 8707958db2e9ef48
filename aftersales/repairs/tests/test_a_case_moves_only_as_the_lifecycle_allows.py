"""Issue 8, item 1: one table of moves (`lifecycle.MOVES`), one service (`case_transition`) that
locks the case, refuses what the table, the mover's permissions or a guard refuse with a
translated message, writes the timeline, and e-mails the customer a visible move once it
commits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from aftersales.repairs import lifecycle
from aftersales.repairs.choices import ActorKind, HoldReason, RequestStatus
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.lifecycle import MOVES, RESUME, case_transition
from aftersales.repairs.models import CaseEvent, Reception
from aftersales.repairs.tests.factories import SubmittedCaseFactory

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def case(customer):
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])
    return SubmittedCaseFactory(user=customer, language="fr")


def receive(case, reception):
    Reception.objects.create(
        request=case,
        received_at=case.submitted_at,
        received_by=reception,
        contents="complete_set",
        serial_number_read=case.serial_number,
    )
    return case_transition(case=case, to=S.RECEIVED, by=reception)


def test_every_status_but_the_draft_is_reachable_and_no_move_leads_back_to_a_draft():
    targets = {move.target for move in MOVES}
    assert S.DRAFT not in targets
    assert all(S.DRAFT not in move.sources for move in MOVES)
    reachable = targets - {RESUME}
    assert reachable | {S.SUBMITTED, S.DRAFT} == set(S.values)


def test_a_move_the_table_does_not_have_is_refused_and_changes_nothing(case, administrator):
    with pytest.raises(CaseWorkError) as refused:
        case_transition(case=case, to=S.SHIPPED, by=administrator)
    assert refused.value.code == "transition_not_allowed"
    with translation.override("fr"):
        assert "ne peut pas devenir" in CaseWorkError.message_for(
            "transition_not_allowed", {"current": "a", "target": "b"}
        )
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    assert not CaseEvent.objects.filter(request=case, status=S.SHIPPED).exists()


def test_a_role_without_the_permission_cannot_make_the_move(case, technician, reception):
    with pytest.raises(CaseWorkError) as refused:
        receive(case, technician)
    assert refused.value.code == "transition_not_permitted"
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_a_guard_refuses_a_move_whose_record_is_missing(case, reception):
    with pytest.raises(CaseWorkError) as refused:
        case_transition(case=case, to=S.RECEIVED, by=reception)
    assert refused.value.code == "transition_guard"
    assert "parcel" in refused.value.message


def test_a_customer_moves_only_their_own_moves(case, customer, other_customer):
    with pytest.raises(CaseWorkError):
        case_transition(case=case, to=S.RECEIVED, by=customer)
    case_transition(case=case, to=S.CANCELLED, by=customer)
    case.refresh_from_db()
    assert case.status == S.CANCELLED
    event = case.events.get(status=S.CANCELLED)
    assert event.actor_kind == ActorKind.CUSTOMER and event.actor == customer


def test_once_the_parcel_is_in_the_customer_can_no_longer_cancel(case, customer, reception):
    receive(case, reception)
    with pytest.raises(CaseWorkError) as refused:
        case_transition(case=case, to=S.CANCELLED, by=customer)
    assert refused.value.code == "transition_not_allowed"


def test_the_timeline_event_says_from_to_who_when_and_whether_the_customer_sees_it(case, reception):
    event = receive(case, reception)
    assert (event.from_status, event.status) == (S.SUBMITTED, S.RECEIVED)
    assert event.actor == reception and event.actor_kind == ActorKind.STAFF
    assert event.customer_visible
    assert event.occurred_at is not None
    case.refresh_from_db()
    assert case.status == S.RECEIVED and case.status_changed_at == event.occurred_at


def test_a_visible_move_e_mails_the_customer_once_in_their_language_after_commit(
    case, reception, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        receive(case, reception)
        # Nothing is sent before the transaction commits.
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [case.user.email]
    assert case.case_number in message.subject
    assert "Votre colis a été enregistré" in message.body
    assert f"/repairs/cases/{case.case_number}/" in message.body


def test_a_move_rolled_back_sends_nothing(case, reception, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        receive(case, reception)
        raise RuntimeError("the rest of the work failed")
    assert callbacks == []
    assert mail.outbox == []
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_on_hold_keeps_the_reason_and_returns_where_it_was(case, reception, technician):
    receive(case, reception)
    case_transition(case=case, to=S.ON_HOLD, by=technician, reason=HoldReason.WAITING_FOR_PARTS)
    case.refresh_from_db()
    assert case.status == S.ON_HOLD
    assert (case.hold_reason, case.held_from_status) == (HoldReason.WAITING_FOR_PARTS, S.RECEIVED)
    case_transition(case=case, to=RESUME, by=technician)
    case.refresh_from_db()
    assert case.status == S.RECEIVED
    assert (case.hold_reason, case.held_from_status) == ("", "")


def test_a_note_for_staff_never_rides_on_a_move_the_customer_reads(case, reception):
    Reception.objects.create(
        request=case,
        received_at=case.submitted_at,
        received_by=reception,
        contents="complete_set",
        serial_number_read=case.serial_number,
    )
    event = case_transition(case=case, to=S.RECEIVED, by=reception, note="Box crushed")
    assert event.customer_visible and event.note == ""
    internal = case.events.get(kind="note")
    assert internal.note == "Box crushed" and not internal.customer_visible


def test_the_workshop_buttons_offer_what_the_role_may_do(case, reception, technician, agent):
    assert lifecycle.allowed_targets(case, reception) == [S.RECEIVED]
    assert lifecycle.allowed_targets(case, agent) == [S.CANCELLED]
    assert lifecycle.allowed_targets(case, technician) == []
