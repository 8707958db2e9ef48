"""Before the timeline (issue 8) a status change carried a staff note (« Changed in the back
office by … »); migration 0003 showed those changes to the customer, whose page now shows a
visible move's note. Migration 0004 makes each such note an internal note of its own: the
customer sees the move, never the note."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from aftersales.repairs.choices import ActorKind, EventKind, RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.factories import SubmittedCaseFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "aftersales.repairs.migrations.0004_old_move_notes_are_internal"
)
OLD_NOTE = "Changed in the back office by agent@example.com."


def test_an_old_moves_note_becomes_an_internal_note_and_leaves_the_customers_page(
    customer_client, customer, technician
):
    case = SubmittedCaseFactory(user=customer, status=RequestStatus.RECEIVED)
    # As migration 0003 left a move of the admin's time: no actor, "staff", visible, a note.
    old = CaseEvent.objects.create(
        request=case,
        status=RequestStatus.RECEIVED,
        actor_kind=ActorKind.STAFF,
        customer_visible=True,
        note=OLD_NOTE,
    )
    # A public note written with a move of the workshop (an actor) stays as it is.
    public = CaseEvent.objects.create(
        request=case,
        status=RequestStatus.RECEIVED,
        actor=technician,
        actor_kind=ActorKind.STAFF,
        customer_visible=True,
        note="Your parcel arrived in good condition.",
    )

    migration.old_notes_to_internal_notes(apps, None)

    old.refresh_from_db()
    public.refresh_from_db()
    assert (old.note, old.customer_visible) == ("", True)
    internal = CaseEvent.objects.get(request=case, kind=EventKind.NOTE)
    assert (internal.note, internal.customer_visible) == (OLD_NOTE, False)
    assert internal.occurred_at == old.occurred_at
    assert public.note == "Your parcel arrived in good condition."
    html = customer_client.get(reverse("repairs:case", args=[case.case_number])).content.decode()
    assert OLD_NOTE not in html
    assert "Your parcel arrived in good condition." in html
