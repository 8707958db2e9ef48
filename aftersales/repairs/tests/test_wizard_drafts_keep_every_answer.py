"""Drafts: every step saves when it is left, Previous included; what did not validate yet is
kept too; a draft resumes where it was left, after logging out and in; an uploaded invoice is
kept and shown, not asked again; an Edit link of the summary comes back to the summary."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.repairs import services
from aftersales.repairs.choices import Problem
from aftersales.repairs.models import RepairRequest

from . import sample_files
from .wizard_cast import *  # noqa: F403
from .wizard_cast import answer_every_step, post_step, step_url

pytestmark = pytest.mark.django_db

PDF = sample_files.pdf()


@pytest.fixture
def draft(customer, mine, paris, europe):
    return answer_every_step(
        RepairRequest.objects.create(user=customer), device=mine, address=paris
    )


def test_start_creates_a_draft_at_the_first_step(customer_client, customer):
    response = customer_client.get(reverse("repairs:start"))
    draft = RepairRequest.objects.get(user=customer)
    assert draft.is_draft
    assert response["Location"] == step_url(draft, "zone")


def test_previous_saves_what_is_valid_and_keeps_the_rest_for_the_page(customer_client, draft):
    response = post_step(
        customer_client, draft, "purchase",
        {"purchase_channel": "official_store", "received_on": "2026-02-31"},
        action="previous",
    )  # fmt: skip
    assert response["Location"] == step_url(draft, "problems")
    draft.refresh_from_db()
    assert draft.purchase_channel == "official_store"
    assert draft.current_step == "problems"

    page = customer_client.get(step_url(draft, "purchase")).content.decode()
    assert 'value="2026-02-31"' in page  # not a date yet, but what was typed
    assert '<option value="official_store" selected>' in page


def test_going_back_shows_every_previous_answer(customer_client, draft):
    page = customer_client.get(step_url(draft, "problems")).content.decode()
    assert f'value="{Problem.GIMBAL_CAMERA}"' in page
    assert "checked" in page.split(f'value="{Problem.GIMBAL_CAMERA}"')[1].split(">")[0]
    assert "The gimbal shakes." in page


def test_a_draft_resumes_where_it_was_left_after_logging_out_and_in(client, customer, draft):
    draft.current_step = "shipment"
    draft.save()
    client.force_login(customer)
    client.logout()
    client.force_login(customer)
    assert client.get(reverse("repairs:resume", args=[draft.pk]))["Location"] == step_url(
        draft, "shipment"
    )


def test_resume_goes_back_to_an_earlier_step_that_lacks_an_answer(customer_client, draft):
    draft.current_step = "address"
    draft.support_contacted = False
    draft.save()
    response = customer_client.get(reverse("repairs:resume", args=[draft.pk]))
    assert response["Location"] == step_url(draft, "problems")


def test_an_uploaded_invoice_is_kept_shown_and_not_asked_again(customer_client, draft):
    response = post_step(
        customer_client, draft, "purchase",
        {"purchase_channel": "official_store", "received_on": "2026-02-30",
         "invoice": SimpleUploadedFile("facture.pdf", PDF)},
    )  # fmt: skip
    # The date is wrong, the file is right: it is stored.
    assert response.status_code == 200
    invoice = draft.attachments.get()
    assert invoice.original_name == "facture.pdf"

    page = customer_client.get(step_url(draft, "purchase")).content.decode()
    assert "facture.pdf" in page
    assert 'name="invoice"' not in page
    assert f'name="remove_attachment" value="{invoice.token}"' in page

    response = post_step(
        customer_client, draft, "purchase",
        {"purchase_channel": "official_store", "received_on": "2026-02-01",
         "remove_attachment": invoice.token},
    )  # fmt: skip
    assert response["Location"] == step_url(draft, "purchase")
    assert not draft.attachments.exists()


def test_an_edit_link_of_the_summary_comes_back_to_the_summary(customer_client, draft):
    page = customer_client.get(step_url(draft, "summary")).content.decode()
    assert f'href="{step_url(draft, "problems")}?next=summary"' in page

    page = customer_client.get(step_url(draft, "problems") + "?next=summary").content.decode()
    assert '<input type="hidden" name="next" value="summary">' in page
    response = post_step(
        customer_client, draft, "problems",
        {"problems": [Problem.BATTERY], "support_contacted": "on", "next": "summary"},
    )  # fmt: skip
    assert response["Location"] == step_url(draft, "summary") + "?next=summary"


def test_an_edit_that_brings_a_new_step_goes_there_first(customer_client, draft):
    response = post_step(
        customer_client, draft, "problems",
        {"problems": [Problem.ACCIDENT_DAMAGE], "support_contacted": "on", "next": "summary"},
    )  # fmt: skip
    assert response["Location"] == step_url(draft, "cause") + "?next=summary"


def test_save_step_writes_only_the_steps_own_fields(draft):
    services.repair_request_save_step(
        repair_request=draft,
        step="cause",
        cleaned_data={"accident_cause": "user", "description": "not this step's"},
    )
    draft.refresh_from_db()
    assert draft.accident_cause == "user"
    assert draft.description == "The gimbal shakes."
