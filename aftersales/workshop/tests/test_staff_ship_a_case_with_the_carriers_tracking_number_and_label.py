"""Shipping back through the repair centre's carrier (issue 9, item 2): staff scan the case, the
tracking number is the next of the centre's range (or the number of a label printed elsewhere,
its format and check digit checked at the field, what was typed kept), the outbound label is
printed from the case page (PDF, ZPL), the case is shipped, and the customer gets the carrier's
tracking link by e-mail and on the case page. Lost parcel: an agent records the carrier's
investigation, with its deadline in the centre's business days."""

from __future__ import annotations

import re
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.errors import CaseWorkError
from aftersales.repairs.models import CarrierInvestigation, ParcelLabel
from aftersales.repairs.tests.parcels_cast import UPS_EXAMPLE, centre_with_range
from aftersales.workshop import services
from aftersales.workshop.tests.cast import *  # noqa: F403
from aftersales.workshop.tests.cast import ready_to_ship

pytestmark = pytest.mark.django_db

S = RequestStatus
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def people(reception, technician, agent):
    return {"reception": reception, "technician": technician, "agent": agent}


@pytest.fixture
def shippable(case, spare, people):
    centre_with_range(case.repair_centre)
    return ready_to_ship(case, spare, **people)


def act(client, case, action: str, **data):
    data.setdefault("expected_status", case.status)
    return client.post(reverse("workshop:action", args=[case.case_number, action]), data)


def test_scanning_a_case_ready_to_ship_opens_it_with_the_ship_panel(client, reception, shippable):
    client.force_login(reception)
    response = client.get(reverse("workshop:scan"), {"number": shippable.case_number})
    # A query, not a fragment: a page opened at a fragment gets no autofocus, and the scanner's
    # next number (the tracking number) would go nowhere.
    assert response.url == reverse("workshop:case", args=[shippable.case_number]) + "?action=ship"
    response = client.get(response.url)
    assert 'id="action-ship"' in response.text
    assert "Leave it empty to print the UPS label with the next tracking number" in response.text
    assert "autofocus" in _input(response.text, "ship-tracking_number")


