"""The workshop dashboard (issue 9, item 6): its permission, given to administrators by default
(then the administrators' data, issue 7, item 6: they give it to a centre's managers), and the
indexes of what it counts per day (moves, submissions, evaluations, answers)."""

from django.conf import settings
from django.db import migrations, models

from aftersales.accounts.roles import role_permissions_grant_defaults

# Role -> the dashboard's permission (a codename of RepairRequest.Meta.permissions).
DEFAULTS = {"administrator": ("open_dashboard",)}


def grant(apps, schema_editor):
    role_permissions_grant_defaults(
        apps, {role: {"repairs": actions} for role, actions in DEFAULTS.items()}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_repair_centre_group"),
        ("accounts", "0006_user_name_search_indexes"),
        ("catalog", "0001_initial"),
        ("devices", "0002_device_registered_by"),
        ("plans", "0002_plan_reference_and_sold_by"),
        ("repairs", "0008_investigation_permission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="repairrequest",
            options={
                "ordering": ["-updated_at"],
                "permissions": [
                    ("receive_parcel", "Can receive parcels"),
                    ("evaluate_case", "Can evaluate cases"),
                    ("send_quote", "Can send quotes"),
                    ("record_payment", "Can record payments"),
                    ("repair_case", "Can repair"),
                    ("replace_unit", "Can grant a plan replacement"),
                    ("check_quality", "Can do the quality check"),
                    ("ship_case", "Can ship cases back"),
                    ("hold_case", "Can put cases on hold"),
                    ("cancel_case", "Can cancel cases"),
                    ("close_case", "Can close cases"),
                    ("annotate_case", "Can add notes to cases"),
                    ("open_dashboard", "Can open the workshop dashboard"),
                ],
                "verbose_name": "repair request",
                "verbose_name_plural": "repair requests",
            },
        ),
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(
                condition=models.Q(("kind", "status")),
                fields=["occurred_at", "status"],
                name="repairs_event_move_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(fields=["evaluated_at"], name="repairs_evaluated_idx"),
        ),
        migrations.AddIndex(
            model_name="quoteanswer",
            index=models.Index(fields=["answered_at"], name="repairs_answered_idx"),
        ),
        migrations.AddIndex(
            model_name="repairrequest",
            index=models.Index(fields=["submitted_at"], name="repairs_submitted_idx"),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
