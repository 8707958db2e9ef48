"""The work queues: each lists the cases of its steps, the longest waiting first, with the case
number, model, serial number, status and age in the step, 50 to a page; quotes unanswered and
overdue cases follow the service level clocks. Every list page (dashboard, queues, search) takes the
same number of queries with 1 case as with 30 (NetBox's query-count baselines)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.devices.tests.factories import DeviceFactory
from aftersales.repairs import sla
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CarrierInvestigation, ExpressReturn, RepairRequest
from aftersales.repairs.tests.factories import RepairRequestFactory, SubmittedCaseFactory
from aftersales.workshop import selectors
from aftersales.workshop.selectors import PAGE_SIZE, QUEUES

pytestmark = pytest.mark.django_db

S = RequestStatus

# Every list page's queries: the session, the user with their permissions (their own and their
# groups', one query: accounts.backends), then the page's own (the dashboard: one count for all
# its queues; a queue: its count and its page; the search by serial number: the plan's units
# and the swaps, the cases by any serial, then the page of cases).
QUERIES = {"dashboard": 3, "queue": 4, "search_serial": 4, "search_name": 3}
if connection.vendor == "postgresql":
    # A name is planned with the words typed (core.planning): a transaction (here a savepoint,
    # the test's own being open) and the setting that says so. A serial number is not.
    QUERIES["search_name"] += 3


def case_in(status: str, days: float = 0, **fields):
    changed = timezone.now() - timedelta(days=days)
    # A clock runs in the stages that have one (`repairs.sla`): due two days after the move.
    if status in sla.STAGE_OF_STATUS:
        fields.setdefault("sla_due_at", changed + timedelta(days=2))
    return SubmittedCaseFactory(
        status=status,
        status_changed_at=changed,
        device=DeviceFactory(),
        **fields,
    )


def case_for_queue(slug: str, status: str, days: float):
    """A case the queue `slug` lists: the parcels' queues need more than a status."""
    today = timezone.localdate()
    case = case_in(
        status,
        days=days,
        return_label_due_by=today - timedelta(days=days),
        express_requested=slug.startswith("express-"),
    )
    if slug == "express-flagged":
        ExpressReturn.objects.create(
            request=case,
            serial_number=case.serial_number or "UNIT0001",
            shipped_at=timezone.now() - timedelta(days=days),
            due_by=timezone.now() - timedelta(days=1),
            flags=["not_returned"],
            flagged_at=timezone.now(),
        )
    if slug == "parcels-investigated":
        CarrierInvestigation.objects.create(
            request=case,
            direction="inbound",
            tracking_number="1Z999AA10123456784",
            opened_at=timezone.now(),
            opened_by=case.user,
            due_by=timezone.now() + timedelta(days=8),
        )
    return case


def numbers(response) -> list[str]:
    return re.findall(r"<code>(CAS-[0-9]{7}-[A-Z0-9]{6})</code>", response.text)


def test_each_queue_lists_the_cases_of_its_steps_the_longest_waiting_first(client, administrator):
    waiting = {status: case_in(status, days=3) for status in S.values if status != S.DRAFT}
    older = case_in(S.SUBMITTED, days=10)
    RepairRequestFactory()  # a draft is nobody's work
    client.force_login(administrator)

    expected = {
        # Express: the damaged units owed back are expected too.
        "parcels-expected": [older, waiting[S.SUBMITTED], waiting[S.EXPRESS_SHIPPED]],
        "to-evaluate": [waiting[S.RECEIVED], waiting[S.EVALUATING]],
        "to-repair": [waiting[S.REPAIRING], waiting[S.REPLACING], waiting[S.QUALITY_CHECK]],
        "on-hold": [waiting[S.ON_HOLD]],
        "waiting-for-customer": [waiting[S.QUOTED], waiting[S.AWAITING_PAYMENT]],
        "ready-to-ship": [waiting[S.READY_TO_SHIP], waiting[S.RETURNING_UNREPAIRED]],
    }
    for slug, cases in expected.items():
        response = client.get(reverse("workshop:queue", args=[slug]))
        found = numbers(response)
        assert sorted(found) == sorted(case.case_number for case in cases), slug
        if slug == "parcels-expected":
            assert found[0] == older.case_number
    row = client.get(reverse("workshop:queue", args=["parcels-expected"])).text
    case = waiting[S.SUBMITTED]
    assert case.product_model.name in row and case.serial_number in row
    assert "3\xa0days" in row and "Submitted: waiting for your parcel" in row


