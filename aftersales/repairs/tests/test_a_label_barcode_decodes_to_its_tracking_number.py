"""A parcel label (A6, for a 203 dpi label printer) carries the carrier's name, both addresses,
the case number and the tracking number as a Code 128 barcode that decodes — with zbar, from the
page rendered at 203 dpi by poppler — to exactly the tracking number. The same label as ZPL
(zebrafy) is read back by zebrafy's own parser into a picture whose barcode decodes too.

Without pdftoppm or zbarimg the decoding is skipped, except in CI where it fails (as for the
case form's barcodes)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from zebrafy import ZebrafyZPL

from aftersales.repairs.carriers import Parcel
from aftersales.repairs.labels import PRINTER_DPI, label_pdf, label_zpl

from .parcels_cast import UPS_EXAMPLE
from .test_case_form_barcodes_decode_to_the_case_number import decoders  # noqa: F401

PARCEL = Parcel(
    case_number="CAS-2612345-ABCDEF",
    direction="inbound",
    sender=["Alice Durand", "12 rue de la Paix", "75002 Paris", "France"],
    recipient=["DJI REPAIR DEPT", "Bijldorp-Oost 6", "2992LA Barendrecht", "Netherlands"],
    language="fr",
)


def zbar(png: Path) -> list[str]:
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.split()


def rendered_at_203_dpi(pdf: bytes, tmp_path: Path) -> Path:
    source = tmp_path / "label.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(PRINTER_DPI),
            "-png",
            "-singlefile",
            str(source),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    return tmp_path / "p.png"


@pytest.mark.parametrize("number", [UPS_EXAMPLE, "RR123456785NL"])
def test_the_barcode_decodes_to_the_tracking_number_at_203_dpi(decoders, tmp_path, number):  # noqa: F811
    pdf = label_pdf(PARCEL, carrier_name="UPS", tracking_number=number)

    assert zbar(rendered_at_203_dpi(pdf, tmp_path)) == [number]


def test_the_label_is_a6_with_the_carrier_both_addresses_and_the_case(tmp_path):
    pdf = label_pdf(PARCEL, carrier_name="UPS", tracking_number=UPS_EXAMPLE)

    [page] = PdfReader(io.BytesIO(pdf)).pages
    width_mm = float(page.mediabox.width) * 25.4 / 72
    height_mm = float(page.mediabox.height) * 25.4 / 72
    assert (round(width_mm), round(height_mm)) == (105, 148)
    text = " ".join(page.extract_text().split())
    for expected in ("UPS", "Alice Durand", "75002 Paris", "DJI REPAIR DEPT", "2992LA Barendrecht"):
        assert expected in text
    assert "CAS-2612345-ABCDEF" in text and UPS_EXAMPLE in text
    # In the parcel's language (French here).
    assert "étiquette de retour prépayée" in text.lower() and "destinataire" in text.lower()


def test_the_zpl_is_read_back_by_zebrafy_and_its_barcode_decodes(decoders, tmp_path):  # noqa: F811
    pdf = label_pdf(PARCEL, carrier_name="UPS", tracking_number=UPS_EXAMPLE)

    zpl = label_zpl(pdf)

    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert "^GFA" in zpl and ":Z64:" in zpl  # one compressed graphic field, its CRC checked
    [picture] = ZebrafyZPL(zpl).to_images()
    # A6 at 203 dpi: 105 mm × 148 mm is 839 × 1183 dots (rows padded to whole bytes).
    assert (abs(picture.width - 840) <= 8, abs(picture.height - 1183) <= 2) == (True, True)
    png = tmp_path / "zpl.png"
    picture.save(png)
    assert zbar(png) == [UPS_EXAMPLE]
    # Back to PDF by the converter too (what a print preview would show).
    assert ZebrafyZPL(zpl).to_pdf().startswith(b"%PDF")
