"""Parcel labels as the repair centre prints them (its own carrier account, `carriers.own_account`):
an A6 PDF (105 × 148 mm, the size of thermal label printers' labels) with the carrier's name, the
sender and the recipient, the case number and the tracking number as a Code 128 barcode; and the
same label as ZPL for Zebra printers, converted from the PDF by zebrafy (no hand-written ZPL).

The barcode's narrowest bar is 3 dots of a 203 dpi printer (0.375 mm), so that it prints sharp
on the commonest label printers and decodes from a page rendered at that resolution (tested with
zbar).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .barcodes import code128_svg, svg_data_uri
from .carriers.base import Parcel
from .choices import ParcelDirection

PRINTER_DPI = 203
# 3 dots at 203 dpi: 3 × 25.4 / 203 mm.
LABEL_MODULE_MM = 3 * 25.4 / PRINTER_DPI
LABEL_BARCODE_HEIGHT_MM = 22.0


def label_html(parcel: Parcel, *, carrier_name: str, tracking_number: str) -> str:
    context: dict[str, Any] = {
        "parcel": parcel,
        "inbound": parcel.direction == ParcelDirection.INBOUND,
        "carrier_name": carrier_name,
        "tracking_number": tracking_number,
        "barcode_uri": svg_data_uri(
            code128_svg(
                tracking_number, module_mm=LABEL_MODULE_MM, height_mm=LABEL_BARCODE_HEIGHT_MM
            )
        ),
        "printed_on": timezone.localdate(),
        "BRAND": settings.AFTERSALES["BRAND"],
    }
    with translation.override(parcel.language):
        return render_to_string("repairs/label.html", context)


def label_pdf(parcel: Parcel, *, carrier_name: str, tracking_number: str) -> bytes:
    """The A6 label of `parcel`, in the parcel's language."""
    from weasyprint import HTML

    from .pdf import _data_uris_only

    html = label_html(parcel, carrier_name=carrier_name, tracking_number=tracking_number)
    return HTML(string=html, base_url=None, url_fetcher=_data_uris_only()).write_pdf()


def label_zpl(pdf: bytes) -> str:
    """The label PDF as ZPL for a 203 dpi Zebra printer: one graphic field per page, compressed
    (Z64), black and white without dithering so that the barcode's edges stay straight."""
    from zebrafy import ZebrafyPDF

    return str(
        ZebrafyPDF(
            pdf,
            dpi=PRINTER_DPI,
            format="Z64",
            dither=False,
            threshold=160,
            complete_zpl=True,
            set_label_size=True,
        ).to_zpl()
    )
