"""« Make a repair request » is a plain link (GET): following it again, or another site making
the browser follow it (audit: a cross-site image made a draft per load), opens the same empty
draft rather than piling up empty drafts in My requests; once the draft has an answer, the link
starts a new one."""

from __future__ import annotations

import pytest

from aftersales.repairs.models import RepairRequest

from .wizard_cast import *  # noqa: F403
from .wizard_cast import post_step

pytestmark = pytest.mark.django_db


def test_the_link_followed_three_times_makes_one_draft(customer_client, customer):
    for _ in range(3):
        assert customer_client.get("/repairs/new/").status_code == 302
    assert RepairRequest.objects.filter(user=customer).count() == 1


def test_an_answered_draft_is_kept_and_the_link_starts_another(customer_client, customer, europe):
    customer_client.get("/repairs/new/")
    first = RepairRequest.objects.get(user=customer)
    post_step(customer_client, first, "zone", {"zone": europe.pk, "country": "FR"})
    first.refresh_from_db()
    assert first.zone_id == europe.pk
    customer_client.get("/repairs/new/")
    assert RepairRequest.objects.filter(user=customer).count() == 2


def test_another_customers_empty_draft_is_not_reused(customer_client, customer, other_customer):
    theirs = RepairRequest.objects.create(user=other_customer, current_step="zone")
    response = customer_client.get("/repairs/new/")
    mine = RepairRequest.objects.get(user=customer)
    assert mine.pk != theirs.pk
    assert response["Location"].startswith(f"/repairs/{mine.pk}/")
