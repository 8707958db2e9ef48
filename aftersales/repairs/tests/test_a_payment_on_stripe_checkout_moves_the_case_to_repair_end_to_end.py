"""Issue 9, end to end without a browser and without the internet: Alice accepts the repair at
the quoted price, presses "pay online", is sent to the Checkout page (localstripe's, on
127.0.0.1), pays with the test card; localstripe signs and sends its webhooks to the running
site (payment_intent.succeeded, then checkout.session.completed), the first settles the payment
and moves the case to repair, the second finds it done. A declined card pays nothing. The
payment is then refunded through the provider."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from django.test import Client

from aftersales.payments.choices import AttemptStatus, NotificationOutcome
from aftersales.payments.models import PaymentAttempt, ProviderNotification
from aftersales.payments.services import attempt_refund
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.payments.tests.stripe_fixtures import webhook_to
from aftersales.repairs.choices import EventKind, PaymentMethod, QuoteOption, RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.factories import payment_told
from aftersales.repairs.tests.paying_helpers import WEBHOOK
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

S = RequestStatus


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def pay_on_the_hosted_page(url: str, card: str) -> tuple[int, str, str]:
    """Fills the Checkout page's card form: (status, Location, page)."""
    form = urllib.parse.urlencode({"number": card, "expiry": "12/30", "cvc": "123"}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=form), timeout=10) as response:  # noqa: S310
            return response.status, "", response.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", ""), ""


def wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the provider's notification never came"
        time.sleep(0.2)


@pytest.fixture
def quoted_for_repair(transactional_db, case, reception, technician, agent):
    walk_to(
        case,
        S.AWAITING_PAYMENT,
        reception=reception,
        technician=technician,
        agent=agent,
        answer=QuoteOption.REPAIR,
    )
    return case


def test_alice_pays_the_repair_on_checkout_and_the_case_moves_to_repair(
    live_server, stripe_configured, localstripe_url, quoted_for_repair, customer
):
    case = quoted_for_repair
    due = case.payments.get()
    assert (due.amount, due.currency) == (Decimal("90.75"), "EUR")
    webhook_to(localstripe_url, live_server.url + WEBHOOK, stripe_configured["WEBHOOK_SECRET"])
    alice = Client()
    alice.force_login(customer)

    response = alice.post(
        f"/repairs/cases/{case.case_number}/payments/{due.pk}/online/", {"provider": "stripe"}
    )
    hosted = response["Location"]
    assert hosted.startswith(f"{localstripe_url}/checkout/pay/cs_")
    with urllib.request.urlopen(hosted, timeout=10) as page:  # noqa: S310
        assert "90.75 EUR" in page.read().decode()

    # A declined card: the page says so, nothing is paid, nothing is notified.
    status, _location, page = pay_on_the_hosted_page(hosted, "4000 0000 0000 0002")
    assert status == 200 and "Votre carte a été refusée." in page

    status, location, _page = pay_on_the_hosted_page(hosted, "4242 4242 4242 4242")
    attempt = PaymentAttempt.objects.get()
    assert status == 303
    assert location.endswith(f"/repairs/cases/{case.case_number}/payments/return/{attempt.token}/")

    def repairing() -> bool:
        case.refresh_from_db()
        return case.status == S.REPAIRING

    wait_for(repairing)
    wait_for(lambda: ProviderNotification.objects.count() == 2)
    outcomes = dict(ProviderNotification.objects.values_list("event_type", "outcome"))
    assert outcomes == {
        "payment_intent.succeeded": NotificationOutcome.CONFIRMED,
        "checkout.session.completed": NotificationOutcome.ALREADY_CONFIRMED,
    }
    due.refresh_from_db()
    assert due.paid_at is not None and due.method == PaymentMethod.ONLINE
    assert payment_told(case) == 1
    assert (
        CaseEvent.objects.filter(request=case, kind=EventKind.STATUS, status=S.REPAIRING).count()
        == 1
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.CONFIRMED
    assert attempt.provider_payment_id.startswith("pi_")

    # The return page tells the truth: confirmed.
    back = alice.get(location.replace("http://testserver", "")).content.decode()
    assert "Votre paiement de 90,75 EUR est confirmé" in back

    # Refunded through the provider, never more than was paid.
    attempt_refund(attempt=attempt, amount=Decimal("10.00"))
    assert (attempt.status, attempt.refunded_amount) == (AttemptStatus.CONFIRMED, Decimal("10.00"))
    assert attempt.refund_id.startswith("re_")
    from aftersales.payments.errors import PaymentError

    with pytest.raises(PaymentError):
        attempt_refund(attempt=attempt, amount=Decimal("90.00"))
    attempt_refund(attempt=attempt)
    assert (attempt.status, attempt.refunded_amount) == (AttemptStatus.REFUNDED, Decimal("90.75"))
