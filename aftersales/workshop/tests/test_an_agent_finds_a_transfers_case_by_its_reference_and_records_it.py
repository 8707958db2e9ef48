"""Issue 9, bank transfer: the customer wrote the payment's ISO 11649 reference on the
transfer; the agent types (or pastes) it from the bank statement into the workshop's search,
lands on the case, sees the same reference on the payment's panel, and records the transfer:
the work starts. A reference whose check digits are wrong finds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.repairs.choices import PaymentMethod, RequestStatus
from aftersales.repairs.paying import case_number_of_transfer_reference
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

S = RequestStatus


@pytest.fixture
def awaiting(case, reception, technician, agent):
    walk_to(case, S.AWAITING_PAYMENT, reception=reception, technician=technician, agent=agent)
    return case


def test_the_reference_names_its_case():
    assert case_number_of_transfer_reference("RF21 CAS2 6000 00N9 SDAA R") == ""  # check digits
    from aftersales.payments.providers.bank_transfer import transfer_reference

    reference = transfer_reference("CAS-2600000-N9SDAA", "repair")
    assert case_number_of_transfer_reference(reference) == "CAS-2600000-N9SDAA"
    assert case_number_of_transfer_reference(reference.lower()) == "CAS-2600000-N9SDAA"
    assert case_number_of_transfer_reference("RF18539007547034") == ""  # not one of ours


def test_an_agent_finds_the_case_of_a_transfer_and_records_it(client, agent, awaiting):
    payment = awaiting.payments.get()
    reference = payment.transfer_reference
    assert reference.startswith("RF") and " " in reference
    client.force_login(agent)

    found = client.get(reverse("workshop:search"), {"q": f" {reference.lower()} "})

    assert found.status_code == 302
    assert found["Location"] == reverse("workshop:case", args=[awaiting.case_number])
    page = client.get(found["Location"]).text
    assert f'<code class="transfer-reference">{reference}</code>' in page

    response = client.post(
        reverse("workshop:payment", args=[awaiting.case_number, payment.pk]),
        {
            "expected_status": awaiting.status,
            "amount": "109.00",
            "method": PaymentMethod.BANK_TRANSFER,
            "reference": reference,
        },
    )
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == S.REPLACING
    payment.refresh_from_db()
    assert payment.reference == reference and payment.recorded_by == agent


def test_a_mistyped_reference_finds_nothing(client, agent, awaiting):
    reference = awaiting.payments.get().transfer_reference
    wrong = reference[:-1] + ("S" if reference[-1] != "S" else "T")
    client.force_login(agent)

    response = client.get(reverse("workshop:search"), {"q": wrong})

    assert response.status_code == 200
    assert awaiting.case_number not in response.text
