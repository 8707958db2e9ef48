"""Reception by scanning: a USB scanner types the case number and Enter into the page's one
field. A case awaiting its parcel opens in the reception view (the case page, the reception form
first, the keyboard in the serial number's field); a number that is no case, or a case not
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
    response = getattr(scanner, method)(reverse("workshop:scan"), {"number": case.case_number})
    assert response.status_code == 302
    assert response.url == reverse("workshop:receive", args=[case.case_number])
    page = scanner.get(response.url)
    first_panel = page.text.split('class="panel action-panel')[1]
    assert first_panel.startswith('" id="action-receive"')
    serial = page.text.split('id="receive-serial_number_read"')[0].rsplit("<input", 1)[1]
    assert "autofocus" in serial


def test_a_number_typed_by_hand_in_lower_case_with_spaces_is_found(scanner, case):
    response = scanner.post(reverse("workshop:scan"), {"number": f" {case.case_number.lower()} "})
    assert response.url == reverse("workshop:receive", args=[case.case_number])


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
