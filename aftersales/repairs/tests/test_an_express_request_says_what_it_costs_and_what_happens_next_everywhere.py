"""Issue 9, item 4: an Express request (seed 001, « DJI Care Refresh Express ») says what it
costs and what happens next everywhere the customer reads it — the summary, the confirmation
page and e-mail, the case page and the printed case form: the plan's replacement fee and the
Express fee, paid before the replacement unit ships, which it does before the damaged unit
arrives, and the damaged unit due back within the configured days. No liability assessment
(FAQ 3): the coverage is not "confirmed after evaluation"."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from aftersales.repairs import services
from aftersales.repairs.choices import Problem
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.pdf import case_form_pdf

from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = pytest.mark.django_db

TOTAL = "158.00 EUR"  # replacement 1 of 2 (109.00 EUR) + the Express fee (49.00 EUR)


def text_of(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def words(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def draft(customer, mine, paris, europe, repair_centre, plan):
    return answer_every_step(
        RepairRequest.objects.create(user=customer),
        device=mine,
        address=paris,
        problems=[Problem.WATER_DAMAGE.value],
        has_plan=True,
        plan=plan,
        express_requested=True,
        express_serial_number=mine.serial_number,
    )


def submitted(draft, customer, capture):
    with capture(execute=True):
        services.case_submit(repair_request=draft, user=customer, terms_accepted=True)
    draft.refresh_from_db()
    return draft


def test_the_summary_shows_both_fees_the_total_and_the_deadline(customer_client, draft):
    page = words(customer_client.get(reverse("repairs:step", args=[draft.pk, "summary"])).text)
    assert "Your plan's fee for replacement 1 of 2 109.00 EUR" in page
    assert "Express fee 49.00 EUR" in page
    assert f"To pay before the replacement unit ships {TOTAL}" in page
    assert "before we receive your damaged one" in page
    assert "Send the damaged unit back within 14 days of receiving the replacement" in page


def test_the_confirmation_page_email_case_page_and_form_say_it_too(
    customer_client, customer, draft, django_capture_on_commit_callbacks
):
    case = submitted(draft, customer, django_capture_on_commit_callbacks)

    sent = words(customer_client.get(reverse("repairs:confirmation", args=[case.case_number])).text)
    detail = words(customer_client.get(reverse("repairs:case", args=[case.case_number])).text)
    (email,) = [m for m in mail.outbox if case.case_number in m.subject]
    html_email = words(email.alternatives[0][0])
    form = text_of(case_form_pdf(case))

    headline = (
        "Express replacement under your plan (replacement 1 of 2), with no liability "
        f"assessment: {TOTAL} in all, paid before your replacement unit ships."
    )
    for where, text in (
        ("confirmation page", sent),
        ("case page", detail),
        ("text e-mail", " ".join(email.body.split())),
        ("HTML e-mail", html_email),
    ):
        assert headline in text, where
        assert "Send the damaged unit back within 14 days" in text, where
        assert "without its battery, the difference will be charged to you" in text, where
        # FAQ 3: nothing waits for an assessment of who is liable.
        assert "confirmed after evaluation" not in text, where
        assert "the technician confirms it" not in text, where
    assert f"To pay before the replacement unit ships: {TOTAL}" in email.body
    assert f"{TOTAL} paid before the replacement ships" in form
    assert "this unit due back within 14 days of the replacement's delivery" in form


def test_the_deadline_is_configuration_and_in_french_it_reads_in_french(
    client, customer, draft, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(settings.AFTERSALES, "EXPRESS_RETURN_DAYS", 7)
    customer.preferred_language = "fr"
    customer.save(update_fields=["preferred_language"])
    draft.language = "fr"
    draft.save(update_fields=["language"])
    case = submitted(draft, customer, django_capture_on_commit_callbacks)

    (email,) = [m for m in mail.outbox if case.case_number in m.subject]
    body = " ".join(email.body.split())
    assert "158,00 EUR" in body
    assert "dans les 7 jours" in body
    assert "Frais Express : 49,00 EUR" in body
    form = text_of(case_form_pdf(case, "fr"))
    assert "158,00 EUR" in form and "7 jours" in form


def test_a_request_without_express_shows_none_of_it(
    customer_client, customer, draft, django_capture_on_commit_callbacks
):
    draft.express_requested = False
    draft.express_serial_number = ""
    draft.save()
    case = submitted(draft, customer, django_capture_on_commit_callbacks)

    detail = customer_client.get(reverse("repairs:case", args=[case.case_number])).text
    assert 'id="express-costs"' not in detail
    assert "confirmed after evaluation" in words(detail)
    (email,) = [m for m in mail.outbox if case.case_number in m.subject]
    assert "Express fee" not in email.body
