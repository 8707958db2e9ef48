"""Issue 4: a 26 MB file and an executable renamed `.pdf` are refused with clear messages, in the
browser, while every other answer of the step stays; a good invoice is then kept and shown.
Issue 7: so is a PDF that runs JavaScript; on the flight data analysis step, of several logs
chosen at once the good ones are kept and the one in disguise is named at the field."""

from __future__ import annotations

import re

import pytest
from pikepdf import Dictionary, Name, String
from playwright.sync_api import expect

from aftersales.repairs.choices import AttachmentKind
from aftersales.repairs.models import Attachment, RepairRequest

from . import sample_files
from .test_browser_guided_repair_request import (
    check,
    choose_zone,
    log_in,
    next_step,
    start_request,
)
from .wizard_cast import *  # noqa: F403

pytestmark = pytest.mark.browser

PDF = sample_files.pdf()


def run_javascript_on_open(pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(S=Name.JavaScript, JS=String("app.alert('hello')"))
    )


def reach_the_purchase_step(page, europe, mine) -> None:
    start_request(page)
    choose_zone(page, europe)
    check(page, "way", "serial")
    page.fill("#id_serial", mine.serial_number)
    expect(page.locator("#serial-recognised")).to_contain_text("Mavic 2 Pro")
    next_step(page)
    check(page, "service_type", "repair")
    next_step(page)
    check(page, "problems", "battery")
    page.fill("#id_description", "The battery no longer charges.")
    page.locator("#id_support_contacted").check()
    next_step(page)
    expect(page).to_have_url(re.compile(r"/purchase/$"))


def fill_the_purchase(page) -> None:
    page.select_option("#id_purchase_channel", "authorised_dealer")
    page.fill("#id_received_on", "2026-01-02")


def expect_answers_kept(page) -> None:
    expect(page.locator("#id_purchase_channel")).to_have_value("authorised_dealer")
    expect(page.locator("#id_received_on")).to_have_value("2026-01-02")


def test_a_too_big_file_and_a_disguised_program_are_refused_and_nothing_else_is_lost(
    page, customer, europe, north_america, repair_centre, mine, tmp_path
):
    log_in(page, customer)
    reach_the_purchase_step(page, europe, mine)
    invoice_field = page.locator(".field", has=page.locator("#id_invoice"))

    # 26 MB: over the guide's limit of 25 MB.
    big = tmp_path / "facture.pdf"
    big.write_bytes(PDF + b"0" * (26 * 1024 * 1024))
    fill_the_purchase(page)
    page.set_input_files("#id_invoice", str(big))
    next_step(page)
    expect(page).to_have_url(re.compile(r"/purchase/$"))
    expect(invoice_field.locator(".errorlist")).to_contain_text("25 MB")
    expect_answers_kept(page)

    # A Windows program renamed .pdf: the content decides, not the name.
    program = tmp_path / "invoice.pdf"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2048)
    page.set_input_files("#id_invoice", str(program))
    next_step(page)
    expect(page).to_have_url(re.compile(r"/purchase/$"))
    expect(invoice_field.locator(".errorlist")).to_contain_text("invoice.pdf")
    expect_answers_kept(page)

    # A PDF that runs JavaScript when it is opened: refused, saying what to send instead.
    scripted = tmp_path / "facture-script.pdf"
    scripted.write_bytes(sample_files.pdf(change=run_javascript_on_open))
    page.set_input_files("#id_invoice", str(scripted))
    next_step(page)
    expect(page).to_have_url(re.compile(r"/purchase/$"))
    expect(invoice_field.locator(".errorlist")).to_contain_text("facture-script.pdf")
    expect(invoice_field.locator(".errorlist")).to_contain_text("plain PDF")
    expect_answers_kept(page)
    assert not Attachment.objects.exists()

    # A real PDF goes through; coming back to the step shows it, not asked again.
    good = tmp_path / "facture-2026.pdf"
    good.write_bytes(PDF)
    page.set_input_files("#id_invoice", str(good))
    next_step(page)
    expect(page).not_to_have_url(re.compile(r"/purchase/$"))
    draft = RepairRequest.objects.get(user=customer)
    attachment = Attachment.objects.get(request=draft)
    assert attachment.original_name == "facture-2026.pdf"
    assert attachment.content_type == "application/pdf"
    page.goto(f"/repairs/{draft.pk}/purchase/")
    expect(page.locator("main")).to_contain_text("facture-2026.pdf")
    expect(page.locator("#id_invoice")).to_have_count(0)
    expect_answers_kept(page)


def test_of_several_flight_logs_the_good_ones_are_kept_and_the_disguised_one_named(
    page, customer, europe, north_america, repair_centre, mine, tmp_path
):
    log_in(page, customer)
    start_request(page)
    choose_zone(page, europe)
    check(page, "way", "serial")
    page.fill("#id_serial", mine.serial_number)
    expect(page.locator("#serial-recognised")).to_contain_text("Mavic 2 Pro")
    next_step(page)
    check(page, "service_type", "repair")
    next_step(page)
    check(page, "problems", "accident_damage")
    page.fill("#id_description", "Fell into the river.")
    page.locator("#id_support_contacted").check()
    next_step(page)
    fill_the_purchase(page)
    next_step(page)
    check(page, "accident_cause", "product")
    next_step(page)
    expect(page).to_have_url(re.compile(r"/analysis/$"))
    check(page, "data_analysis_requested", "yes")
    page.fill("#id_accident_date", "2026-01-10")
    check(page, "flight_environment", "seaside")
    check(page, "abnormal_condition", "fall")
    page.fill("#id_flight_account_email", "alice@example.com")
    logs_field = page.locator(".field", has=page.locator("#id_flight_logs"))
    expect(logs_field).to_contain_text("PX4 .ulg, ArduPilot .bin, MAVLink .tlog")

    (tmp_path / "log_12.ulg").write_bytes(sample_files.ulog())
    (tmp_path / "DJIFlightRecord.txt").write_bytes(b"MZ\x90\x00" + b"\x00" * 500)
    page.set_input_files(
        "#id_flight_logs", [str(tmp_path / "log_12.ulg"), str(tmp_path / "DJIFlightRecord.txt")]
    )
    next_step(page)

    expect(page).to_have_url(re.compile(r"/analysis/$"))
    expect(logs_field.locator(".errorlist")).to_contain_text("DJIFlightRecord.txt")
    expect(page.locator("#flight-logs-on-file")).to_contain_text("log_12.ulg")
    expect(page.locator("#id_flight_account_email")).to_have_value("alice@example.com")
    draft = RepairRequest.objects.get(user=customer)
    assert [a.original_name for a in draft.attachments.filter(kind=AttachmentKind.FLIGHT_LOG)] == [
        "log_12.ulg"
    ]
