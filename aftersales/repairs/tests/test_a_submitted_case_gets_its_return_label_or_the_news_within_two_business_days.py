"""Guide, summary note 1: « Si vous êtes éligible pour une étiquette de retour, vous la recevrez
dans un délai de deux jours ouvrables. Sinon, vous en serez informé par e-mail. »

Submitting a case queues a task that decides, from the repair centre's configuration and the
case's coverage (warranty and plan cases prepaid, paid repairs not, by default), and e-mails the
customer in their language either the label (PDF attached, downloadable from the case page) or
that the case is not eligible. The deadline is two business days of the centre's calendar. Run
again, the task sends nothing more and makes no second label."""

from __future__ import annotations

import io
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aftersales.catalog.models import ClosedDay
from aftersales.repairs import services
from aftersales.repairs.choices import Problem, RequestStatus
from aftersales.repairs.models import ParcelLabel, RepairRequest
from aftersales.repairs.tasks import send_return_label
from aftersales.repairs.tests.factories import SubmittedCaseFactory

from .parcels_cast import centre_with_range
from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def centre(repair_centre):
    return centre_with_range(repair_centre)


def covered_case(customer, centre, outcome="warranty", **fields):
    fields.setdefault("return_label_due_by", date(2026, 3, 6))
    return SubmittedCaseFactory(
        user=customer,
        zone=centre.zone,
        repair_centre=centre,
        coverage={"outcome": outcome},
        **fields,
    )


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


def test_a_warranty_case_gets_a_prepaid_label_by_e_mail(customer, centre, mailoutbox):
    case = covered_case(customer, centre)

    send_return_label.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert message.to == [customer.email]
    assert message.subject == f"Your prepaid return label for case {case.case_number}"
    label = ParcelLabel.objects.get(request=case, direction="inbound")
    # The first number of the centre's range, with UPS's check digit.
    assert label.tracking_number == "1Z999AA10100000013"
    assert label.tracking_number in message.body
    assert "https://tracking.example.com/ups?n=1Z999AA10100000013" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"label-{case.case_number}.pdf", "application/pdf")
    assert content == bytes(label.pdf)
    assert case.case_number in pdf_text(content) and "DJI REPAIR DEPT" in pdf_text(content)
    case.refresh_from_db()
    assert case.return_label_eligible is True and case.return_label_sent_at is not None


def test_a_plan_case_is_prepaid_and_a_paid_repair_is_told_it_is_not(
    customer, other_customer, centre, mailoutbox
):
    plan_case = covered_case(customer, centre, outcome="plan_replacement")
    paid = covered_case(other_customer, centre, outcome="not_covered")

    send_return_label.enqueue(request_id=plan_case.pk)
    send_return_label.enqueue(request_id=paid.pk)

    to_plan, to_paid = mailoutbox
    assert to_plan.attachments and ParcelLabel.objects.filter(request=plan_case).exists()
    assert to_paid.subject == f"Case {paid.case_number}: no prepaid return label"
    assert not to_paid.attachments and not ParcelLabel.objects.filter(request=paid).exists()
    assert "not eligible for a prepaid return label" in to_paid.body
    assert "Bijldorp-Oost 6" in to_paid.body  # where to send it at their own cost
    paid.refresh_from_db()
    assert paid.return_label_eligible is False and paid.return_label_sent_at is not None


def test_which_coverage_is_prepaid_is_the_centres_configuration(customer, centre, mailoutbox):
    centre.prepaid_label_coverage = ["warranty", "plan_replacement", "not_covered"]
    centre.save()
    case = covered_case(customer, centre, outcome="not_covered")

    send_return_label.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert message.attachments


def test_the_e_mail_and_the_label_are_in_the_customers_language(customer, centre, mailoutbox):
    customer.preferred_language = "fr"
    customer.save()
    case = covered_case(customer, centre, language="fr")

    send_return_label.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert (
        message.subject == f"Votre étiquette de retour prépayée pour le dossier {case.case_number}"
    )
    assert "étiquette de retour prépayée" in pdf_text(message.attachments[0][1]).lower()


def test_run_again_the_task_sends_nothing_more_and_makes_no_second_label(
    customer, centre, mailoutbox
):
    case = covered_case(customer, centre)

    for _ in range(3):
        send_return_label.enqueue(request_id=case.pk)

    assert len(mailoutbox) == 1
    assert ParcelLabel.objects.filter(request=case).count() == 1
    centre.refresh_from_db()
    assert centre.tracking_range_next == 2  # one number issued


