"""What the support tests share: a valid contact form, the captcha's answer, and tickets."""

from __future__ import annotations

import re
from typing import Any

from captcha.models import CaptchaStore
from django.core import mail
from django.urls import reverse

from aftersales.catalog.tests.factories import ProductModelFactory

LINK = re.compile(r"https?://[^\s]+/support/t/([0-9a-f]{64})/")


def captcha_answer(client: Any) -> dict[str, str]:
    """The code of the captcha the contact page just drew, as a person reads it."""
    page = client.get(reverse("support:contact")).content.decode()
    found = re.search(r'name="captcha_0" value="([^"]+)"', page)
    if found is None:  # logged in: no code to type
        return {}
    key = found.group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def contact_data(client: Any, **changes: Any) -> dict[str, Any]:
    model = changes.pop("model", None) or ProductModelFactory()
    data = {
        "product_model": model.pk,
        "full_name": "Élodie Martin",
        "continent": "europe",
        "country": "FR",
        "email": "elodie@example.com",
        "phone": "+33 6 12 34 56 78",
        "problem_type": "repair",
        "reseller_name": "Boutique Drone Lyon",
        "serial_number": "163cg12345",
        "subject": "Mon drone ne s'allume plus",
        "description": "Après une chute, le drone ne démarre plus.",
        **captcha_answer(client),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def link_token_in_last_mail() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)  # type: ignore[union-attr]


def ticket_made(client: Any, **changes: Any) -> Any:
    """A ticket sent through the contact form; returns it with its private link's token."""
    from aftersales.support.models import Ticket

    response = client.post(reverse("support:contact"), contact_data(client, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.order_by("-pk").first()
    return ticket, link_token_in_last_mail()


def ticket_at(created_at: Any, **fields: Any) -> Any:
    """A ticket opened at `created_at` (as the contact form makes one, without its e-mail)."""
    import secrets

    from aftersales.support.models import Ticket

    return Ticket.objects.create(
        number=f"SUP-{secrets.token_hex(4).upper()}",
        full_name="Élodie Martin",
        continent="europe",
        email="elodie@example.com",
        subject="Mon drone ne s'allume plus",
        description="Après une chute, le drone ne démarre plus.",
        language="fr",
        reply_token=secrets.token_hex(10),
        created_at=created_at,
        last_activity_at=created_at,
        **fields,
    )


class Clock:
    """Moves `timezone.now()` (the services' clock) to a given moment, for the measures."""

    def __init__(self, monkeypatch: Any) -> None:
        self.monkeypatch = monkeypatch

    def set(self, moment: Any) -> None:
        from django.utils import timezone

        self.monkeypatch.setattr(timezone, "now", lambda: moment)
