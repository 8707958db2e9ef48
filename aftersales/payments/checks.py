"""Configuration checks (`manage.py check`): a provider named in PAYMENTS that does not exist,
or an online one without its keys (it would silently not be offered)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

from . import providers


@register()
def payment_providers_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    config = settings.PAYMENTS
    named = set(config["PROVIDERS"])
    for codes in config["CENTRE_PROVIDERS"].values():
        named.update(codes)
    found = []
    for code in sorted(named):
        provider = providers.provider(code)
        if provider is None:
            found.append(
                Warning(
                    f"Unknown payment provider {code!r} in AFTERSALES_PAYMENT_PROVIDERS.",
                    hint=f"Known: {', '.join(providers.PROVIDERS)}.",
                    id="payments.W001",
                )
            )
        elif not provider.is_configured():
            found.append(
                Warning(
                    f"The payment provider {code!r} is offered but not configured: it is left out.",
                    hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.",
                    id="payments.W002",
                )
            )
    return found
