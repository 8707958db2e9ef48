"""Once a case is submitted, a background task e-mails the customer their case number, the
guide's next steps and the case form to print (PDF), in the customer's language."""

from __future__ import annotations

import io
import logging
from datetime import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from aftersales.repairs.tasks import send_case_confirmation
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def case(customer):
    return SubmittedCaseFactory(
        user=customer, submitted_at=timezone.make_aware(datetime(2026, 1, 15, 10, 0))
    )


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_customer_receives_the_case_number_and_the_form(case, customer, mailoutbox):
    send_case_confirmation.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert message.to == [customer.email]
    assert message.subject == f"Your repair request {case.case_number} has been submitted"
    assert case.case_number in message.body
    assert case.case_number in html_of(message)
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"{case.case_number}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert case.case_number in text_of(content)


def test_the_email_gives_the_guides_next_steps_and_where_to_send_the_parcel(case, mailoutbox):
    send_case_confirmation.enqueue(request_id=case.pk)

    [message] = mailoutbox
    body = " ".join(message.body.split())
    for expected in (
        "Print the attached case form and put it in the parcel you send to DJI.",
        "the process will be delayed and the item may be sent back without being repaired",
        "DJI REPAIR DEPT",
        "Bijldorp-Oost 6",
        "2992LA Barendrecht",
        "Within two business days",
        "a return label will be sent to you by e-mail; if not, you will be informed by e-mail",
        "Once your case is registered in our workshops, you will be notified automatically "
        "by e-mail.",
        "“Defective component – No commercial value”",
    ):
        assert expected in body, expected
        assert expected in " ".join(html_of(message).split()), expected


def test_the_email_links_to_the_progress_query_and_the_case_page(case, mailoutbox):
    send_case_confirmation.enqueue(request_id=case.pk)

    [message] = mailoutbox
    progress_url = f"{settings.SITE_URL}/repairs/progress/"
    case_url = f"{settings.SITE_URL}/repairs/cases/{case.case_number}/"
    assert progress_url.startswith("http")
    for part in (message.body, html_of(message)):
        assert progress_url in part
        assert case_url in part


def test_a_french_speaking_customer_gets_the_email_and_the_form_in_french(
    case, customer, mailoutbox
):
    customer.preferred_language = "fr"
    customer.save()
    case.language = "fr"
    case.save()

    send_case_confirmation.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert '<html lang="fr">' in html_of(message)
    assert "Pays-Bas" in message.body  # the centre's country, named in French
    [(_, content, _)] = message.attachments
    assert "15 janvier 2026" in text_of(content)


def test_the_email_follows_the_language_of_the_case(case, customer, mailoutbox):
    # The case was filed in French; the customer switched their account to English since.
    case.language = "fr"
    case.save()
    assert customer.preferred_language == "en"

    send_case_confirmation.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert '<html lang="fr">' in html_of(message)


def test_queueing_it_twice_sends_one_email(case, mailoutbox, caplog):
    # One e-mail per case: a run again after a crash, or a second queueing, sends nothing more.
    send_case_confirmation.enqueue(request_id=case.pk)
    with caplog.at_level(logging.INFO, logger="aftersales.repairs.tasks"):
        send_case_confirmation.enqueue(request_id=case.pk)
    assert len(mailoutbox) == 1
    assert "Case confirmation already sent" in caplog.text


def test_a_missing_case_is_logged_and_nothing_is_sent(db, mailoutbox, caplog):
    with caplog.at_level(logging.WARNING, logger="aftersales.repairs.tasks"):
        send_case_confirmation.enqueue(request_id=999_999)
    assert mailoutbox == []
    [record] = [r for r in caplog.records if r.name == "aftersales.repairs.tasks"]
    assert record.request_id == 999_999


def test_a_draft_gets_no_confirmation(customer, mailoutbox):
    draft = RepairRequestFactory(user=customer)
    send_case_confirmation.enqueue(request_id=draft.pk)
    assert mailoutbox == []


def test_the_sending_is_logged_with_the_case(case, mailoutbox, caplog):
    with caplog.at_level(logging.INFO, logger="aftersales.repairs.tasks"):
        send_case_confirmation.enqueue(request_id=case.pk)
    [record] = [r for r in caplog.records if r.name == "aftersales.repairs.tasks"]
    assert record.case_number == case.case_number
    assert record.request_id == case.pk
