"""Issue 8, item 3: the customer's case page after « Demande envoyée ! ». The timeline in the
customer's words (visible events only, dated, public notes, payments received, the shipped event
with the carrier and tracking number), the status with the hold reason, what happens next or what
we wait for, and what is to pay and how. Staff notes never show."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aftersales.payments.providers.bank_transfer import transfer_reference
from aftersales.payments.references import reference_format
from aftersales.repairs.choices import HoldReason, PaymentMethod, RequestStatus
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus
INTERNAL = "Customer called twice; check the gimbal ribbon first."


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


@pytest.fixture
def reader(client, customer):
    """Alice reads her case page in English (her case and its e-mails stay in French)."""
    client.force_login(customer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, case):
    return client.get(reverse("repairs:case", args=[case.case_number]))


def test_the_timeline_shows_the_visible_events_in_customer_words_with_their_dates(
    reader, case, people
):
    walk_to(case, S.EVALUATING, **people)
    services.case_note(case=case, by=people["technician"], text=INTERNAL)
    services.case_note(
        case=case, by=people["technician"], text="The gimbal arrived loose in the box.", public=True
    )

    response = page(reader, case)

    html = response.content.decode()
    timeline = response.context["timeline"]
    assert [entry.text for entry in timeline] == [
        "Your parcel has been registered at our workshop.",
        "A technician is evaluating your product.",
        "The gimbal arrived loose in the box.",
    ]
    assert [entry.at for entry in timeline] == sorted(entry.at for entry in timeline)
    received = case.events.get(status=S.RECEIVED, kind="status")
    assert f'datetime="{timezone.localtime(received.occurred_at).isoformat()}"' in html
    assert "The gimbal arrived loose in the box." in html
    assert INTERNAL not in html
    # Who did it stays in the back office.
    assert people["reception"].email not in html


def test_the_status_and_what_happens_next_are_in_customer_words(reader, case, people):
    walk_to(case, S.EVALUATING, **people)

    html = page(reader, case).content.decode()

    assert "Being evaluated" in html
    assert "Once the evaluation is done, we send you a quote" in html
    assert 'id="waiting-for-you"' not in html


def test_on_hold_the_status_says_why_and_what_we_wait_for(reader, case, people):
    walk_to(case, S.EVALUATING, **people)
    services.case_hold(
        case=case,
        by=people["technician"],
        reason=HoldReason.WAITING_FOR_CUSTOMER,
        note="Internal: waiting for the photos by e-mail.",
    )

    response = page(reader, case)

    html = response.content.decode()
    assert response.context["state"].label == "On hold: waiting for your answer"
    assert "We need an answer from you" in html
    assert 'id="waiting-for-you"' in html
    assert "Your case is on hold: we are waiting for your answer." in html
    # The hold's note was for staff.
    assert "waiting for the photos by e-mail" not in html


def test_a_payment_due_says_how_much_what_for_and_how_to_pay(reader, case, people):
    walk_to(case, S.AWAITING_PAYMENT, **people)

    html = page(reader, case).content.decode()

    assert "Waiting for your payment" in html
    assert 'id="waiting-for-you"' in html
    due = html[html.index('id="payments-due"') :]
    assert "109.00 EUR" in due and "Plan replacement fee" in due
    # Issue 9: the payment's own ISO 11649 reference, which names the case.
    reference = reference_format(transfer_reference(case.case_number, "plan_fee"))
    assert f'<code class="transfer-reference nowrap">{reference}</code>' in due
    assert "by bank transfer, with the reference shown above" in due
    assert f"at the counter of the repair centre, with your case number {case.case_number}" in due
    assert settings.AFTERSALES["SUPPORT_EMAIL"] in due


def test_the_bank_account_is_given_when_the_centre_configured_it(reader, case, people, settings):
    settings.AFTERSALES = {**settings.AFTERSALES, "BANK_ACCOUNT": "IBAN NL91 ABNA 0417 1643 00"}
    walk_to(case, S.AWAITING_PAYMENT, **people)

    html = page(reader, case).content.decode()

    assert "by bank transfer to IBAN NL91 ABNA 0417 1643 00, with the reference" in html


def test_a_payment_received_is_listed_and_told_on_the_timeline(reader, case, people):
    walk_to(case, S.REPLACING, **people)

    response = page(reader, case)

    html = response.content.decode()
    assert 'id="payments-due"' not in html
    received = html[html.index('id="payments-received"') :]
    assert "Plan replacement fee" in received and "109.00 EUR" in received
    assert "Bank transfer" in received
    last = response.context["timeline"][-1]
    assert last.text == "Your product is being replaced under your plan."
    # Told with the move it started, written in Alice's language (her case is French), whatever
    # the agent's page was in.
    assert last.note == (
        "Nous avons bien reçu votre paiement de 109,00 EUR (Frais de remplacement du forfait)."
    )


def test_the_shipped_event_carries_the_carrier_and_the_tracking_number(reader, case, people, spare):
    walk_to(case, S.REPLACING, **people)
    services.case_replace_unit(
        case=case, by=people["technician"], new_serial_number=spare.serial_number
    )
    services.case_replacement_done(case=case, by=people["technician"])
    services.case_quality_check(case=case, by=people["technician"], passed=True)
    services.case_ship(
        case=case, by=people["reception"], carrier="UPS", tracking_number="1Z999AA10123456784"
    )

    response = page(reader, case)

    shipped = next(
        entry for entry in response.context["timeline"] if "has been shipped" in entry.text
    )
    assert (shipped.carrier, shipped.tracking_number) == ("UPS", "1Z999AA10123456784")
    html = response.content.decode()
    assert "Carrier: UPS, tracking number <code>1Z999AA10123456784</code>." in html
    assert "Shipped back" in html
    # The replacement, told in the customer's words with the new serial number.
    assert spare.serial_number in html


def test_the_page_reads_a_fixed_number_of_queries_with_a_quote_and_payments(
    reader, case, people, django_assert_max_num_queries
):
    walk_to(case, S.REPLACING, **people)
    for text in ["One.", "Two.", "Three."]:
        services.case_note(case=case, by=people["technician"], text=text, public=True)

    # Session, user, the case, files, visible events, evaluations, the quote, its lines,
    # payments: however many of each.
    with django_assert_max_num_queries(10):  # 9, and the parcel labels (issue 9)
        response = page(reader, case)

    assert response.status_code == 200
    assert response.context["quote"].answer is not None


def test_a_case_sent_before_the_workshop_existed_opens_with_its_first_event(reader, customer):
    case = SubmittedCaseFactory(user=customer)

    response = page(reader, case)

    assert response.status_code == 200
    assert response.context["state"].can_cancel
    assert response.context["quote"] is None
    assert "Print your case form, put it in the parcel" in response.content.decode()


def test_the_payment_method_label_is_the_customers(reader, case, people):
    walk_to(case, S.AWAITING_PAYMENT, **people)
    payment = case.payments.get()
    services.payment_record(
        case=case, payment=payment, by=people["agent"], method=PaymentMethod.COUNTER
    )

    html = page(reader, case).content.decode()

    assert "At the counter" in html
