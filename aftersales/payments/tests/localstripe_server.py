"""localstripe (a stateful fake of Stripe's API, from PyPI) on 127.0.0.1, for the tests: run as
`python -m aftersales.payments.tests.localstripe_server --port N`.

localstripe implements PaymentIntents, PaymentMethods, Charges, Refunds and signed webhooks,
but not Checkout Sessions. This module adds the smallest Checkout on top of them, so that the
tests run the real flow of the app's Stripe provider — a Checkout Session created through the
official `stripe` package, a redirect to the hosted payment page, the customer sent back, the
signed webhooks — without the internet:

- `POST /v1/checkout/sessions` (mode "payment", one line item with `price_data`) and
  `GET /v1/checkout/sessions/{id}`: a session object with Stripe's fields (`id` cs_…, `url`,
  `amount_total`, `currency`, `client_reference_id`, `metadata`, `status`,
  `payment_status`, `payment_intent`);
- `/checkout/pay/{id}`: the hosted page, a card form (test cards as localstripe knows them:
  4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined). Paying creates a localstripe
  PaymentMethod and PaymentIntent (with `payment_intent_data.metadata`) and confirms it:
  localstripe itself charges the card and sends `payment_intent.succeeded`, signed; the
  session then sends `checkout.session.completed` through localstripe's own webhook code, a
  little later (`SESSION_EVENT_DELAY`), as Stripe sends both;
- `POST /_config/webhooks_hold` and `/_config/webhooks_release`: webhooks kept back until the
  test releases them (the customer back on the site before the provider's word).

Nothing is written to /tmp/localstripe.pickle (localstripe's own store file, shared by every
localstripe on the machine): this one keeps its state in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import html
from typing import Any

from aiohttp import web
from localstripe import resources, server, webhooks
from localstripe.errors import UserError
from localstripe.resources import Event, PaymentIntent, PaymentMethod, StripeObject

SESSION_EVENT_DELAY = 2.0
# The webhooks on their way (a task must be referenced until it ends).
PENDING: set[asyncio.Future[None]] = set()

resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]


class CheckoutSession(StripeObject):
    object = "checkout.session"
    _id_prefix = "cs_test_"

    def __init__(
        self,
        mode: Any = None,
        line_items: Any = None,
        success_url: Any = None,
        cancel_url: Any = None,
        client_reference_id: Any = None,
        metadata: Any = None,
        payment_intent_data: Any = None,
        customer_email: Any = None,
        locale: Any = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs))
        try:
            assert mode == "payment"
            assert isinstance(line_items, list) and len(line_items) == 1
            item = line_items[0]
            price = item["price_data"]
            amount = int(price["unit_amount"]) * int(item.get("quantity", 1))
            currency = str(price["currency"])
            name = str(price["product_data"]["name"])
            assert amount > 0 and currency
            assert isinstance(success_url, str) and success_url.startswith("http")
            assert isinstance(cancel_url, str) and cancel_url.startswith("http")
        except (AssertionError, KeyError, TypeError, ValueError) as error:
            raise UserError(400, "Bad request") from error
        super().__init__()
        self.mode = mode
        self.amount_total = amount
        self.currency = currency
        self.client_reference_id = client_reference_id
        self.metadata = metadata or {}
        self.customer_email = customer_email
        self.locale = locale or "auto"
        self.success_url = success_url
        self.cancel_url = cancel_url
        self.status = "open"
        self.payment_status = "unpaid"
        self.payment_intent = None
        self.url = None
        self._name = name
        self._intent_metadata = (payment_intent_data or {}).get("metadata") or {}


async def session_create(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    data.pop("expand", None)
    session = CheckoutSession(**data)
    session.url = f"{request.url.origin()}/checkout/pay/{session.id}"
    return server.json_response(session._export())


def session_retrieve(request: web.Request) -> web.Response:
    session = CheckoutSession._api_retrieve(request.match_info["id"])
    return server.json_response(session._export())


WORDS = {
    "en": {
        "title": "Pay",
        "card": "Card number",
        "expiry": "Expiry (MM/YY)",
        "cvc": "Security code",
        "pay": "Pay",
        "cancel": "Cancel and go back",
        "declined": "Your card was declined.",
        "test": "Test mode: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.",
    },
    "fr": {
        "title": "Payer",
        "card": "Numéro de carte",
        "expiry": "Date d'expiration (MM/AA)",
        "cvc": "Code de sécurité",
        "pay": "Payer",
        "cancel": "Annuler et revenir",
        "declined": "Votre carte a été refusée.",
        "test": "Mode test : 4242 4242 4242 4242 paie, 4000 0000 0000 0002 est refusée.",
    },
}


def _page(session: CheckoutSession, error: str = "") -> web.Response:
    lang = "fr" if session.locale == "fr" else "en"
    words = WORDS[lang]
    amount = f"{session.amount_total / 100:.2f} {session.currency.upper()}"
    alert = f'<p role="alert" id="card-error">{html.escape(error)}</p>' if error else ""
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{words["title"]} {amount} – localstripe Checkout</title></head>
<body><main>
<h1>{words["title"]} {amount}</h1>
<p id="description">{html.escape(session._name)}</p>
{alert}
<form method="post">
<p><label for="number">{words["card"]}</label><br>
<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required></p>
<p><label for="expiry">{words["expiry"]}</label><br>
<input id="expiry" name="expiry" autocomplete="cc-exp" required></p>
<p><label for="cvc">{words["cvc"]}</label><br>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required></p>
<p><button type="submit">{words["pay"]} {amount}</button></p>
</form>
<p><a href="{html.escape(session.cancel_url)}">{words["cancel"]}</a></p>
<p><small>{words["test"]}</small></p>
</main></body></html>"""
    return web.Response(text=body, content_type="text/html")


