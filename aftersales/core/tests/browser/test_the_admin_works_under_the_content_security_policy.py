"""The admin (the staff's tool until the back office exists) works under the site's
Content-Security-Policy: its scripts run (the permission picker, the filters, the date
widgets) and nothing it does is refused. The browser plugin fails the test on any violation;
axe does not check the admin (see AXE_EXCLUDED_PATHS in the plugin)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from aftersales.accounts.tests.factories import UserFactory
from aftersales.core.tests.browser.plugin import audit_of
from aftersales.repairs.tests.factories import SubmittedCaseFactory

pytestmark = pytest.mark.browser


def test_a_superuser_works_in_the_admin_without_any_csp_violation(page, customer):
    admin_user = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    case = SubmittedCaseFactory(user=customer)
    # Its own group: the live server's database is emptied between tests, migrations' rows too.
    group = Group.objects.create(name="Workshop leads")

    page.goto(reverse("admin:login"))
    page.fill("#id_username", admin_user.email)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # A change list: its filters and actions are scripts.
    page.goto(reverse("admin:repairs_repairrequest_changelist"))
    expect(page.locator("#result_list")).to_contain_text(case.case_number)
    page.goto(reverse("admin:repairs_repairrequest_change", args=[case.pk]))
    expect(page.locator("#content")).to_contain_text(case.case_number)

    # The permission picker is built by SelectFilter2.js: it ran.
    page.goto(reverse("admin:auth_group_change", args=[group.pk]))
    expect(page.locator(".selector-available")).to_be_visible()
    page.locator(".selector-filter input").first.fill("case")

    # An add form, and another change list.
    page.goto(reverse("admin:accounts_user_add"))
    expect(page.locator("#id_email")).to_be_visible()
    page.goto(reverse("admin:plans_plan_changelist"))
    expect(page.locator("#changelist")).to_be_visible()

    audit = audit_of(page)
    audit.wait()
    assert audit.csp_violations == []
