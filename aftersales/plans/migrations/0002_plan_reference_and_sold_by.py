"""A random reference for each plan (how the partner API names it, instead of the sequential id)
and who sold it through the API (empty for cards redeemed by customers and for the admin).

The reference is added empty, filled for the plans that exist, then made required and unique:
a column default would give every existing plan the same value."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_references(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    batch = []
    for plan in Plan.objects.filter(reference__isnull=True).only("pk").iterator(chunk_size=2000):
        plan.reference = uuid.uuid4()
        batch.append(plan)
        if len(batch) == 2000:
            Plan.objects.bulk_update(batch, ["reference"])
            batch = []
    Plan.objects.bulk_update(batch, ["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="sold_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sold by",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="reference",
            field=models.UUIDField(editable=False, null=True, verbose_name="reference"),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="reference",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="reference"
            ),
        ),
    ]