def _input(page: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


def test_the_case_page_opened_at_an_action_puts_it_first_with_the_keyboard_in_it(
    client, reception, shippable
):
    client.force_login(reception)
    url = reverse("workshop:case", args=[shippable.case_number])
    page = client.get(url, {"action": "hold"}).text
    assert page.index('id="action-hold"') < page.index('id="action-ship"')
    assert "autofocus" not in _input(page, "ship-tracking_number")
    assert "autofocus" in _input(page, "hold-note")

    # An action that is not one is ignored: the page as usual, the first panel's field focused.
    page = client.get(url, {"action": "nonsense"}).text
    assert page.index('id="action-ship"') < page.index('id="action-hold"')
    assert "autofocus" in _input(page, "ship-tracking_number")

    # The action's own address, opened (say after logging in), lands there too.
    response = client.get(reverse("workshop:action", args=[shippable.case_number, "hold"]))
    assert response.url == url + "?action=hold"


def test_an_empty_tracking_number_takes_the_next_of_the_centres_range(
    client, reception, shippable, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(reception)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, shippable, "ship", tracking_number="")
    assert response.status_code == 302

    shippable.refresh_from_db()
    shipment = shippable.return_shipment
    assert shippable.status == S.SHIPPED
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z999AA10100000013")
    assert shipment.tracking_url == "https://tracking.example.com/ups?n=1Z999AA10100000013"
    label = ParcelLabel.objects.get(request=shippable, direction="outbound")
    assert label.tracking_number == shipment.tracking_number
    # The staff case page offers the label to print, as PDF (A6) and ZPL.
    page = client.get(reverse("workshop:case", args=[shippable.case_number])).text
    pdf_url = reverse("repairs:label", args=[shippable.case_number, "outbound", "pdf"])
    zpl_url = reverse("repairs:label", args=[shippable.case_number, "outbound", "zpl"])
    assert pdf_url in page and zpl_url in page
    assert client.get(pdf_url).content == bytes(label.pdf)
    zpl = client.get(zpl_url)
    assert zpl.status_code == 200 and zpl.content.startswith(b"^XA")
    # The customer's e-mail (in French, the case's language) carries the tracking link.
    [shipped] = [m for m in mailoutbox if shipment.tracking_number in m.body]
    assert "https://tracking.example.com/ups?n=1Z999AA10100000013" in shipped.body


def test_a_typed_tracking_number_is_checked_at_the_field_and_kept(client, reception, shippable):
    client.force_login(reception)
    typed = "1Z999AA10123456785"  # one digit off: the check digit fails
    response = act(client, shippable, "ship", tracking_number=typed)

    assert response.status_code == 422
    assert "The check digit of this tracking number is wrong" in response.text
    # At the field, said to screen readers, with what was typed kept.
    assert f'value="{typed}"' in response.text
    assert 'aria-describedby="ship-tracking_number_helptext ship-tracking_number_error"' in (
        response.text
    )
    not_ups = act(client, shippable, "ship", tracking_number="ABC-123")
    assert not_ups.status_code == 422 and "This is not a UPS tracking number" in not_ups.text
    assert 'value="ABC-123"' in not_ups.text
    shippable.refresh_from_db()
    assert shippable.status == S.READY_TO_SHIP and not ParcelLabel.objects.exists()

    assert (
        act(client, shippable, "ship", tracking_number="1z 999 aa1 0123456784").status_code == 302
    )
    shippable.refresh_from_db()
    assert shippable.return_shipment.tracking_number == UPS_EXAMPLE


def test_a_centre_without_a_range_needs_the_number_typed(client, reception, case, spare, people):
    ready_to_ship(case, spare, **people)
    client.force_login(reception)

    response = act(client, case, "ship", tracking_number="")

    assert response.status_code == 422 and "This field is required." in response.text
    with pytest.raises(CaseWorkError) as refused:
        services.case_ship(case=case, by=reception)
    assert refused.value.code == "tracking_number_needed"


def test_a_range_used_up_is_said_at_the_field(client, reception, shippable):
    centre = shippable.repair_centre
    centre.tracking_range_next = centre.tracking_range_last + 1
    centre.save()
    client.force_login(reception)

    response = act(client, shippable, "ship", tracking_number="")

    assert response.status_code == 422
    assert "range of tracking numbers is used up" in response.text


def test_the_customer_sees_the_tracking_link_on_the_case_page(client, reception, shippable):
    services.case_ship(case=shippable, by=reception)
    client.force_login(shippable.user)

    page = client.get(reverse("repairs:case", args=[shippable.case_number])).text

    assert 'id="tracking-link"' in page
    assert 'href="https://tracking.example.com/ups?n=1Z999AA10100000013"' in page
    # The outbound label itself stays with staff.
    url = reverse("repairs:label", args=[shippable.case_number, "outbound", "pdf"])
    assert client.get(url).status_code == 404


def test_without_a_template_the_tracking_link_is_the_carriers_own(reception, shippable):
    centre = shippable.repair_centre
    centre.tracking_url_template = ""
    centre.save()

    shipment = services.case_ship(case=shippable, by=reception)

    assert shipment.tracking_url.startswith("https://wwwapps.ups.com/")
    assert shipment.tracking_number in shipment.tracking_url


# --- Lost parcel: the carrier's investigation ---------------------------------------------


def test_an_agent_records_a_carrier_investigation_with_its_deadline(
    client, agent, reception, shippable
):
    services.case_ship(case=shippable, by=reception)
    client.force_login(agent)
    page = client.get(reverse("workshop:case", args=[shippable.case_number])).text
    assert 'id="action-investigation-open"' in page

    response = act(
        client,
        shippable,
        "investigation-open",
        direction="outbound",
        tracking_number="",
        carrier_reference="INV-778812",
        note="Customer says nothing arrived.",
    )
    assert response.status_code == 302
    [investigation] = CarrierInvestigation.objects.filter(request=shippable)
    assert investigation.tracking_number == "1Z999AA10100000013"
    assert investigation.opened_by == agent and investigation.is_open
    # Its deadline: the carrier contract's eight business days in the centre's calendar. Opened
    # on Thursday 24 December 2026: Christmas, Boxing Day and two weekends are skipped.
    opened = datetime(2026, 12, 24, 10, 0, tzinfo=AMS)
    with mock.patch("django.utils.timezone.now", return_value=opened):
        inbound = services.investigation_open(
            case=shippable, by=agent, direction="inbound", tracking_number=UPS_EXAMPLE
        )
    assert inbound.due_by == datetime(2027, 1, 7, 17, 0, tzinfo=AMS)
    inbound.due_by = datetime(2026, 1, 7, 17, 0, tzinfo=AMS)  # long past
    inbound.save()
    page = client.get(reverse("workshop:case", args=[shippable.case_number])).text
    assert "INV-778812" in page and "answer due by" in page
    assert page.count('class="badge error"') == 1  # the inbound one, past its deadline
    queue = client.get(reverse("workshop:queue", args=["parcels-investigated"])).text
    assert shippable.case_number in queue

    # One open investigation per parcel.
    again = act(client, shippable, "investigation-open", direction="outbound", tracking_number="")
    assert again.status_code == 422 and "already investigating" in again.text

    response = act(
        client,
        shippable,
        "investigation-close",
        investigation=str(investigation.pk),
        outcome="found",
        note="Found at the depot.",
    )
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.outcome == "found" and investigation.closed_at is not None
    services.investigation_close(
        case=shippable, by=agent, investigation_id=inbound.pk, outcome="delivered"
    )
    queue = client.get(reverse("workshop:queue", args=["parcels-investigated"])).text
    assert shippable.case_number not in queue


def test_a_typed_tracking_number_of_an_investigation_is_checked(
    client, agent, reception, shippable
):
    services.case_ship(case=shippable, by=reception)
    client.force_login(agent)
    response = act(
        client, shippable, "investigation-open", direction="outbound", tracking_number="12AB"
    )
    assert response.status_code == 422 and 'value="12AB"' in response.text
    assert not CarrierInvestigation.objects.exists()


def test_no_investigation_without_a_parcel(agent, case):
    with pytest.raises(CaseWorkError) as refused:
        services.investigation_open(case=case, by=agent, direction="outbound")
    assert refused.value.code == "no_parcel"


def test_a_technician_may_not_record_an_investigation(technician, reception, shippable):
    services.case_ship(case=shippable, by=reception)
    with pytest.raises(CaseWorkError) as refused:
        services.investigation_open(case=shippable, by=technician, direction="outbound")
    assert refused.value.code == "not_permitted"
