"""The case number as a Code 128 barcode and a QR code, for the printed case form (guide: the
form goes into the parcel, and the workshop scans it at reception).

Both are SVG with physical sizes in millimetres, so that what is printed is what was measured:
a hand scanner or a phone reads them from plain office paper.
"""

from __future__ import annotations

import base64
import io
import re

import segno
from barcode import Code128
from barcode.writer import SVGWriter

# Code 128: a 0.33 mm module is 3.9 dots at 300 dpi (the narrowest bar must be ≥ 3 dots to
# survive a cheap laser printer); 12 modules of quiet zone each side (the standard asks for 10).
CODE128_MODULE_MM = 0.33
CODE128_HEIGHT_MM = 13.0
CODE128_QUIET_ZONE_MODULES = 12

# QR code: error correction M (15 % of the symbol may be smudged), 0.75 mm per module (a phone
# camera needs ≥ 0.5 mm), the standard 4-module quiet zone.
QR_ERROR = "m"
QR_MODULE_MM = 0.75
QR_BORDER_MODULES = 4

# python-barcode writes an XML declaration, a DOCTYPE pointing at w3.org and a comment: none
# belongs in a document that must not refer to anything outside itself.
_SVG_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)


def code128_svg(
    text: str, *, module_mm: float = CODE128_MODULE_MM, height_mm: float = CODE128_HEIGHT_MM
) -> str:
    """`text` as a Code 128 barcode, an SVG document without the human-readable line (the form
    prints the case number in large type right above it). A label printer's barcode has modules
    of a whole number of its dots (`labels.LABEL_MODULE_MM`)."""
    writer_options = {
        "module_width": module_mm,
        "module_height": height_mm,
        "quiet_zone": CODE128_QUIET_ZONE_MODULES * module_mm,
        "write_text": False,
        "background": "white",
        "foreground": "black",
    }
    svg = Code128(text, writer=SVGWriter()).render(writer_options).decode("utf-8")
    return _SVG_PROLOGUE.sub("", svg).strip()


def qr_svg(text: str) -> str:
    """`text` as a QR code, an SVG document sized in millimetres."""
    qr = segno.make(text, error=QR_ERROR, micro=False, boost_error=False)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=QR_MODULE_MM,
        unit="mm",
        border=QR_BORDER_MODULES,
        xmldecl=False,
        svgns=True,
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8").strip()


def svg_data_uri(svg: str) -> str:
    """An SVG as a data: URI, the only kind of resource the PDF renderer accepts."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
