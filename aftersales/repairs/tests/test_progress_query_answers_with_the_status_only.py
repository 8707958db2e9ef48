"""The public progress query (guide: « Requête relative à la progression de la réparation »):
a case number and the e-mail address of the account answer with the status and its date, and
nothing else; a wrong number and a wrong e-mail get the same answer; guessing is rate-limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from aftersales.repairs.choices import HoldReason, RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.repairs.views.cases import (
    PROGRESS_LIMIT_PER_ADDRESS,
    PROGRESS_LIMIT_PER_CASE,
)

URL = reverse("repairs:progress")
NOT_FOUND = "We found no case with this number and e-mail address."


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(customer):
    case = SubmittedCaseFactory(
        user=customer,
        status=RequestStatus.EVALUATING,
        description="Secret description of the crash",
        submitted_at=timezone.now() - timedelta(days=6),
    )
    moved_at = timezone.now() - timedelta(days=2)
    CaseEvent.objects.create(request=case, status=RequestStatus.EVALUATING, occurred_at=moved_at)
    case.status_changed_at = moved_at
    case.save(update_fields=["status_changed_at"])
    return case


def ask(client, case_number: str, email: str, address: str = "203.0.113.5"):
    return client.post(URL, {"case_number": case_number, "email": email}, REMOTE_ADDR=address)


def test_the_form_opens_without_logging_in(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert 'name="case_number"' in response.content.decode()
    assert 'name="email"' in response.content.decode()


def test_the_right_number_and_e_mail_show_the_status_and_the_date_of_its_last_change(
    client, case, customer
):
    response = ask(client, case.case_number, customer.email)

    assert response.status_code == 200
    progress = response.context["progress"]
    assert progress.status == RequestStatus.EVALUATING
    changed_on = timezone.localdate(timezone.now() - timedelta(days=2))
    assert timezone.localdate(progress.changed_at) == changed_on
    html = response.content.decode()
    assert "Being evaluated" in html
    assert NOT_FOUND not in html


def test_the_answer_tells_nothing_but_the_status(client, case, customer):
    html = ask(client, case.case_number, customer.email).content.decode()

    for private in [
        case.serial_number,
        case.product_model.display_name,
        "Secret description of the crash",
        "12 rue de la Paix",
        customer.first_name,
        case.repair_centre.street,
    ]:
        assert private not in html, private


def test_without_events_the_date_is_the_submission(client, customer):
    case = SubmittedCaseFactory(user=customer)

    progress = ask(client, case.case_number, customer.email).context["progress"]

    assert progress.changed_at == case.submitted_at
    assert progress.status_label == "Submitted: waiting for your parcel"


def test_the_case_number_is_trimmed_and_upper_cased_and_the_e_mail_is_case_blind(
    client, case, customer
):
    response = ask(client, f"  {case.case_number.lower()} ", customer.email.upper())

    assert response.context["progress"].case_number == case.case_number


def test_a_wrong_e_mail_and_a_wrong_number_get_the_same_answer(
    client, case, customer, other_customer
):
    wrong_email = ask(client, case.case_number, other_customer.email)
    wrong_number = ask(client, "CAS-0000000-AAAAAA", customer.email)

    for response in (wrong_email, wrong_number):
        assert response.status_code == 200
        assert response.context["progress"] is None
        assert list(response.context["form"].non_field_errors()) == [NOT_FOUND]
        assert "Being evaluated" not in response.content.decode()


def test_the_e_mail_of_another_customer_does_not_open_a_case(client, case, other_customer):
    other_case = SubmittedCaseFactory(user=other_customer)

    response = ask(client, case.case_number, other_customer.email)

    assert response.context["progress"] is None
    assert ask(client, other_case.case_number, other_customer.email).context["progress"]


def test_the_query_is_a_csrf_protected_post(case, customer):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(URL, {"case_number": case.case_number, "email": customer.email})

    assert response.status_code == 403
    assert browser.get(URL).status_code == 200
    assert (
        browser.get(URL, {"case_number": case.case_number, "email": customer.email}).context[
            "progress"
        ]
        is None
    )


def test_the_limits_are_ten_queries_per_address_in_ten_minutes_and_five_misses_per_case():
    assert (PROGRESS_LIMIT_PER_ADDRESS.limit, PROGRESS_LIMIT_PER_ADDRESS.window) == (10, 600)
    assert (PROGRESS_LIMIT_PER_CASE.limit, PROGRESS_LIMIT_PER_CASE.window) == (5, 3600)


def test_an_address_that_asked_too_often_is_told_to_wait_even_with_the_right_answer(
    client, case, customer
):
    for n in range(PROGRESS_LIMIT_PER_ADDRESS.limit):
        ask(client, f"CAS-000000{n}-AAAAAA", customer.email, address="203.0.113.9")

    refused = ask(client, case.case_number, customer.email, address="203.0.113.9")
    other_address = ask(client, case.case_number, customer.email, address="198.51.100.1")

    assert refused.status_code == 429
    assert refused.context["progress"] is None
    assert "Too many progress queries" in refused.content.decode()
    assert "Being evaluated" not in refused.content.decode()
    assert other_address.context["progress"].status == RequestStatus.EVALUATING


def test_found_queries_count_against_the_address_too(client, case, customer):
    for _ in range(PROGRESS_LIMIT_PER_ADDRESS.limit):
        assert ask(client, case.case_number, customer.email).context["progress"]

    assert ask(client, case.case_number, customer.email).status_code == 429


def test_guessing_the_e_mail_of_one_case_from_many_addresses_is_stopped(
    client, case, customer, other_customer
):
    for n in range(PROGRESS_LIMIT_PER_CASE.limit):
        ask(client, case.case_number, f"guess{n}@example.com", address=f"192.0.2.{n}")

    refused = ask(client, case.case_number.lower(), customer.email, address="192.0.2.200")
    another_case = SubmittedCaseFactory(user=other_customer)
    unaffected = ask(client, another_case.case_number, other_customer.email, address="192.0.2.201")

    assert refused.status_code == 429
    assert refused.context["progress"] is None
    assert unaffected.context["progress"] is not None


def test_the_limit_on_a_number_that_does_not_exist_looks_the_same(client, customer):
    for n in range(PROGRESS_LIMIT_PER_CASE.limit):
        ask(client, "CAS-1111111-BBBBBB", f"guess{n}@example.com", address=f"192.0.2.{n}")

    refused = ask(client, "CAS-1111111-BBBBBB", customer.email, address="192.0.2.99")

    assert refused.status_code == 429
    assert "Too many progress queries" in refused.content.decode()


def test_a_form_with_missing_answers_is_shown_again_without_counting(client, case):
    for _ in range(PROGRESS_LIMIT_PER_ADDRESS.limit + 2):
        response = client.post(URL, {"case_number": "", "email": "not-an-address"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"case_number", "email"}
    assert PROGRESS_LIMIT_PER_ADDRESS.failures("127.0.0.1") == 0


def test_the_answer_is_not_kept_by_shared_caches(client, case, customer):
    response = ask(client, case.case_number, customer.email)

    assert "no-store" in response["Cache-Control"]


# --- Issue 8: the workshop's statuses ------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [status for status in RequestStatus if status != RequestStatus.DRAFT]
)
def test_every_status_of_the_workshop_reads_in_the_customers_words(client, customer, status):
    case = SubmittedCaseFactory(user=customer, status=status)

    english = ask(client, case.case_number, customer.email).content.decode()
    reader = Client()
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = ask(reader, case.case_number, customer.email).content.decode()

    with translation.override("en"):
        assert str(RequestStatus(status).label) in english
    with translation.override("fr"):
        assert str(RequestStatus(status).label).replace("'", "&#x27;") in french


def test_on_hold_the_answer_says_what_for_and_nothing_more(client, customer):
    case = SubmittedCaseFactory(
        user=customer,
        status=RequestStatus.ON_HOLD,
        hold_reason=HoldReason.WAITING_FOR_PARTS,
        held_from_status=RequestStatus.REPAIRING,
    )
    CaseEvent.objects.create(
        request=case, kind="note", status=RequestStatus.ON_HOLD, note="Gimbal backordered"
    )

    response = ask(client, case.case_number, customer.email)

    assert response.context["progress"].status_label == "On hold: waiting for parts"
    html = response.content.decode()
    assert "Gimbal backordered" not in html
    assert "Being repaired" not in html


def test_the_date_is_the_last_change_of_status_not_a_staff_note(client, case, customer):
    CaseEvent.objects.create(request=case, kind="note", status=case.status, note="Called back")

    progress = ask(client, case.case_number, customer.email).context["progress"]

    assert progress.changed_at == case.status_changed_at
