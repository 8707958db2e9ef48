"""The case form (guide, "Demande envoyée !"): the A4 PDF the customer prints and puts in the
parcel, so that the workshop knows whose unit it is and what to do with it.

The form is an HTML template (`repairs/case_form.html`) rendered in the case's language, then
turned into a PDF by WeasyPrint, as the plans' service contract is. The case number is printed
in large type, as a Code 128 barcode and as a QR code, both inline (data: URIs); the CSS is in
the template, the fonts are the system's (DejaVu), and nothing is fetched over the network.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .barcodes import code128_svg, qr_svg, svg_data_uri
from .choices import Problem, Shipment
from .models import RepairRequest
from .selectors import express_terms, snapshot_address_lines


def _data_uris_only() -> Any:
    """WeasyPrint's fetcher, limited to data: URIs (the barcodes). Any other URL — a stray link
    to a stylesheet, a font, an image — stops the rendering: it fails here, not in production."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def case_language(repair_request: RepairRequest) -> str:
    """The language the customer filed the case in, else the one of their account."""
    return (
        repair_request.language
        or getattr(repair_request.user, "preferred_language", "")
        or settings.LANGUAGE_CODE
    )


def problem_labels(values: list[str]) -> list[str]:
    """The ticked problems in the guide's words, in the order of the guide's lists."""
    order = {value: position for position, value in enumerate(Problem.values)}
    known = sorted((value for value in values if value in order), key=order.__getitem__)
    return [str(Problem(value).label) for value in known]


# The printed form is one sheet whatever the customer typed (issue 7, item 8): a long description
# is cut on paper (shorter since an Express case prints its fee and deadline), and the workshop
# reads it whole on the case.
DESCRIPTION_ON_PAPER = 280


def case_form_context(repair_request: RepairRequest) -> dict[str, Any]:
    case_number = repair_request.case_number or ""
    product_model = repair_request.product_model or (
        repair_request.device.model if repair_request.device else None
    )
    snapshot = repair_request.return_address_snapshot or {}
    component = (
        repair_request.component
        if repair_request.shipment == Shipment.DEFECTIVE_COMPONENT
        else None
    )
    return {
        "case": repair_request,
        "case_number": case_number,
        "customer": repair_request.user,
        "product_name": product_model.display_name if product_model else "",
        "serial_number": repair_request.serial_number
        or (repair_request.device.serial_number if repair_request.device else ""),
        "plan": repair_request.plan,
        "express": express_terms(repair_request),
        "problems": problem_labels(repair_request.problems or []),
        "description": _excerpt(repair_request.description or "", DESCRIPTION_ON_PAPER),
        "description_cut": len(repair_request.description or "") > DESCRIPTION_ON_PAPER,
        "component": component,
        "return_address": snapshot_address_lines(snapshot),
        "return_phone": snapshot.get("phone", ""),
        "return_vat_number": snapshot.get("vat_number", ""),
        "centre": repair_request.repair_centre,
        "barcode_uri": svg_data_uri(code128_svg(case_number)),
        "qr_uri": svg_data_uri(qr_svg(case_number)),
        "BRAND": settings.AFTERSALES["BRAND"],
        "SITE_NAME": settings.AFTERSALES["SITE_NAME"],
        "SUPPORT_EMAIL": settings.AFTERSALES["SUPPORT_EMAIL"],
    }


def _excerpt(text: str, limit: int) -> str:
    """`text` cut at the last word boundary before `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;.") + "…"


def case_form_html(repair_request: RepairRequest, language: str | None = None) -> str:
    """The case form as HTML, in `language` (default: the case's), dates and names included."""
    with translation.override(language or case_language(repair_request)):
        return render_to_string("repairs/case_form.html", case_form_context(repair_request))


def case_form_pdf(repair_request: RepairRequest, language: str | None = None) -> bytes:
    """The case form as an A4 PDF, in `language` (default: the case's)."""
    # Imported here: WeasyPrint loads Pango and the fonts, which only the documents need.
    from weasyprint import HTML

    html = case_form_html(repair_request, language)
    document = HTML(string=html, base_url=None, url_fetcher=_data_uris_only())
    return document.write_pdf()