def test_quotes_unanswered_and_overdue_follow_the_service_level_clocks(client, agent):
    now = timezone.now()
    fresh_quote = case_in(S.QUOTED, days=2, sla_due_at=now + timedelta(days=1))
    old_quote = case_in(S.QUOTED, days=6, sla_due_at=now - timedelta(days=3))
    late_reception = case_in(S.RECEIVED, days=2, sla_due_at=now - timedelta(hours=1))
    in_time = case_in(S.RECEIVED, days=0.5, sla_due_at=now + timedelta(hours=3))
    paused = case_in(S.ON_HOLD, days=30, sla_due_at=None, held_from_status=S.REPAIRING)
    closed = case_in(S.CLOSED, days=300)
    client.force_login(agent)

    unanswered = numbers(client.get(reverse("workshop:queue", args=["quotes-unanswered"])))
    assert unanswered == [old_quote.case_number]
    overdue = client.get(reverse("workshop:queue", args=["overdue"]))
    assert numbers(overdue) == [late_reception.case_number]
    assert "overdue" in overdue.text
    for case in (fresh_quote, in_time, closed, paused):
        assert case.case_number not in overdue.text

    dashboard = client.get(reverse("workshop:dashboard")).text
    card = dashboard.split('id="queue-quotes-unanswered"')[1]
    assert re.search(r'class="queue-count"[^>]*>1<', card)


def test_a_queue_pages_fifty_at_a_time(client, reception):
    cases = [case_in(S.SUBMITTED, days=60 - n) for n in range(55)]
    client.force_login(reception)
    first = client.get(reverse("workshop:queue", args=["parcels-expected"]))
    assert len(numbers(first)) == 50 and numbers(first)[0] == cases[0].case_number
    assert "Page 1 of 2" in first.text
    second = client.get(reverse("workshop:queue", args=["parcels-expected"]), {"page": "2"})
    assert numbers(second) == [case.case_number for case in cases[50:]]
    # A page that does not exist shows the last one, never an error.
    assert (
        client.get(reverse("workshop:queue", args=["parcels-expected"]), {"page": "x9"}).status_code
        == 200
    )


def test_an_unknown_queue_is_not_found(client, reception):
    client.force_login(reception)
    assert client.get(reverse("workshop:queue", args=["everything"])).status_code == 404


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("slug", [queue.slug for queue in QUEUES])
def test_each_queue_page_takes_the_same_queries_with_1_or_30_cases(
    client, administrator, django_assert_num_queries, slug
):
    queue = next(q for q in QUEUES if q.slug == slug)
    status = queue.statuses[0]
    # Old enough for "quotes unanswered" and "overdue" too.
    case_for_queue(slug, status, days=90)
    client.force_login(administrator)
    url = reverse("workshop:queue", args=[slug])
    # On PostgreSQL a queue of several statuses reads its page's ids first, in the index's order
    # (selectors._QueueCases): one more query, as fixed as the others.
    expected = QUERIES["queue"] + (
        len(queue.statuses) > 1 and connection.features.supports_slicing_ordering_in_compound
    )
    assert count_queries(client, url) == expected
    assert len(numbers(client.get(url))) == 1
    for _ in range(29):
        case_for_queue(slug, status, days=90)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(numbers(response)) == 30


def test_the_dashboard_takes_the_same_queries_with_1_or_30_cases(
    client, administrator, django_assert_num_queries
):
    case_in(S.SUBMITTED)
    client.force_login(administrator)
    assert count_queries(client, reverse("workshop:dashboard")) == QUERIES["dashboard"]
    for status in list(S.values)[1:] * 3:
        case_in(status, days=40)
    with django_assert_num_queries(QUERIES["dashboard"]):
        client.get(reverse("workshop:dashboard"))


def test_the_search_takes_the_same_queries_with_1_or_30_cases(
    client, agent, django_assert_num_queries
):
    first = case_in(S.SUBMITTED, serial_number="163CFR0SAME001")
    client.force_login(agent)
    url = reverse("workshop:search")
    # Found by a serial number: the list, even of one case (only a whole case number opens it).
    response = client.get(url, {"q": "163CFR0SAME001"})
    assert response.status_code == 200 and numbers(response) == [first.case_number]
    assert count_queries(client, url, {"q": "163CFR0SAME001"}) == QUERIES["search_serial"]
    for _ in range(29):
        case_in(S.CLOSED, serial_number="163CFR0SAME001")
    with django_assert_num_queries(QUERIES["search_serial"]):
        response = client.get(url, {"q": "163CFR0SAME001"})
    assert len(numbers(response)) == 30

    owner = first.user
    owner.last_name = "Vasseur"
    owner.save(update_fields=["last_name"])
    assert count_queries(client, url, {"q": "vass"}) == QUERIES["search_name"]
    for _ in range(29):
        case_in(S.CLOSED, user=owner)
    with django_assert_num_queries(QUERIES["search_name"]):
        response = client.get(url, {"q": "vass"})
    assert len(numbers(response)) == 30


