"""The workshop's actions, given to the staff roles by default (issue 8: receive, evaluate,
quote, grant a replacement, ship, cancel… each given to roles in one table). Given once: then they
are the administrators' data (issue 7, item 6). And the timeline of the cases sent before: their
moves were all shown to the customer; each case's status date is its last move."""

from django.db import migrations
from django.db.models import F, Max, OuterRef, Subquery

from aftersales.accounts.roles import role_permissions_grant_defaults

RECEPTION = ("receive_parcel", "ship_case", "hold_case", "annotate_case")
TECHNICIAN = (
    "evaluate_case",
    "send_quote",
    "repair_case",
    "replace_unit",
    "check_quality",
    "hold_case",
    "annotate_case",
)
AGENT = ("send_quote", "record_payment", "cancel_case", "close_case", "hold_case", "annotate_case")
ALL = tuple(sorted({*RECEPTION, *TECHNICIAN, *AGENT}))

# Role -> the workshop's actions it may take (codenames of RepairRequest.Meta.permissions),
# and the admin's actions on the new records (view for staff, all for administrators).
DEFAULTS = {
    "reception": (*RECEPTION, "view"),
    "technician": (*TECHNICIAN, "view"),
    "agent": (*AGENT, "view"),
    "analyst": ("annotate_case", "view"),
    "administrator": (*ALL, "view", "add", "change", "delete"),
}


def grant(apps, schema_editor):
    role_permissions_grant_defaults(
        apps, {role: {"repairs": actions} for role, actions in DEFAULTS.items()}
    )


def backfill_timeline(apps, schema_editor):
    CaseEvent = apps.get_model("repairs", "CaseEvent")
    RepairRequest = apps.get_model("repairs", "RepairRequest")
    CaseEvent.objects.update(customer_visible=True)
    CaseEvent.objects.filter(status="submitted").update(actor_kind="customer")
    CaseEvent.objects.exclude(status="submitted").update(actor_kind="staff")
    last_move = (
        CaseEvent.objects.filter(request=OuterRef("pk"))
        .values("request")
        .annotate(last=Max("occurred_at"))
        .values("last")
    )
    RepairRequest.objects.exclude(status="draft").update(status_changed_at=Subquery(last_move))
    RepairRequest.objects.exclude(status="draft").filter(status_changed_at__isnull=True).update(
        status_changed_at=F("submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0002_workshop_records"),
        ("accounts", "0005_repair_centre_group"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(backfill_timeline, migrations.RunPython.noop),
    ]
