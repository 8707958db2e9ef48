"""The support's benchmark data (`make bench`, issue 10). The inbox queue p95 ≤ 100 ms with
100,000 tickets: tickets in every queue, mostly closed as after a year of support, each with its
first message, written in batches. The contact form's submission p99 ≤ 150 ms: logged-out
visitors, each with what the form's page gave their browser (`bench_contact_load`)."""

from __future__ import annotations

import base64
import random
import secrets
import string
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from captcha.models import CaptchaStore
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone

from aftersales.devices.models import Device
from aftersales.support.choices import MessageChannel, MessageKind, TicketStatus
from aftersales.support.measures import business_seconds, support_calendar
from aftersales.support.models import Ticket, TicketMessage

from .data import DEVICE_PREFIX, SEED, vacuum_analyze

BATCH = 5_000
# A year of support: most tickets closed, a few thousand open in the queues.
SHARES = (
    (TicketStatus.CLOSED, 0.90),
    (TicketStatus.WAITING_CUSTOMER, 0.04),
    (TicketStatus.WAITING_US, 0.03),
    (TicketStatus.NEW, 0.02),
    (TicketStatus.TO_SORT, 0.01),
)


def bench_support_load(*, tickets: int, progress: Callable[[int], object] = lambda n: None) -> int:
    rng = random.Random(10)
    calendar = support_calendar()  # the measures kept on each ticket (issue 10, item 5)
    now = timezone.now()
    statuses = [status for status, _share in SHARES]
    weights = [share for _status, share in SHARES]
    made = 0
    while made < tickets:
        size = min(BATCH, tickets - made)
        rows = []
        for i in range(made, made + size):
            status = rng.choices(statuses, weights)[0]
            created = now - timedelta(minutes=rng.randrange(1, 525_600))
            responded = (
                None
                if status in (TicketStatus.NEW, TicketStatus.TO_SORT)
                else created + timedelta(hours=rng.randrange(1, 48))
            )
            closed = (
                created + timedelta(days=rng.randrange(1, 20))
                if status == TicketStatus.CLOSED
                else None
            )
            rows.append(
                Ticket(
                    number=f"SUP-B{i:07d}",
                    status=status,
                    full_name=f"Client {i}",
                    continent="europe",
                    country="FR",
                    email=f"bench-ticket-{i}@example.com",
                    subject="Mon drone ne démarre plus",
                    description="Après une chute, le drone ne démarre plus.",
                    language="fr" if i % 2 else "en",
                    reply_token=secrets.token_hex(10),
                    created_at=created,
                    last_activity_at=created + timedelta(hours=rng.randrange(0, 200)),
                    first_response_at=responded,
                    first_response_seconds=(
                        business_seconds(created, responded, calendar) if responded else None
                    ),
                    closed_at=closed,
                    resolution_seconds=(
                        business_seconds(created, closed, calendar) if closed else None
                    ),
                )
            )
        with transaction.atomic():
            saved = Ticket.objects.bulk_create(rows)
            TicketMessage.objects.bulk_create(
                TicketMessage(
                    ticket=ticket,
                    kind=MessageKind.CUSTOMER,
                    channel=MessageChannel.FORM,
                    from_email=ticket.email,
                    body=ticket.description,
                )
                for ticket in saved
            )
        made += size
        progress(size)
    vacuum_analyze(Ticket, TicketMessage)
    return made


# --- The contact form (issue 10: its submission p99 ≤ 150 ms) ----------------------------------

CONTACT_EMAIL = "bench-contact-{:05d}@example.com"
# Each visitor names one of the benchmark's devices (its model and serial number), in turn.
CONTACT_DEVICES = 500
# The verification codes are drawn before a run that lasts longer than the half hour a code
# drawn by the page lives (CAPTCHA_TIMEOUT): the field still checks that it has not expired.
CONTACT_CODE_LIFETIME = timedelta(days=1)


def bench_contact_load(*, visitors: int) -> dict[str, Any]:
    """`visitors` logged-out customers as the contact form's page leaves their browsers: a
    verification code drawn for each (a CaptchaStore row with its answer, used once: the form
    deletes it), a CSRF cookie and the page's token for it, a language; and what each types
    (name, e-mail, a benchmark device's model and serial number). Plus the proof of purchase
    they all attach (a one-page invoice, PDF). Returns the manifest the load generator reads."""
    if CaptchaStore.objects.filter(challenge__startswith="BENCH").exists():
        raise ValueError("The contact form's benchmark data is already loaded.")
    devices = list(
        Device.objects.filter(serial_number__startswith=DEVICE_PREFIX)
        .order_by("pk")
        .values_list("model_id", "serial_number")[:CONTACT_DEVICES]
    )
    if not devices:
        raise ValueError("No benchmark devices: run bench_data first.")
    rng = random.Random(SEED + 10)
    expiration = timezone.now() + CONTACT_CODE_LIFETIME
    letters = string.ascii_lowercase
    people = []
    codes = []
    for i in range(visitors):
        model_id, serial_number = devices[i % len(devices)]
        response = "".join(rng.choices(letters, k=5))
        hashkey = secrets.token_hex(20)  # as the library's: 40 hexadecimal digits
        codes.append(
            CaptchaStore(
                challenge=f"BENCH{response.upper()}",
                response=response,
                hashkey=hashkey,
                expiration=expiration,
            )
        )
        csrf = "".join(rng.choices(string.ascii_letters + string.digits, k=32))
        people.append(
            {
                "csrf": csrf,
                # The masked token the page's form carries for that cookie.
                "token": _csrf_form_token(csrf),
                "language": "fr" if i % 2 else "en",
                "captcha_0": hashkey,
                "captcha_1": response,
                "product_model": model_id,
                # Typed as it is printed on the box, in lower case now and then (the form
                # writes it in upper case).
                "serial_number": serial_number.lower() if i % 3 == 0 else serial_number,
                "full_name": f"Client {i:05d}",
                "email": CONTACT_EMAIL.format(i),
            }
        )
    CaptchaStore.objects.bulk_create(codes, batch_size=BATCH)
    return {
        "visitors": people,
        "proof_of_purchase": base64.b64encode(invoice_pdf()).decode("ascii"),
    }


def _csrf_form_token(secret: str) -> str:
    request = HttpRequest()
    request.META["CSRF_COOKIE"] = secret
    return get_token(request)


def invoice_pdf() -> bytes:
    """A reseller's one-page invoice, as a customer attaches it (WeasyPrint, a few kilobytes)."""
    from weasyprint import HTML

    html = """<html><head><style>
    @page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt }
    table { width: 100%; border-collapse: collapse } td, th { border-bottom: 1px solid #999 }
    </style></head><body>
    <h1>Boutique Drone Lyon</h1><p>12 rue de la République, 69002 Lyon · SIRET 812 345 678 00019</p>
    <h2>Facture n° F-2026-04817</h2><p>Date : 14 mars 2026 · Client : Élodie Martin</p>
    <table><tr><th>Article</th><th>Qté</th><th>Prix TTC</th></tr>
    <tr><td>DJI Mavic 3 Classic</td><td>1</td><td>1 599,00 €</td></tr>
    <tr><td>Batterie de vol intelligente</td><td>1</td><td>189,00 €</td></tr></table>
    <p>Total TTC : 1 788,00 € (dont TVA 20 % : 298,00 €). Payé par carte bancaire.</p>
    </body></html>"""
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"The invoice fetches nothing: {url}")
