"""Issue 8, item 3: while the case awaits the parcel the customer may withdraw it, after a
confirmation; once the parcel is in, the page says why it cannot be done here. Nobody else can
cancel it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from aftersales.repairs.choices import ActorKind, RequestStatus
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def reader(client, customer):
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def cancel_url(case) -> str:
    return reverse("repairs:case_cancel", args=[case.case_number])


def test_the_case_page_offers_to_cancel_while_the_parcel_is_awaited(reader, case):
    html = reader.get(reverse("repairs:case", args=[case.case_number])).content.decode()

    assert f'href="{cancel_url(case)}"' in html


def test_cancelling_asks_for_a_confirmation_first(reader, case):
    response = reader.get(cancel_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Do not send your parcel" in html
    assert 'method="post"' in html and "Cancel my request" in html
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_the_confirmed_cancellation_is_recorded_as_the_customers(reader, case, customer):
    response = reader.post(cancel_url(case))

    assert response.status_code == 302
    assert response["Location"] == reverse("repairs:case", args=[case.case_number])
    case.refresh_from_db()
    assert case.status == S.CANCELLED
    event = case.events.get(status=S.CANCELLED)
    assert (event.actor, event.actor_kind, event.customer_visible) == (
        customer,
        ActorKind.CUSTOMER,
        True,
    )
    page = reader.get(response["Location"]).content.decode()
    assert "Your request is cancelled." in page
    assert "This case was cancelled: there is nothing more to do." in page
    assert f'href="{cancel_url(case)}"' not in page


def test_once_the_parcel_is_in_the_case_cannot_be_cancelled_here(
    reader, case, reception, technician, agent
):
    walk_to(case, S.RECEIVED, reception=reception, technician=technician, agent=agent)

    shown = reader.get(reverse("repairs:case", args=[case.case_number])).content.decode()
    asked = reader.get(cancel_url(case))
    posted = reader.post(cancel_url(case))

    assert f'href="{cancel_url(case)}"' not in shown
    for response in (asked, posted):
        assert response.status_code == 409
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "This request can no longer be cancelled here" in html
        assert settings.AFTERSALES["SUPPORT_EMAIL"] in html
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_another_customer_gets_a_404_and_cancels_nothing(other_client, case):
    assert other_client.get(cancel_url(case)).status_code == 404
    assert other_client.post(cancel_url(case)).status_code == 404
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.post(cancel_url(case))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
