"""Staff see which return labels are late (issue 9, item 1): a case whose customer has had
neither the label nor the news that there is none by the day promised (two business days of the
centre's calendar) is in reception's "Return labels late" queue, flagged on its page; once the
cause is fixed (here: the centre's range of numbers), reception sends it from the case page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.repairs.models import ParcelLabel
from aftersales.repairs.tasks import send_return_label
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.repairs.tests.parcels_cast import centre_with_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(customer):
    """A warranty case due yesterday whose label could not be made (no range yet)."""
    case = SubmittedCaseFactory(
        user=customer,
        coverage={"outcome": "warranty"},
        return_label_due_by=timezone.localdate() - timedelta(days=1),
    )
    send_return_label.enqueue(request_id=case.pk)
    case.refresh_from_db()
    assert case.return_label_sent_at is None
    return case


def test_a_late_label_is_listed_and_flagged(client, reception, late, customer):
    on_time = SubmittedCaseFactory(
        user=customer, return_label_due_by=timezone.localdate() + timedelta(days=1)
    )
    sent = SubmittedCaseFactory(
        user=customer,
        return_label_due_by=timezone.localdate() - timedelta(days=3),
        return_label_sent_at=timezone.now(),
    )
    client.force_login(reception)

    queue = client.get(reverse("workshop:queue", args=["labels-late"])).text
    assert late.case_number in queue
    assert on_time.case_number not in queue and sent.case_number not in queue
    dashboard = client.get(reverse("workshop:dashboard")).text
    assert 'id="queue-labels-late"' in dashboard
    page = client.get(reverse("workshop:case", args=[late.case_number])).text
    assert 'id="return-label-late"' in page and 'id="action-return-label"' in page


def test_reception_sends_the_late_label_once_its_cause_is_fixed(
    client, reception, late, mailoutbox
):
    centre_with_range(late.repair_centre)
    client.force_login(reception)

    url = reverse("workshop:action", args=[late.case_number, "return-label"])
    response = client.post(url, {"expected_status": "submitted"})

    assert response.status_code == 302
    [message] = mailoutbox
    assert message.attachments and ParcelLabel.objects.filter(request=late).count() == 1
    late.refresh_from_db()
    assert late.return_label_sent_at is not None
    assert late.case_number not in client.get(reverse("workshop:queue", args=["labels-late"])).text
    # Sent: the action is refused now, and nothing more goes out.
    again = client.post(url, {"expected_status": "submitted"})
    assert again.status_code == 422 and len(mailoutbox) == 1
