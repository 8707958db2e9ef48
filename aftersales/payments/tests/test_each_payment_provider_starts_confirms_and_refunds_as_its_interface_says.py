"""Issue 9, item 3: the PaymentProvider interface — start a payment for an amount and currency,
read the provider's notification that confirms it, refund — for each built-in provider: bank
transfer (an ISO 11649 reference, no network), the counter (no network), and Stripe Checkout
through the official `stripe` package against localstripe on 127.0.0.1."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid
from decimal import Decimal

import pytest
import stripe
from stdnum import iso11649

from aftersales.payments import providers
from aftersales.payments.errors import NotificationRefused, PaymentError
from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.providers.base import Order, from_minor, to_minor
from aftersales.payments.references import creditor_reference, reference_compact, reference_format
from aftersales.payments.tests.stripe_fixtures import *  # noqa: F403
from aftersales.payments.tests.stripe_fixtures import signed

ORDER = Order(
    reference="CAS-1234567-ABCDEF",
    purpose="plan_fee",
    amount=Decimal("109.00"),
    currency="EUR",
    description="Plan replacement fee, case CAS-1234567-ABCDEF",
    token=str(uuid.uuid4()),
    customer_email="alice@example.com",
    language="fr",
)


# --- Bank transfer: the structured reference -----------------------------------------------------


def test_the_creditor_reference_is_the_standards_own_example():
    # ISO 11649's example: the reference 539007547034 is RF18 5390 0754 7034.
    assert creditor_reference("539007547034") == "RF18539007547034"
    assert reference_format("RF18539007547034") == "RF18 5390 0754 7034"
    assert reference_compact("rf18 5390 0754 7034") == "RF18539007547034"
    assert reference_compact("RF19 5390 0754 7034") == ""


def test_each_payment_of_a_case_has_its_own_valid_reference():
    references = {
        purpose: transfer_reference("CAS-1234567-ABCDEF", purpose)
        for purpose in ("repair", "plan_fee", "evaluation_fee", "express_fee")
    }
    assert len(set(references.values())) == 4
    for reference in references.values():
        assert iso11649.is_valid(reference)
        assert "CAS1234567ABCDEF" in reference
    with pytest.raises(ValueError):
        creditor_reference("X" * 22)


def test_bank_transfer_and_counter_need_no_network_and_refund_by_hand():
    bank, counter = providers.provider("bank_transfer"), providers.provider("counter")
    assert bank is not None and counter is not None
    assert not bank.online and not counter.online
    started = bank.start(order=ORDER)
    assert started.payment_reference == transfer_reference(ORDER.reference, ORDER.purpose)
    assert started.redirect_url == ""
    assert counter.start(order=ORDER).redirect_url == ""
    for provider in (bank, counter):
        assert provider.refund(provider_payment_id="", amount=Decimal(1), currency="EUR").by_hand
        with pytest.raises(NotificationRefused):
            provider.notification_parse(body=b"{}", headers={})


def test_amounts_go_to_the_provider_in_minor_units():
    assert to_minor(Decimal("109.00"), "EUR") == 10900
    assert to_minor(Decimal("1500"), "JPY") == 1500
    assert from_minor(10900, "EUR") == Decimal("109.00")


def test_which_providers_are_offered_is_configuration(settings):
    settings.PAYMENTS = {
        "PROVIDERS": ["bank_transfer", "counter", "stripe", "nonsense"],
        "CENTRE_PROVIDERS": {"Barendrecht": ["counter"]},
        "STRIPE": {"SECRET_KEY": "", "WEBHOOK_SECRET": "", "API_BASE": "", "CHECKOUT_ORIGIN": ""},
    }
    # Stripe without its keys is left out; an unknown code too (and `check` says so).
    assert [p.code for p in providers.offered("Lyon")] == ["bank_transfer", "counter"]
    assert [p.code for p in providers.offered("barendrecht")] == ["counter"]
    from aftersales.payments.checks import payment_providers_check

    assert {warning.id for warning in payment_providers_check()} == {
        "payments.W001",
        "payments.W002",
    }


# --- Stripe Checkout, against localstripe -------------------------------------------------------


def test_stripe_starts_a_checkout_session_for_the_amount(stripe_configured, localstripe_url):
    provider = providers.provider("stripe")
    assert provider is not None and provider.online and provider.is_configured()
    started = provider.start(
        order=ORDER, return_url="http://127.0.0.1/back", cancel_url="http://127.0.0.1/cancel"
    )
    assert started.provider_id.startswith("cs_")
    assert started.redirect_url.startswith(f"{localstripe_url}/checkout/pay/")
    assert provider.csp_form_action() == [localstripe_url]
    client = stripe.StripeClient("sk_test_aftersales", base_addresses={"api": localstripe_url})
    session = client.v1.checkout.sessions.retrieve(started.provider_id)
    assert (session.amount_total, session.currency) == (10900, "eur")
    assert session.client_reference_id == ORDER.token
    assert session.metadata["reference"] == ORDER.reference
    assert session.payment_status == "unpaid"


def test_stripe_out_of_reach_is_a_refusal_not_an_error(settings, stripe_configured):
    settings.PAYMENTS["STRIPE"]["API_BASE"] = "http://127.0.0.1:9"
    provider = providers.provider("stripe")
    assert provider is not None
    with pytest.raises(PaymentError) as refused:
        provider.start(order=ORDER, return_url="http://x/back", cancel_url="http://x/cancel")
    assert refused.value.code == "provider_unavailable"


def _event(kind: str = "checkout.session.completed", **obj) -> dict:
    data = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "amount_total": 10900,
        "currency": "eur",
        "client_reference_id": ORDER.token,
        "payment_status": "paid",
        "payment_intent": "pi_1",
        "metadata": {},
    }
    data.update(obj)
    return {"id": "evt_1", "object": "event", "type": kind, "data": {"object": data}}


def test_stripe_reads_a_signed_notification(stripe_configured):
    provider = providers.provider("stripe")
    assert provider is not None
    body, signature = signed(_event(), stripe_configured["WEBHOOK_SECRET"])
    notification = provider.notification_parse(body=body, headers={"Stripe-Signature": signature})
    assert notification.paid and notification.token == ORDER.token
    assert (notification.amount, notification.currency) == (Decimal("109.00"), "EUR")
    assert (notification.provider_id, notification.provider_payment_id) == ("cs_test_1", "pi_1")

    intent = _event(
        "payment_intent.succeeded",
        id="pi_1",
        object="payment_intent",
        amount=10900,
        amount_received=10900,
        metadata={"aftersales_token": ORDER.token},
    )
    body, signature = signed(intent, stripe_configured["WEBHOOK_SECRET"])
    notification = provider.notification_parse(body=body, headers={"Stripe-Signature": signature})
    assert notification.paid and notification.token == ORDER.token
    assert notification.provider_payment_id == "pi_1"

    unpaid = _event(payment_status="unpaid")
    body, signature = signed(unpaid, stripe_configured["WEBHOOK_SECRET"])
    assert not provider.notification_parse(body=body, headers={"Stripe-Signature": signature}).paid
    other = _event("customer.created")
    body, signature = signed(other, stripe_configured["WEBHOOK_SECRET"])
    assert not provider.notification_parse(body=body, headers={"Stripe-Signature": signature}).paid


@pytest.mark.parametrize(
    "case", ["wrong secret", "no signature", "replayed an hour later", "body changed", "not json"]
)
def test_stripe_refuses_a_notification_it_cannot_believe(stripe_configured, case):
    provider = providers.provider("stripe")
    assert provider is not None
    secret = stripe_configured["WEBHOOK_SECRET"]
    body, signature = signed(_event(), secret)
    if case == "wrong secret":
        body, signature = signed(_event(), "whsec_another")
    elif case == "no signature":
        signature = ""
    elif case == "replayed an hour later":
        import time

        body, signature = signed(_event(), secret, timestamp=int(time.time()) - 3600)
    elif case == "body changed":
        body = body.replace(b"10900", b"100")
    elif case == "not json":
        body = b"not json"
        import hashlib
        import hmac
        import time

        at = int(time.time())
        digest = hmac.new(secret.encode(), b"%d.%s" % (at, body), hashlib.sha256).hexdigest()
        signature = f"t={at},v1={digest}"
    with pytest.raises(NotificationRefused):
        provider.notification_parse(body=body, headers={"Stripe-Signature": signature})


def test_stripe_refunds_a_payment_made_on_its_page(stripe_configured, localstripe_url):
    provider = providers.provider("stripe")
    assert provider is not None
    started = provider.start(order=ORDER, return_url="http://x/back", cancel_url="http://x/c")
    # The customer pays on the hosted page with the test card.
    form = urllib.parse.urlencode(
        {"number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"}
    ).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(started.redirect_url, data=form), timeout=5)  # noqa: S310
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303
        assert redirect.headers["Location"] == "http://x/back"
    client = stripe.StripeClient("sk_test_aftersales", base_addresses={"api": localstripe_url})
    session = client.v1.checkout.sessions.retrieve(started.provider_id)
    assert session.payment_status == "paid"
    intent = client.v1.payment_intents.retrieve(session.payment_intent)
    assert intent.status == "succeeded"
    assert json.loads(json.dumps(intent.metadata.to_dict()))["aftersales_token"] == ORDER.token

    refunded = provider.refund(
        provider_payment_id=intent.id, amount=Decimal("109.00"), currency="EUR"
    )
    assert refunded.refund_id.startswith("re_") and not refunded.by_hand
    assert client.v1.refunds.retrieve(refunded.refund_id).amount == 10900
