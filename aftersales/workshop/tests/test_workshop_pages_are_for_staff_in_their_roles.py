"""Every workshop page and action, for a role that may use it, a role that may not (the 403
page), a customer (the 403 page, even for their own case: the workshop is not theirs) and an
anonymous visitor (sent to log in). A refused request changes nothing and shows no case."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory
from aftersales.repairs.models import CaseEvent, RepairRequest
from aftersales.workshop.actions import ACTIONS
from aftersales.workshop.selectors import QUEUES
from aftersales.workshop.tests.cast import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_without_role(db):
    return UserFactory(email="intern@example.com", is_staff=True)


# Page -> (a role that may open it, a role that may not).
PAGES: dict[str, tuple[str, str]] = {
    "dashboard": ("analyst", "staff_without_role"),
    "search": ("analyst", "staff_without_role"),
    "scan": ("reception", "technician"),
    "case": ("analyst", "staff_without_role"),
    "receive": ("reception", "technician"),
}
QUEUE_ROLES: dict[str, tuple[str, str]] = {
    "parcels-expected": ("reception", "technician"),
    "to-evaluate": ("technician", "reception"),
    "to-repair": ("technician", "agent"),
    "on-hold": ("technician", "agent"),
    "waiting-for-customer": ("agent", "technician"),
    "quotes-unanswered": ("agent", "reception"),
    "overdue": ("agent", "technician"),
    "ready-to-ship": ("reception", "technician"),
    "labels-late": ("reception", "technician"),
    "parcels-investigated": ("agent", "technician"),
    "express-flagged": ("agent", "technician"),
    "express-to-ship": ("reception", "technician"),
}
# Action -> (a role that may take it, a role that may not).
ACTION_ROLES: dict[str, tuple[str, str]] = {
    "receive": ("reception", "technician"),
    "evaluation-start": ("technician", "reception"),
    "evaluate": ("technician", "agent"),
    "warranty-repair": ("technician", "reception"),
    "express-ship": ("reception", "technician"),
    "express-charge": ("agent", "reception"),
    "express-clear": ("agent", "technician"),
    "quote": ("agent", "reception"),
    "payment": ("agent", "technician"),
    "part": ("technician", "agent"),
    "repair-done": ("technician", "reception"),
    "replace-unit": ("technician", "agent"),
    "replace-component": ("technician", "reception"),
    "replacement-done": ("technician", "agent"),
    "quality-check": ("technician", "reception"),
    "return-ready": ("reception", "technician"),
    "ship": ("reception", "agent"),
    "close": ("agent", "reception"),
    "return-label": ("reception", "technician"),
    "investigation-open": ("agent", "technician"),
    "investigation-close": ("reception", "analyst"),
    "resume": ("reception", "analyst"),
    "hold": ("agent", "analyst"),
    "cancel": ("agent", "technician"),
    "note": ("analyst", "staff_without_role"),
}


def test_every_action_and_queue_is_in_the_matrix():
    assert set(ACTION_ROLES) == {action.slug for action in ACTIONS}
    assert set(QUEUE_ROLES) == {queue.slug for queue in QUEUES}


def page_url(name: str, case: RepairRequest) -> str:
    if name in ("case", "receive"):
        return reverse(f"workshop:{name}", args=[case.case_number])
    return reverse(f"workshop:{name}")


def action_url(slug: str, case: RepairRequest) -> str:
    if slug == "payment":
        # A payment that exists: the URL names one.
        payment = case.payments.create(purpose="evaluation_fee", amount="50.00", currency="EUR")
        return reverse("workshop:payment", args=[case.case_number, payment.pk])
    return reverse("workshop:action", args=[case.case_number, slug])


def state(case: RepairRequest) -> tuple[Any, ...]:
    fresh = RepairRequest.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.updated_at,
        CaseEvent.objects.filter(request=case).count(),
        fresh.payments.filter(paid_at__isnull=False).count(),
    )


def assert_shows_nothing_of(case: RepairRequest, response) -> None:
    # The page's own address (in the language switch) is what the visitor typed; nothing else.
    text = response.text.replace(response.wsgi_request.path, "")
    for secret in (case.case_number, case.serial_number, case.user.email, "Alice"):
        assert secret not in text


def assert_login_redirect(response) -> None:
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
def test_a_page_opens_for_its_role_and_is_refused_to_others(request, client, case, name):
    allowed, refused = PAGES[name]
    url = page_url(name, case)
    assert_login_redirect(client.get(url))

    client.force_login(request.getfixturevalue(allowed))
    assert client.get(url).status_code == 200

    for outsider in (refused, "customer"):
        client.force_login(request.getfixturevalue(outsider))
        response = client.get(url)
        assert response.status_code == 403, outsider
        assert_shows_nothing_of(case, response)


@pytest.mark.parametrize("slug", QUEUE_ROLES)
def test_a_queue_opens_for_its_role_and_is_refused_to_others(request, client, case, slug):
    allowed, refused = QUEUE_ROLES[slug]
    url = reverse("workshop:queue", args=[slug])
    assert_login_redirect(client.get(url))
    client.force_login(request.getfixturevalue(allowed))
    assert client.get(url).status_code == 200
    for outsider in (refused, "customer", "staff_without_role"):
        client.force_login(request.getfixturevalue(outsider))
        assert client.get(url).status_code == 403, outsider


@pytest.mark.parametrize("slug", ACTION_ROLES)
def test_an_action_is_refused_to_a_role_without_it_and_changes_nothing(request, client, case, slug):
    allowed, refused = ACTION_ROLES[slug]
    url = action_url(slug, case)
    data = {"expected_status": case.status, "text": "x", "note": "x", "reason": "parts"}
    before = state(case)

    assert_login_redirect(client.post(url, data))
    for outsider in (refused, "customer"):
        client.force_login(request.getfixturevalue(outsider))
        response = client.post(url, data)
        assert response.status_code == 403, outsider
        assert_shows_nothing_of(case, response)
    assert state(case) == before

    # The role that may take it reaches the case page: done, or a message why not now.
    client.force_login(request.getfixturevalue(allowed))
    response = client.post(url, data)
    assert response.status_code in (302, 409, 422), response.status_code
    if response.status_code != 302:
        assert f'id="action-{slug}' in response.text or 'id="payment-' in response.text


def test_the_dashboard_shows_each_role_its_own_queues(client, reception, technician, agent):
    expected = {
        reception: {
            "parcels-expected",
            "labels-late",
            "parcels-investigated",
            "ready-to-ship",
            "express-to-ship",
        },
        technician: {"to-evaluate", "to-repair", "on-hold"},
        agent: {
            "waiting-for-customer",
            "quotes-unanswered",
            "overdue",
            "labels-late",
            "parcels-investigated",
            "express-flagged",
        },
    }
    for user, slugs in expected.items():
        client.force_login(user)
        page = client.get(reverse("workshop:dashboard")).text
        shown = {queue.slug for queue in QUEUES if f'id="queue-{queue.slug}"' in page}
        assert shown == slugs, user.email


def test_the_main_navigation_offers_the_workshop_to_staff_only(client, customer, reception):
    client.force_login(customer)
    assert reverse("workshop:dashboard") not in client.get("/").text
    client.force_login(reception)
    assert reverse("workshop:dashboard") in client.get("/").text
