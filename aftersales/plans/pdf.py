"""The service contract of a plan as a PDF (FAQ 6: "the service contract you received by e-mail
after your purchase" sets the plan's validity).

The contract is an HTML template (`plans/contract.html`) rendered in the customer's language,
then turned into an A4 PDF by WeasyPrint. Everything it needs is inline: the CSS is in the
template, the fonts are the system's (DejaVu), and nothing is fetched over the network.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Plan
from .selectors import plan_contract_fees, plan_contract_number


def _refuse_remote_resources(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # A contract never loads anything: a stray URL in a template fails here, not in production.
    raise ValueError(f"The service contract may not load {url!r}.")


def contract_context(plan: Plan) -> dict[str, Any]:
    device = plan.device
    return {
        "plan": plan,
        "device": device,
        "customer": device.owner,
        "contract_number": plan_contract_number(plan),
        "fees": plan_contract_fees(plan),
        "express_fee": plan.express_fee if plan.offering.express_offered else None,
        "components": list(plan.offering.components.all()),
        "issued_on": timezone.localdate(),
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "BRAND": settings.AFTERSALES["BRAND"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
    }


def contract_html(plan: Plan, language: str) -> str:
    """The contract as HTML, in `language` (names, dates and numbers too)."""
    with translation.override(language):
        return render_to_string("plans/contract.html", contract_context(plan))


def contract_pdf(plan: Plan, language: str) -> bytes:
    """The contract as an A4 PDF, in `language`."""
    # Imported here: WeasyPrint loads Pango and the fonts, which only the contract needs.
    from weasyprint import HTML

    html = contract_html(plan, language)
    document = HTML(string=html, base_url=None, url_fetcher=_refuse_remote_resources)
    return document.write_pdf()
