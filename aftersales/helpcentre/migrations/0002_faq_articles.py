"""The FAQ's fifteen answers (seed 000) as published articles, in a fresh install too, with
their search columns; and the staff's default permissions on articles: agents write them,
administrators also delete them (then the administrators' data, as every role's)."""

from django.db import migrations

from aftersales.accounts.roles import role_permissions_grant_defaults
from aftersales.helpcentre.faq import faq_articles_load

DEFAULTS = {
    "administrator": {"helpcentre": ("view", "add", "change", "delete")},
    "agent": {"helpcentre": ("view", "add", "change")},
}


def grant(apps, schema_editor):
    role_permissions_grant_defaults(apps, DEFAULTS)


def load(apps, schema_editor):
    faq_articles_load(apps)
    if schema_editor.connection.vendor == "postgresql":
        # As services.article_search_refresh does (the model's code is not the migration's).
        for language, config in (("fr", "fr_unaccent"), ("en", "en_unaccent")):
            schema_editor.execute(
                f"UPDATE helpcentre_article SET search_{language} = "  # noqa: S608 (constants)
                f"setweight(to_tsvector('{config}', title_{language}), 'A') || "
                f"setweight(to_tsvector('{config}', keywords_{language}), 'B') || "
                f"setweight(to_tsvector('{config}', body_{language}), 'C')"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("helpcentre", "0001_initial"),
        ("accounts", "0004_default_role_permissions"),
        ("accounts", "0005_repair_centre_group"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
