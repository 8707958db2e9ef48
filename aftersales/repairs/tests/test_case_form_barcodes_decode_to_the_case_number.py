"""The workshop scans the case form at reception: its Code 128 barcode and its QR code must
decode to exactly the case number. Checked with a real decoder on the PDF printed at 300 dpi
(poppler's pdftoppm, then zbar's zbarimg), as a scanner would see the paper.

Without pdftoppm or zbarimg the decoding tests are skipped with the reason, except in CI (CI=true)
where a missing decoder fails them: a green CI must have decoded the symbols.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import segno

from aftersales.core.tests.browser.plugin import BrowserDecision, is_ci
from aftersales.repairs.barcodes import (
    CODE128_MODULE_MM,
    QR_BORDER_MODULES,
    code128_svg,
    qr_svg,
)
from aftersales.repairs.pdf import case_form_pdf
from aftersales.repairs.tests.factories import SubmittedCaseFactory

DECODERS = ("pdftoppm", "zbarimg")


def decoder_decision(
    environ: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> BrowserDecision:
    """Run, skip or fail the decoding tests: the browser tests' rule, for poppler and zbar."""
    import os

    environ = os.environ if environ is None else environ
    missing = [tool for tool in DECODERS if which(tool) is None]
    if not missing:
        return BrowserDecision("run")
    hint = "apt-get install poppler-utils zbar-tools"
    if is_ci(environ):
        return BrowserDecision(
            "fail", f"{', '.join(missing)} not found and CI is set — barcodes not decoded; {hint}"
        )
    return BrowserDecision("skip", f"{', '.join(missing)} not found — barcodes not decoded; {hint}")


@pytest.fixture
def decoders() -> None:
    decision = decoder_decision()
    if decision.action == "fail":
        pytest.fail(decision.reason, pytrace=False)
    if decision.action == "skip":
        pytest.skip(decision.reason)


def decoded_symbols(pdf: bytes, folder: Path) -> list[tuple[str, str]]:
    """(symbology, data) for every symbol zbar finds on the form printed at 300 dpi."""
    (folder / "form.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", str(folder / "form.pdf"), str(folder / "page")],
        check=True,
        timeout=60,
    )
    symbols = []
    for page in sorted(folder.glob("page*.png")):
        # zbarimg exits with 4 when a page has no symbol: that is an answer, not an error.
        result = subprocess.run(
            ["zbarimg", "-q", str(page)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode in (0, 4), result.stderr
        for line in result.stdout.splitlines():
            symbology, _, data = line.partition(":")
            symbols.append((symbology, data))
    return symbols


@pytest.fixture
def case(customer):
    return SubmittedCaseFactory(user=customer)


def test_the_code_128_barcode_decodes_to_the_case_number(decoders, case, tmp_path):
    symbols = decoded_symbols(case_form_pdf(case, "en"), tmp_path)
    assert [data for symbology, data in symbols if symbology == "CODE-128"] == [case.case_number]


def test_the_qr_code_decodes_to_the_case_number(decoders, case, tmp_path):
    # In French too: the language changes the text around the symbols, never the symbols.
    symbols = decoded_symbols(case_form_pdf(case, "fr"), tmp_path)
    assert [data for symbology, data in symbols if symbology == "QR-Code"] == [case.case_number]


def test_without_decoders_the_tests_are_skipped_but_fail_in_ci():
    def nothing_installed(tool: str) -> str | None:
        return None

    def only_poppler(tool: str) -> str | None:
        return "/usr/bin/pdftoppm" if tool == "pdftoppm" else None

    assert decoder_decision({}, shutil.which).action in {"run", "skip"}
    assert decoder_decision({}, lambda tool: f"/usr/bin/{tool}").action == "run"
    assert decoder_decision({"CI": "true"}, lambda tool: f"/usr/bin/{tool}").action == "run"
    skipped = decoder_decision({}, only_poppler)
    assert skipped.action == "skip"
    assert "zbarimg" in skipped.reason
    assert "pdftoppm" not in skipped.reason.split(" not found")[0]
    failed = decoder_decision({"CI": "true"}, nothing_installed)
    assert failed.action == "fail"
    assert "pdftoppm, zbarimg" in failed.reason


def test_the_bars_are_wide_enough_and_the_quiet_zones_wide_enough_to_read_from_paper():
    svg = code128_svg("CAS-2600001-ABCDEF")
    assert "<?xml" not in svg and "DOCTYPE" not in svg  # nothing that points outside
    bars = [
        (float(x), float(width))
        for x, width in re.findall(r'<rect x="([\d.]+)mm" y="[\d.]+mm" width="([\d.]+)mm"', svg)
    ]
    total_width = float(re.search(r'<svg[^>]* width="([\d.]+)mm"', svg).group(1))
    narrowest = min(width for _, width in bars)
    # At 300 dpi a 0.3 mm bar is 3.5 dots: the narrowest must not be thinner.
    assert narrowest >= 0.3
    assert narrowest == pytest.approx(CODE128_MODULE_MM)
    first_bar = bars[0][0]
    last_bar_end = bars[-1][0] + bars[-1][1]
    assert first_bar >= 10 * narrowest
    assert total_width - last_bar_end >= 10 * narrowest


def test_the_qr_code_has_half_millimetre_modules_and_its_quiet_zone():
    svg = qr_svg("CAS-2600001-ABCDEF")
    size_mm = float(re.search(r'<svg[^>]* width="([\d.]+)mm"', svg).group(1))
    modules, _ = segno.make("CAS-2600001-ABCDEF", error="m").symbol_size(scale=1, border=0)
    assert size_mm / (modules + 2 * QR_BORDER_MODULES) >= 0.5
    assert QR_BORDER_MODULES >= 4
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg  # a standalone image, not an HTML snippet