async def hosted_page(request: web.Request) -> web.StreamResponse:
    session = CheckoutSession._api_retrieve(request.match_info["id"])
    if request.method == "GET":
        return _page(session)
    if session.status != "open":
        raise web.HTTPSeeOther(session.success_url)
    form = await request.post()
    number = "".join(str(form.get("number", "")).split())
    month, _sep, year = str(form.get("expiry", "")).partition("/")
    try:
        method = PaymentMethod(
            type="card",
            card={
                "number": number,
                "exp_month": month.strip(),
                "exp_year": year.strip(),
                "cvc": str(form.get("cvc", "")).strip(),
            },
        )
        if method._attaching_is_declined():
            # Stripe's generic decline card (localstripe refuses it when it is attached).
            raise UserError(402, "Your card was declined.")
        intent = PaymentIntent(
            amount=session.amount_total,
            currency=session.currency,
            payment_method=method.id,
            metadata=dict(session._intent_metadata),
        )
        intent._confirm(on_failure_now=intent._report_failure)
    except UserError:
        words = WORDS["fr" if session.locale == "fr" else "en"]
        return _page(session, error=words["declined"])
    session.payment_intent = intent.id
    session.status = "complete"
    session.payment_status = "paid"
    event = Event("checkout.session.completed", session)

    async def later() -> None:
        await asyncio.sleep(SESSION_EVENT_DELAY)
        await webhooks._send_webhook(event)

    PENDING.add(asyncio.ensure_future(later()))
    raise web.HTTPSeeOther(session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id))


# A test may hold the webhooks (to see the site before the provider's word arrives), then
# release them, in the order they were made: `POST /_config/webhooks_hold` and
# `POST /_config/webhooks_release`.
HOLD = {"on": False}
HELD: list[Event] = []
_send_webhook = webhooks._send_webhook


async def _send_or_hold(event: Event) -> None:
    if HOLD["on"]:
        HELD.append(event)
        return
    await _send_webhook(event)


webhooks._send_webhook = _send_or_hold


async def webhooks_hold(request: web.Request) -> web.Response:
    HOLD["on"] = True
    return web.Response()


async def webhooks_release(request: web.Request) -> web.Response:
    HOLD["on"] = False
    held = list(HELD)
    HELD.clear()

    async def in_order() -> None:
        for event in held:
            await _send_webhook(event)

    PENDING.add(asyncio.ensure_future(in_order()))
    return web.Response()


@web.middleware
async def auth_unless_hosted_page(request: web.Request, handler: Any) -> web.StreamResponse:
    """localstripe asks every route for an API key; the hosted page is the customer's."""
    if request.path.startswith("/checkout/pay/"):
        return await handler(request)
    return await server.auth_middleware(request, handler)


def app() -> web.Application:
    application = server.app
    middlewares = application.middlewares
    if server.auth_middleware in middlewares:
        middlewares[middlewares.index(server.auth_middleware)] = auth_unless_hosted_page
        application.router.add_post("/v1/checkout/sessions", session_create)
        application.router.add_get("/v1/checkout/sessions/{id}", session_retrieve)
        application.router.add_route("*", "/checkout/pay/{id}", hosted_page)
        application.router.add_post("/_config/webhooks_hold", webhooks_hold)
        application.router.add_post("/_config/webhooks_release", webhooks_release)
    return application


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
