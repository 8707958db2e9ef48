"""Reception by scanning: a USB scanner types the case number and Enter into the page's one
field. A case awaiting its parcel opens in the reception view, in the scan's own answer (what
reception checks the parcel against, and the reception form, the keyboard in the serial number's
field); a number that is no case, or a case not
awaiting a parcel, is said at once on the same page, the number kept and the keyboard back in the
field (with a link to the case when there is one)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.tests.factories import RepairRequestFactory
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import walk_to

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def scanner(client, reception):
    client.force_login(reception)
    return client


def test_the_scan_page_has_one_focused_field(scanner):
    page = scanner.get(reverse("workshop:scan"))
    assert page.status_code == 200
    assert 'id="scan-number"' in page.text
    field = page.text.split('id="scan-number"')[0].rsplit("<input", 1)[1]
    assert "autofocus" in field


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_case_awaiting_its_parcel_opens_for_reception(scanner, case, method):
    page = getattr(scanner, method)(reverse("workshop:scan"), {"number": case.case_number})
    assert page.status_code == 200
    assert f'Reception of case <span class="nowrap">{case.case_number}</span>' in page.text
    panels = page.text.split('class="panel action-panel')[1:]
    assert len(panels) == 1 and panels[0].startswith('" id="action-receive"')
    action = reverse("workshop:receive", args=[case.case_number])
    assert f'action="{action}"' in page.text
    serial = page.text.split('id="receive-serial_number_read"')[0].rsplit("<input", 1)[1]
    assert "autofocus" in serial
    # What the parcel is checked against: the customer, the unit, what they said they'd send.
    facts = page.text.split('id="reception-facts"')[1].split("</dl>")[0]
    assert case.user.email in facts or case.user.get_full_name() in facts
    assert case.get_shipment_display() in facts
    # The same view at the reception URL (a link from a queue or the case page).
    again = scanner.get(action)
    assert again.status_code == 200 and 'id="reception-facts"' in again.text


def test_the_reception_view_reads_a_fixed_number_of_queries(
    scanner, case, django_assert_max_num_queries
):
    scanner.get(reverse("workshop:scan"), {"number": case.case_number})
    # The session, the user, their permissions (2), the case with its customer, model, unit and
    # component: not the whole record of the case page.
    with django_assert_max_num_queries(5):
        scanner.get(reverse("workshop:scan"), {"number": case.case_number})


def test_a_refused_reception_comes_back_to_the_reception_view_with_what_was_typed(scanner, case):
    response = scanner.post(
        reverse("workshop:receive", args=[case.case_number]),
        {"expected_status": "submitted", "serial_number_read": "??", "note": "Carton abîmé"},
    )
    assert response.status_code == 422
    assert 'id="reception-facts"' in response.text
    assert "Carton abîmé" in response.text
    serial = response.text.split('id="receive-serial_number_read"')[0].rsplit("<input", 1)[1]
    assert 'value="??"' in serial and "autofocus" in serial


def test_a_number_typed_by_hand_in_lower_case_with_spaces_is_found(scanner, case):
    response = scanner.post(reverse("workshop:scan"), {"number": f" {case.case_number.lower()} "})
    assert response.status_code == 200
    assert 'id="action-receive"' in response.text


def test_a_number_that_is_no_case_is_said_at_once_and_kept(scanner, customer):
    draft = RepairRequestFactory(user=customer)
    for typed in ("CAS-0000000-NOCASE", f"{draft.pk}", "not a number"):
        response = scanner.post(reverse("workshop:scan"), {"number": typed})
        assert response.status_code == 422
        assert "No case has this number." in response.text
        field = response.text.split('id="scan-number"')[0].rsplit("<input", 1)[1]
        assert f'value="{typed}"' in field and "autofocus" in field
        assert 'aria-invalid="true"' in field


def test_a_case_not_awaiting_a_parcel_is_said_with_a_link_to_it(scanner, case, people):
    walk_to(case, S.EVALUATING, **people)
    response = scanner.get(reverse("workshop:scan"), {"number": case.case_number})
    assert response.status_code == 422
    assert "is not awaiting a parcel: it is “Being evaluated”" in response.text
    assert f'href="{reverse("workshop:case", args=[case.case_number])}"' in response.text
    # Opening its reception view anyway shows the case, with no reception form, and says why.
    page = scanner.get(reverse("workshop:receive", args=[case.case_number]))
    assert page.status_code == 200
    assert 'id="action-receive"' not in page.text
    assert "This case is not awaiting a parcel" in page.text


def test_scanning_is_reception_s_work(client, technician, case):
    client.force_login(technician)
    assert client.get(reverse("workshop:scan"), {"number": case.case_number}).status_code == 403


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}
