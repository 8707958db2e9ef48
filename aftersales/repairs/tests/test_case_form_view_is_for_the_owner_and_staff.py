""" "Imprimer mon dossier" opens the case form inline in a new tab, to print. The customer whose
case it is and the staff can open it; another customer, a draft or a made-up number get a 404,
and an anonymous visitor is asked to log in."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def case(customer):
    return SubmittedCaseFactory(user=customer)


def form_url(case_number: str) -> str:
    return reverse("repairs:case_form", args=[case_number])


def test_the_customer_opens_the_form_of_their_case_inline(customer_client, case):
    response = customer_client.get(form_url(case.case_number))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{case.case_number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert case.case_number in text_of(response.content)


def test_the_case_number_may_be_typed_in_lower_case(customer_client, case):
    response = customer_client.get(form_url(case.case_number.lower()))
    assert response.status_code == 200


def test_the_form_is_in_the_language_of_the_case_not_of_the_page(customer_client, case):
    # The form travels with the parcel: it stays in the language the case was filed in.
    case.language = "fr"
    case.save()
    response = customer_client.get(form_url(case.case_number), HTTP_ACCEPT_LANGUAGE="en")
    assert "Pays-Bas" in text_of(response.content)


def test_another_customer_gets_a_404(other_client, case):
    assert other_client.get(form_url(case.case_number)).status_code == 404


def test_a_made_up_case_number_is_a_404(customer_client, case):
    assert customer_client.get(form_url("CAS-0000000-AAAAAA")).status_code == 404


def test_staff_open_the_form_of_any_case(client, agent, technician, case):
    for member in (agent, technician):
        client.force_login(member)
        response = client.get(form_url(case.case_number))
        assert response.status_code == 200
        assert case.case_number in text_of(response.content)


def test_an_anonymous_visitor_is_asked_to_log_in(client, case):
    response = client.get(form_url(case.case_number))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_draft_has_no_form(customer_client, client, customer, agent):
    # Even a draft carrying a number (which the submission never leaves) has no form to print.
    draft = RepairRequestFactory(user=customer, case_number="CAS-2600999-DRAFTX")
    assert customer_client.get(form_url(draft.case_number)).status_code == 404
    client.force_login(agent)
    assert client.get(form_url(draft.case_number)).status_code == 404


def test_the_form_is_only_read(customer_client, case):
    assert customer_client.post(form_url(case.case_number)).status_code == 405
