"""For tests on a database that an earlier transactional test emptied (the live server's, the
race tests'): the staff roles that migrations make, with their default permissions, are made
again, as the migrations do. The root conftest does it before every such test."""

from __future__ import annotations

import importlib

from django.apps import apps

GRANTS = [
    ("aftersales.accounts.migrations.0003_partner_group", "create_group"),
    ("aftersales.accounts.migrations.0005_repair_centre_group", "create_group"),
    ("aftersales.accounts.migrations.0004_default_role_permissions", "grant_defaults"),
    ("aftersales.repairs.migrations.0003_workshop_permissions_and_timeline", "grant"),
    ("aftersales.repairs.migrations.0008_investigation_permission", "grant"),
    ("aftersales.repairs.migrations.0009_dashboard_permission_and_indexes", "grant"),
    ("aftersales.helpcentre.migrations.0002_faq_articles", "grant"),
    ("aftersales.support.migrations.0002_agent_permissions_and_canned_answers", "grant"),
]


def staff_roles_made_again() -> None:
    for module, function in GRANTS:
        getattr(importlib.import_module(module), function)(apps, None)