def test_a_label_made_before_a_crash_is_the_one_sent(customer, centre, mailoutbox):
    """The worker died after the label was kept and before the e-mail: the next run sends that
    label, under its number, and issues none."""
    case = covered_case(customer, centre)
    from aftersales.repairs.parcels import return_label_decide, return_label_make

    return_label_decide(case=case)
    made = return_label_make(case=case)

    send_return_label.enqueue(request_id=case.pk)

    [message] = mailoutbox
    assert made.tracking_number in message.body
    centre.refresh_from_db()
    assert centre.tracking_range_next == 2


def test_a_cancelled_case_or_a_parcel_already_received_gets_nothing(customer, centre, mailoutbox):
    cancelled = covered_case(customer, centre, status=RequestStatus.CANCELLED)
    received = covered_case(customer, centre, status=RequestStatus.RECEIVED)

    send_return_label.enqueue(request_id=cancelled.pk)
    send_return_label.enqueue(request_id=received.pk)

    assert mailoutbox == []
    assert not ParcelLabel.objects.exists()


def test_without_tracking_numbers_the_label_waits_and_is_late(customer, repair_centre, mailoutbox):
    """A centre whose range is not configured (or used up) cannot make the label: nothing is
    sent, the case stays "not e-mailed", and the workshop's "Return labels late" queue lists it
    once its day has passed."""
    case = covered_case(customer, repair_centre, return_label_due_by=date(2026, 1, 5))

    result = send_return_label.enqueue(request_id=case.pk)

    assert result.status == "FAILED"
    assert mailoutbox == []
    case.refresh_from_db()
    assert case.return_label_eligible is True and case.return_label_sent_at is None


def test_the_customer_downloads_the_label_from_the_case_page(
    customer_client, customer, other_customer, centre
):
    case = covered_case(customer, centre)
    send_return_label.enqueue(request_id=case.pk)
    label = ParcelLabel.objects.get(request=case)

    page = customer_client.get(reverse("repairs:case", args=[case.case_number])).text
    url = reverse("repairs:label", args=[case.case_number, "inbound", "pdf"])
    assert f'href="{url}"' in page and label.tracking_number in page
    response = customer_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(label.pdf)
    # The outbound label is staff's; a made-up kind is nothing.
    for other in ("outbound.pdf", "inbound.svg"):
        assert customer_client.get(url.replace("inbound.pdf", other)).status_code == 404
    # Another customer: 404, as for a case that does not exist.
    customer_client.force_login(other_customer)
    assert customer_client.get(url).status_code == 404


def test_a_case_not_eligible_says_so_on_its_page(customer_client, customer, centre):
    case = covered_case(customer, centre, outcome="not_covered")
    send_return_label.enqueue(request_id=case.pk)

    page = customer_client.get(reverse("repairs:case", args=[case.case_number])).text

    assert "does not come with a prepaid return label" in page


# --- Through the submission: the deadline in the centre's calendar ------------------------------


@pytest.fixture
def draft(customer, mine, paris, europe, centre):
    return answer_every_step(
        RepairRequest.objects.create(user=customer),
        device=mine,
        address=paris,
        problems=[Problem.GIMBAL_CAMERA],  # a manufacturing defect: the warranty
    )


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        (datetime(2026, 3, 6, 16, 0, tzinfo=AMS), date(2026, 3, 10)),  # Friday → Tuesday
        # Thursday 24 December: Christmas, Boxing Day and the weekend are skipped, then the
        # centre's own closing day (Monday 28).
        (datetime(2026, 12, 24, 11, 0, tzinfo=AMS), date(2026, 12, 30)),
        # Friday 23:30 UTC is already Saturday in Amsterdam: counted from Saturday.
        (datetime(2026, 3, 6, 23, 30, tzinfo=ZoneInfo("UTC")), date(2026, 3, 10)),
    ],
)
def test_submitting_sends_the_label_at_once_and_dates_the_promise_in_the_centres_calendar(
    customer, draft, centre, mailoutbox, sent, due
):
    ClosedDay.objects.create(centre=centre, day=date(2026, 12, 28), name="Between the holidays")
    with mock.patch("django.utils.timezone.now", return_value=sent):
        case = services.case_submit(repair_request=draft, user=customer, terms_accepted=True)

    case.refresh_from_db()
    assert case.return_label_due_by == due
    assert case.return_label_eligible is True and case.return_label_sent_at is not None
    subjects = [message.subject for message in mailoutbox]
    assert f"Your prepaid return label for case {case.case_number}" in subjects
