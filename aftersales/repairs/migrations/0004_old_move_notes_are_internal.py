"""Before the timeline (issue 8), a status change kept a staff note on the change itself
(« Changed in the back office by … », or what the agent typed). Migration 0003 showed those
changes to the customer, and the note of a move the customer sees is public now: each such note
becomes an internal note of its own, as `lifecycle.case_transition` does for new moves."""

from django.db import migrations


def old_notes_to_internal_notes(apps, schema_editor):
    CaseEvent = apps.get_model("repairs", "CaseEvent")
    # Moves written before the timeline: no actor recorded, marked "staff" by 0003.
    old = CaseEvent.objects.filter(kind="status", actor__isnull=True, actor_kind="staff").exclude(
        note=""
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                request_id=event.request_id,
                kind="note",
                status=event.status,
                occurred_at=event.occurred_at,
                actor_kind="staff",
                note=event.note,
                customer_visible=False,
            )
            for event in old.iterator()
        ],
        batch_size=1000,
    )
    old.update(note="")


class Migration(migrations.Migration):
    dependencies = [("repairs", "0003_workshop_permissions_and_timeline")]

    operations = [migrations.RunPython(old_notes_to_internal_notes, migrations.RunPython.noop)]
