"""The service contract (FAQ 6): an A4 PDF in the customer's language with the plan, the
device, the dates, the fees and the terms; downloaded from My plans, e-mailed when a plan is
bound."""

from __future__ import annotations

import io
import logging

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from aftersales.plans.pdf import contract_html, contract_pdf
from aftersales.plans.services import plan_send_contract, replacement_grant
from aftersales.plans.tasks import send_contract

A4 = (595, 842)  # points


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def my_plan(plan, customer):
    plan.device.owner = customer
    plan.device.save()
    return plan


def test_the_contract_names_the_plan_the_customer_the_device_the_dates_and_the_fees(my_plan):
    pdf = contract_pdf(my_plan, "en")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == A4
    text = " ".join(text_of(pdf).split())
    for expected in (
        f"DCR-{my_plan.pk:06d}",
        "DJI Care Refresh (Mavic 2)",
        "Alice Durand",
        "alice@example.com",
        "Mavic 2 Pro",
        my_plan.device.serial_number,
        "Jan. 15, 2026",  # starts on
        "Jan. 14, 2027",  # last day
        "up to 2 replacements",
        "109.00 EUR",
        "149.00 EUR",
        "Express replacement 49.00 EUR",
        "Gimbal and camera",
        "Propellers",
        "European Union",
    ):
        assert expected in text, expected


def test_the_terms_cite_the_faq(my_plan):
    text = " ".join(text_of(contract_pdf(my_plan, "en")).split())
    for faq in ("FAQ 1, 6", "FAQ 1, 10", "FAQ 3", "FAQ 5", "FAQ 8", "FAQ 9", "FAQ 13", "FAQ 14"):
        assert f"({faq})" in text
    assert "water" in text
    assert "cannot be renewed" in text


def test_the_contract_loads_nothing_from_outside(my_plan):
    html = contract_html(my_plan, "en")
    assert "http://" not in html
    assert "https://" not in html
    assert "@import" not in html
    assert "<link" not in html


def test_the_contract_is_in_french_for_a_french_speaking_customer(my_plan, customer):
    html = contract_html(my_plan, "fr")
    assert '<html lang="fr">' in html
    assert "15 janvier 2026" in html  # Django's French date format
    assert "109,00 EUR" in html  # and number format
    assert "15 janvier 2026" in " ".join(text_of(contract_pdf(my_plan, "fr")).split())


def test_after_a_replacement_the_contract_shows_the_new_serial_number(my_plan, spare):
    first = my_plan.device.serial_number
    replacement_grant(
        plan=my_plan, new_serial_number=spare.serial_number, reason="crash", at=my_plan.purchased_at
    )
    my_plan.refresh_from_db()
    text = text_of(contract_pdf(my_plan, "en"))
    assert spare.serial_number in text
    assert first in text


def test_the_customer_downloads_the_contract_from_my_plans(customer_client, my_plan):
    response = customer_client.get(reverse("plans:contract", args=[my_plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="DCR-{my_plan.pk:06d}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert my_plan.device.serial_number in text_of(response.content)


def test_the_download_is_in_the_customers_language(client, customer, my_plan):
    customer.preferred_language = "fr"
    customer.save()
    client.force_login(customer)
    response = client.get(reverse("plans:contract", args=[my_plan.pk]))
    assert "15 janvier 2026" in " ".join(text_of(response.content).split())


def test_the_contract_email_is_sent_in_the_customers_language(my_plan, customer, mailoutbox):
    customer.preferred_language = "fr"
    customer.save()
    plan_send_contract(plan=my_plan)

    [message] = mailoutbox
    assert message.to == ["alice@example.com"]
    assert f"DCR-{my_plan.pk:06d}" in message.subject
    assert "15 janvier 2026" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    [(filename, pdf, _)] = message.attachments
    assert filename == f"DCR-{my_plan.pk:06d}.pdf"
    assert "15 janvier 2026" in " ".join(text_of(pdf).split())


def test_the_contract_task_is_queued_in_the_transaction_of_the_plan(my_plan, settings):
    # With the database backend the task is a row of the plan's transaction: rolled back with
    # it, committed with it; never lost to a crash between the commit and the queueing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    contract_tasks = DBTaskResult.objects.filter(task_path=send_contract.module_path)

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        plan_send_contract(plan=my_plan)
        assert contract_tasks.count() == 1
        raise RolledBack
    assert contract_tasks.count() == 0

    plan_send_contract(plan=my_plan)
    [queued] = contract_tasks
    assert queued.args_kwargs["kwargs"] == {"plan_id": my_plan.pk}


def test_the_contract_is_emailed_once_however_many_times_it_is_queued(my_plan, mailoutbox):
    plan_send_contract(plan=my_plan)
    send_contract.enqueue(plan_id=my_plan.pk)
    assert len(mailoutbox) == 1


def test_a_plan_whose_device_is_in_no_account_is_not_emailed(plan, mailoutbox, caplog):
    with caplog.at_level(logging.INFO, logger="aftersales.plans.tasks"):
        send_contract.call(plan_id=plan.pk)
    assert mailoutbox == []
    assert "the device is in no account" in caplog.text
