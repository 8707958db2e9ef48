"""The workshop's search (issue 8): a unit by the serial number read at reception, or by its
former and later serial numbers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0004_old_move_notes_are_internal"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reception",
            index=models.Index(fields=["serial_number_read"], name="repairs_reception_serial_idx"),
        ),
        migrations.AddIndex(
            model_name="replacement",
            index=models.Index(fields=["old_serial_number"], name="repairs_replaced_old_idx"),
        ),
        migrations.AddIndex(
            model_name="replacement",
            index=models.Index(fields=["new_serial_number"], name="repairs_replaced_new_idx"),
        ),
    ]