def test_a_queue_of_several_steps_is_in_waiting_order_across_them_page_after_page(
    client, technician
):
    ages = [(S.REPAIRING, 9), (S.QUALITY_CHECK, 8), (S.REPLACING, 7), (S.REPAIRING, 1)]
    ages += [(S.QUALITY_CHECK, 5)] * (PAGE_SIZE - 2)
    cases = sorted(
        (case_in(status, days=days) for status, days in ages),
        key=lambda case: (case.status_changed_at, case.pk),
    )
    client.force_login(technician)
    url = reverse("workshop:queue", args=["to-repair"])
    first, second = client.get(url), client.get(url, {"page": "2"})
    assert numbers(first) + numbers(second) == [case.case_number for case in cases]
    assert numbers(second) == [cases[-2].case_number, cases[-1].case_number]


def test_a_row_says_each_cell_escaped_and_labelled_for_the_phone_layout(client, agent):
    case = case_in(S.QUOTED, days=40, serial_number="163CFR0ROW0001")
    case.user.first_name, case.user.last_name = "<b>Zoé", "O'Neil</b>"
    case.user.save(update_fields=["first_name", "last_name"])
    client.force_login(agent)
    page = client.get(reverse("workshop:search"), {"q": "163CFR0ROW0001"}).text
    row = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "&lt;b&gt;Zoé O&#x27;Neil&lt;/b&gt;" in row and "<b>" not in row
    assert '<td data-label="Customer">' in row and '<td data-label="Status">' in row
    assert f'<a href="{reverse("workshop:case", args=[case.case_number])}">' in row
    assert 'data-status="quoted"' in row and "<code>163CFR0ROW0001</code>" in row
    assert re.search(r'<time datetime="[0-9T:.+-]+">[^<]*(month|week|day)', row)


def test_a_queue_past_the_count_cap_says_more_than_and_still_pages_on(
    client, technician, monkeypatch
):
    """A queue is counted up to `COUNT_CAP` cases (the dashboard says "3+", the queue "more
    than"), yet every page stays reachable: the page asked for is always counted."""
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    cases = sorted(
        (case_in(S.RECEIVED, days=10 - n) for n in range(7)),
        key=lambda case: (case.status_changed_at, case.pk),
    )
    counts = {c.queue.slug: c for c in selectors.queue_counts(list(selectors.QUEUES))}
    assert (counts["to-evaluate"].count, counts["to-evaluate"].more) == (3, True)
    assert (counts["on-hold"].count, counts["on-hold"].more) == (0, False)

    client.force_login(technician)
    dashboard = client.get(reverse("workshop:dashboard")).text
    assert re.search(r'<span class="queue-count" aria-hidden="true">3\+</span>', dashboard)
    assert "more than 3 cases" in dashboard

    url = reverse("workshop:queue", args=["to-evaluate"])
    first = client.get(url).text
    # Page 1 counted up to 4 (the page and the next one): "more than 4", 2 pages and more.
    assert "More than 4 cases, the longest waiting first." in first
    assert "Page 1 of more than 2" in first and 'rel="next"' in first
    # The last page, asked for directly, is counted whole.
    last = client.get(url, {"page": "4"})
    assert numbers(last) == [cases[-1].case_number]
    assert "7 cases, the longest waiting first." in last.text and "Page 4 of 4" in last.text
    pages = [numbers(client.get(url, {"page": str(n)})) for n in (1, 2, 3, 4)]
    assert [number for page in pages for number in page] == [c.case_number for c in cases]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(url).text
    assert "Plus de 4 dossiers, les plus anciens d'abord." in french
    assert "Page 1 sur plus de 2" in french


def test_a_case_numbers_beginning_finds_its_cases_newest_first_past_the_cap_too(
    client, agent, monkeypatch
):
    """The cases of a number's beginning are read from the numbers' index (up to
    `CASE_NUMBER_CAP`); past it, the newest are read first until enough match: the same list
    either way, newest first."""
    numbers_made = [f"CAS-77{n:05d}-ABCDEF" for n in range(6)]
    made = []
    for n, number in enumerate(numbers_made):
        case = case_in(S.SUBMITTED, case_number=number)
        RepairRequest.objects.filter(pk=case.pk).update(
            submitted_at=timezone.now() - timedelta(days=n)
        )
        made.append(number)
    case_in(S.SUBMITTED, case_number="CAS-7800000-ABCDEF")
    assert selectors.case_ids_for_number("CAS-7700003-ABCDEF") is not None
    client.force_login(agent)
    url = reverse("workshop:search")
    for cap in (100, 3):
        monkeypatch.setattr(selectors, "CASE_NUMBER_CAP", cap)
        assert (selectors.case_ids_for_number("CAS-77") is None) == (cap == 3)
        response = client.get(url, {"q": "CAS-77"})
        assert numbers(response) == made  # submitted 0, 1, 2… days ago: newest first
    whole = client.get(url, {"q": "cas-7700003-abcdef"})
    assert whole.status_code == 302 and whole["Location"].endswith("/CAS-7700003-ABCDEF/")
