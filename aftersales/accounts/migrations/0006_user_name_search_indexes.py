"""The workshop's search finds a customer by the beginning of a first or last name, in any case
(issue 8): `UPPER(last_name) LIKE 'DUR%'`. On PostgreSQL an index of the name in upper case with
the pattern operators answers it; an index on an expression with an operator class is
PostgreSQL's own, so SQLite (the demo, a small table) goes without."""

from django.db import migrations

INDEXES = {
    "accounts_user_first_name_upper_idx": "first_name",
    "accounts_user_last_name_upper_idx": "last_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON accounts_user (UPPER({column}) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_repair_centre_group")]

    operations = [migrations.RunPython(create, drop)]
