"""Issue 9, "Bad input and faults": the provider's notification (Stripe's webhook) settles the
payment it confirms and starts the work — once. A notification sent again or replayed, a second
kind of notification for the same payment, one with a bad signature, one for a payment nobody
started here, one with another amount, one that arrives before (or after) the customer comes
back from the payment page: refused or recorded once, never a 500, never a case moved twice."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.payments.choices import AttemptStatus, NotificationOutcome
from aftersales.payments.models import ProviderNotification
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.repairs.choices import (
    EventKind,
    PaymentMethod,
    PaymentPurpose,
    QuoteOption,
    RequestStatus,
)
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.factories import payment_told
from aftersales.repairs.tests.paying_fixtures import *  # noqa: F403
from aftersales.repairs.tests.paying_helpers import (
    WEBHOOK,
    attempt_started,
    intent_succeeded,
    notify,
    session_completed,
)
from aftersales.workshop import services as workshop
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

S = RequestStatus


@pytest.fixture
def provider() -> Client:
    # The provider has no session and no CSRF token: the signature is its proof.
    return Client(enforce_csrf_checks=True)


def moves_to(case, status: str) -> int:
    return CaseEvent.objects.filter(request=case, kind=EventKind.STATUS, status=status).count()


def test_a_paid_checkout_settles_the_payment_and_starts_the_replacement(awaiting, provider, secret):
    attempt = attempt_started(awaiting)
    response = notify(provider, session_completed(attempt), secret)

    assert response.status_code == 200
    assert response.json() == {"outcome": NotificationOutcome.CONFIRMED}
    awaiting.refresh_from_db()
    assert awaiting.status == S.REPLACING
    payment = awaiting.payments.get(purpose=PaymentPurpose.PLAN_FEE)
    assert payment.paid_at is not None
    assert (payment.method, payment.reference) == (PaymentMethod.ONLINE, attempt.provider_id)
    assert payment.recorded_by is None  # the system, on the provider's word
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CONFIRMED
    assert attempt.provider_payment_id == "pi_test_1"
    # Told with the move the payment started, in Alice's French.
    event = CaseEvent.objects.get(request=awaiting, kind=EventKind.STATUS, status=S.REPLACING)
    assert "109,00 EUR" in event.note and event.customer_visible
    assert payment_told(awaiting) == 1
    assert moves_to(awaiting, S.REPLACING) == 1


def test_the_same_notification_twice_is_recorded_once(awaiting, provider, secret):
    attempt = attempt_started(awaiting)
    event = session_completed(attempt, event_id="evt_same")
    assert notify(provider, event, secret).json()["outcome"] == "confirmed"

    again = notify(provider, event, secret)

    assert again.status_code == 200 and again.json() == {"outcome": "duplicate"}
    assert ProviderNotification.objects.filter(event_id="evt_same").count() == 1
    assert payment_told(awaiting) == 1
    assert moves_to(awaiting, S.REPLACING) == 1


def test_a_second_kind_of_notification_for_the_same_payment_finds_it_done(
    awaiting, provider, secret
):
    attempt = attempt_started(awaiting)
    notify(provider, intent_succeeded(attempt), secret)
    response = notify(provider, session_completed(attempt), secret)

    assert response.json() == {"outcome": NotificationOutcome.ALREADY_CONFIRMED}
    assert ProviderNotification.objects.count() == 2
    assert payment_told(awaiting) == 1
    assert moves_to(awaiting, S.REPLACING) == 1


@pytest.mark.parametrize("fault", ["bad signature", "replayed", "no signature", "not json"])
def test_a_notification_not_believed_is_refused_and_changes_nothing(
    awaiting, provider, secret, fault
):
    attempt = attempt_started(awaiting)
    event = session_completed(attempt)
    if fault == "bad signature":
        response = notify(provider, event, "whsec_guessed")
    elif fault == "replayed":
        # Captured an hour ago and sent again: outside Stripe's 5 minutes.
        response = notify(provider, event, secret, timestamp=int(time.time()) - 3600)
    elif fault == "no signature":
        response = provider.post(WEBHOOK, data=b"{}", content_type="application/json")
    else:
        response = provider.post(
            WEBHOOK, data=b"\x00\xff", content_type="application/json", HTTP_STRIPE_SIGNATURE="t"
        )

    assert response.status_code == 400
    assert response.json()["code"] in {"bad_signature", "unreadable"}
    assert not ProviderNotification.objects.exists()
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT
    assert awaiting.payments.get().paid_at is None


def test_a_notification_for_no_payment_started_here_is_recorded_and_moves_nothing(
    awaiting, provider, secret
):
    attempt = attempt_started(awaiting)
    for token in ("0b5e6d2c-0000-4000-8000-000000000000", "not-a-token"):
        response = notify(provider, session_completed(attempt, token=token), secret)
        assert response.status_code == 200
        assert response.json() == {"outcome": NotificationOutcome.UNKNOWN_PAYMENT}
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PENDING


def test_another_amount_confirms_nothing(awaiting, provider, secret):
    attempt = attempt_started(awaiting)
    response = notify(provider, session_completed(attempt, amount=Decimal("1.00")), secret)

    assert response.json() == {"outcome": NotificationOutcome.AMOUNT_MISMATCH}
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT
    assert ProviderNotification.objects.get().outcome == NotificationOutcome.AMOUNT_MISMATCH


def test_an_unpaid_session_or_another_event_is_only_recorded(awaiting, provider, secret):
    attempt = attempt_started(awaiting)
    response = notify(provider, session_completed(attempt, paid=False), secret)

    assert response.json() == {"outcome": NotificationOutcome.IGNORED}
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT


def test_unknown_providers_and_other_methods_are_refused(awaiting, provider, secret):
    attempt = attempt_started(awaiting)
    response = provider.post(
        reverse("repairs:payment_notification", args=["bank_transfer"]),
        data=b"{}",
        content_type="application/json",
    )
    assert response.status_code == 400
    response = provider.post(
        reverse("repairs:payment_notification", args=["nothing"]),
        data=b"{}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert provider.get(WEBHOOK).status_code == 405
    assert attempt.notifications.count() == 0


def test_the_case_never_moves_before_the_notification_and_the_return_page_says_so(
    awaiting, provider, secret, customer
):
    attempt = attempt_started(awaiting)
    browser = Client()
    browser.force_login(customer)
    back = reverse("repairs:payment_return", args=[awaiting.case_number, attempt.token])

    # Back from the payment page before the provider's word: pending, nothing moved.
    page = browser.get(back).content.decode()
    assert "est en cours de confirmation par le service de paiement" in page
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_PAYMENT

    notify(provider, session_completed(attempt), secret)

    page = browser.get(back).content.decode()
    assert "Votre paiement de 109,00 EUR est confirmé" in page
    assert "Payer 109,00 EUR en ligne" not in page


def test_a_notification_before_the_customer_returns_is_just_as_good(
    awaiting, provider, secret, customer
):
    attempt = attempt_started(awaiting)
    notify(provider, session_completed(attempt), secret)
    browser = Client()
    browser.force_login(customer)

    page = browser.get(
        reverse("repairs:payment_return", args=[awaiting.case_number, attempt.token])
    ).content.decode()

    assert "Votre paiement de 109,00 EUR est confirmé" in page
    assert moves_to(awaiting, S.REPLACING) == 1


def test_leaving_the_payment_page_says_nothing_was_paid(awaiting, customer):
    attempt = attempt_started(awaiting)
    browser = Client()
    browser.force_login(customer)
    back = reverse("repairs:payment_return", args=[awaiting.case_number, attempt.token])

    page = browser.get(f"{back}?cancelled=1").content.decode()

    assert "Vous avez quitté la page de paiement : rien n&#x27;a été payé." in page
    assert "Payer 109,00 EUR en ligne" in page


def test_paid_by_transfer_meanwhile_the_online_payment_is_flagged_for_a_refund(
    awaiting, provider, secret, agent
):
    attempt = attempt_started(awaiting)
    due = awaiting.payments.get()
    workshop.payment_record(case=awaiting, payment=due, by=agent, method="bank_transfer")

    response = notify(provider, session_completed(attempt), secret)

    assert response.json() == {"outcome": NotificationOutcome.CONFIRMED}
    assert awaiting.payments.count() == 1
    assert moves_to(awaiting, S.REPLACING) == 1
    note = CaseEvent.objects.get(
        request=awaiting, kind=EventKind.NOTE, note__contains=attempt.provider_id
    )
    assert not note.customer_visible and "refund it" in note.note
    assert "Plan replacement fee" in note.note


def test_an_evaluation_fee_paid_online_lets_the_unit_go_back(
    case, reception, technician, agent, provider, secret
):
    walk_to(
        case,
        S.RETURNING_UNREPAIRED,
        reception=reception,
        technician=technician,
        agent=agent,
        answer=QuoteOption.REFUSE,
    )
    attempt = attempt_started(case)
    assert attempt.purpose == PaymentPurpose.EVALUATION_FEE

    notify(provider, session_completed(attempt), secret)

    case.refresh_from_db()
    assert case.status == S.RETURNING_UNREPAIRED  # the fee moves nothing by itself
    assert case.payments.get().paid_at is not None
    workshop.case_return_ready(case=case, by=reception)
    assert case.status == S.READY_TO_SHIP
