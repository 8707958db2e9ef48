"""My requests (issue 4, item 6): the customer's drafts, to continue or delete, and cases with
their status in the customer's words, newest first; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.catalog.tests.factories import ProductModelFactory
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import RepairRequest
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory

URL = reverse("repairs:list")


def saved(repair_request: RepairRequest, ago: timedelta) -> RepairRequest:
    # updated_at is auto_now: set it behind save()'s back.
    RepairRequest.objects.filter(pk=repair_request.pk).update(updated_at=timezone.now() - ago)
    repair_request.refresh_from_db()
    return repair_request


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_without_any_request_the_page_offers_a_new_one(customer_client):
    response = customer_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no repair request yet." in html
    assert f'href="{reverse("repairs:start")}"' in html
    assert "Make a repair request" in html


def test_a_draft_shows_its_product_its_last_save_and_how_to_continue_or_delete_it(
    customer_client, customer
):
    mini = ProductModelFactory(
        code="mavic-mini", name="Mavic Mini", marketing_name="Mavic Mini - The Everyday FlyCam"
    )
    draft = RepairRequestFactory(user=customer, product_model=mini, serial_number="0AXDE123")

    response = customer_client.get(URL)

    html = response.content.decode()
    assert "Mavic Mini - The Everyday FlyCam" in html
    assert "0AXDE123" in html
    assert f'datetime="{timezone.localtime(draft.updated_at).isoformat()}"' in html
    assert f'href="{reverse("repairs:resume", args=[draft.pk])}"' in html
    assert f'href="{reverse("repairs:draft_delete", args=[draft.pk])}"' in html
    assert "You have no repair request yet." not in html


def test_a_draft_without_a_product_says_so(customer_client, customer):
    RepairRequestFactory(user=customer, product_model=None, serial_number="")

    assert "No product chosen yet" in customer_client.get(URL).content.decode()


def test_a_case_shows_its_number_product_serial_date_and_status_in_customer_words(
    customer_client, customer
):
    case = SubmittedCaseFactory(user=customer, status=RequestStatus.QUOTED)

    response = customer_client.get(URL)

    html = response.content.decode()
    assert case.case_number in html
    assert f'href="{reverse("repairs:case", args=[case.case_number])}"' in html
    assert case.product_model.display_name in html
    assert case.serial_number in html
    assert "Quote sent: waiting for your answer" in html
    assert f'datetime="{timezone.localtime(case.submitted_at).isoformat()}"' in html
    # A case is followed, not continued.
    assert reverse("repairs:resume", args=[case.pk]) not in html


def test_drafts_and_cases_are_listed_newest_first(customer_client, customer):
    old_draft = saved(RepairRequestFactory(user=customer), timedelta(days=3))
    new_draft = saved(RepairRequestFactory(user=customer), timedelta(hours=1))
    old_case = SubmittedCaseFactory(user=customer, submitted_at=timezone.now() - timedelta(days=9))
    new_case = SubmittedCaseFactory(user=customer, submitted_at=timezone.now() - timedelta(days=1))

    response = customer_client.get(URL)

    assert list(response.context["drafts"]) == [new_draft, old_draft]
    assert list(response.context["cases"]) == [new_case, old_case]
    html = response.content.decode()
    assert html.index(new_case.case_number) < html.index(old_case.case_number)


def test_another_customers_drafts_and_cases_are_not_listed(
    customer_client, customer, other_customer
):
    mine = SubmittedCaseFactory(user=customer)
    theirs = SubmittedCaseFactory(user=other_customer)
    their_draft = RepairRequestFactory(user=other_customer)

    response = customer_client.get(URL)

    html = response.content.decode()
    assert mine.case_number in html
    assert theirs.case_number not in html
    assert reverse("repairs:resume", args=[their_draft.pk]) not in html
    assert list(response.context["drafts"]) == []


@pytest.mark.parametrize("rows", [1, 25])
def test_the_page_reads_a_fixed_number_of_queries_however_many_requests(
    customer_client, customer, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        RepairRequestFactory(user=customer)
        SubmittedCaseFactory(user=customer)

    # Session, user, drafts, cases (and a savepoint or two): never one per row.
    with django_assert_max_num_queries(6):
        response = customer_client.get(URL)

    assert len(response.context["cases"]) == rows
