"""The workshop dashboard (its page, its plots, its CSV) opens for staff holding
`repairs.open_dashboard` — administrators by default, and any group an administrator gives it to
(permissions are data) — and for nobody else: other roles and customers get the 403 page, an
anonymous visitor the log-in. Bad filters are said at their field, never a 500; and the page
asks the database the same number of queries whatever the number of cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.accounts.tests.factories import UserFactory
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import CaseEvent
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import dashboard
from aftersales.workshop.models import CountedDay, DailyFigure
from aftersales.workshop.tests.dashboard_data import END, START, known_data

pytestmark = pytest.mark.django_db

URLS = {
    "page": reverse("workshop:centre_dashboard"),
    "plot": reverse("workshop:centre_dashboard_plot", args=["shares"]),
    "csv": reverse("workshop:centre_dashboard_csv"),
}


@pytest.fixture
def manager(db):
    """A centre's manager: a group an administrator made, given the dashboard only."""
    group = Group.objects.create(name="centre manager")
    group.permissions.add(Permission.objects.get(codename="open_dashboard"))
    user = UserFactory(email="manager@example.com", is_staff=True)
    user.groups.add(group)
    return user


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_administrators_and_managers_open_it(client, administrator, manager, url):
    for person in (administrator, manager):
        client.force_login(person)
        assert client.get(url).status_code == 200, person.email


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_other_roles_customers_and_strangers_are_refused(request, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    for who in ("technician", "agent", "reception", "analyst", "customer"):
        client.force_login(request.getfixturevalue(who))
        response = client.get(url)
        assert response.status_code == 403, who
        assert "<svg" not in response.text and "Figure" not in response.text


def test_a_staff_account_without_the_permission_is_refused(client):
    client.force_login(UserFactory(email="intern@example.com", is_staff=True))
    assert client.get(URLS["page"]).status_code == 403


def test_the_workshop_bar_links_to_it_for_those_who_may_open_it(client, administrator, agent):
    client.force_login(administrator)
    assert URLS["page"] in client.get(reverse("workshop:dashboard")).text
    client.force_login(agent)
    assert URLS["page"] not in client.get(reverse("workshop:dashboard")).text


def test_it_shows_the_last_90_days_of_every_centre_by_default(client, administrator):
    client.force_login(administrator)
    response = client.get(URLS["page"])
    today = timezone.localdate()
    assert response.context["filters"].end == today
    assert response.context["filters"].start == today - timedelta(days=89)
    assert response.context["filters"].centre is None
    assert 'id="filter-start"' in response.text and 'id="filter-centre"' in response.text


def test_bad_filters_are_said_at_their_field_and_kept(client, administrator):
    client.force_login(administrator)
    response = client.get(URLS["page"], {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 422
    assert "The end of the period is before its start." in response.text
    assert 'aria-describedby="filter-end_error"' in response.text
    assert 'value="2026-03-10"' in response.text  # what was typed is kept
    assert "<img" not in response.text

    response = client.get(URLS["page"], {"start": "yesterday", "end": "2026-03-01"})
    assert response.status_code == 422 and 'value="yesterday"' in response.text
    response = client.get(URLS["page"], {"start": "2024-01-01", "end": "2026-03-01"})
    assert response.status_code == 422 and "at most 366 days" in response.text
    response = client.get(URLS["page"], {"start": "2026-03-01", "end": "2026-03-02", "centre": "x"})
    assert response.status_code == 422

    # The plots and the CSV of filters that are not valid: nothing to show.
    bad = {"start": "2026-03-10", "end": "2026-03-01"}
    assert client.get(URLS["plot"], bad).status_code == 404
    assert client.get(URLS["csv"], bad).status_code == 404
    unknown = reverse("workshop:centre_dashboard_plot", args=["pie"])
    assert client.get(unknown).status_code == 404


def test_every_plot_is_an_svg_with_its_text_alternative_on_the_page(client, administrator):
    known_data()
    client.force_login(administrator)
    query = {"start": START.isoformat(), "end": END.isoformat()}
    page = client.get(URLS["page"], query).text
    for name in ("opened-closed", "stages", "weekly", "sla", "problems", "components", "shares"):
        url = reverse("workshop:centre_dashboard_plot", args=[name])
        assert url in page
        response = client.get(url, query)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response.text.lstrip().startswith("<?xml") and "<svg" in response.text
    # Each image has its words; each plot its table.
    assert page.count("<img ") == 7 and page.count('alt="') >= 7 and 'alt=""' not in page
    assert page.count("<details>") == 7
    assert "5 cases opened and 1 closed in the period." in page
    assert "Service level breaches per week" in page
    # The problems per model, on one axis: each model's name over its rows, each bar its count.
    figures = dashboard.figures_of(dashboard.Filters(start=START, end=END))
    svg = client.get(reverse("workshop:centre_dashboard_plot", args=["problems"]), query).text
    assert figures.problems
    for model, rows in figures.problems.items():
        assert f">{model}</text>" in svg
        for _problem, count in rows:
            assert f">{count}</text>" in svg


def _page_queries(client, *, recount: bool = False) -> int:
    cache.clear()
    if recount:
        DailyFigure.objects.all().delete()
        CountedDay.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URLS["page"], {"start": START.isoformat(), "end": END.isoformat()})
    assert response.status_code == 200
    return len(queries)


def _more_cases(count: int, known) -> None:
    for n in range(count):
        case = SubmittedCaseFactory(
            repair_centre=known.centre,
            zone=known.centre.zone,
            product_model=known.mavic,
            submitted_at=timezone.make_aware(timezone.datetime(2026, 3, 3, 9))
            + timedelta(minutes=n),
        )
        for status in (RequestStatus.SUBMITTED, RequestStatus.RECEIVED, RequestStatus.CLOSED):
            CaseEvent.objects.create(
                request=case, status=status, occurred_at=case.submitted_at + timedelta(hours=2)
            )


def test_the_page_asks_a_fixed_number_of_queries_whatever_the_data(client, administrator):
    client.force_login(administrator)
    counting = [_page_queries(client, recount=True)]
    counted = [_page_queries(client)]
    known = known_data()
    counting.append(_page_queries(client, recount=True))
    counted.append(_page_queries(client))
    _more_cases(20, known)
    counting.append(_page_queries(client, recount=True))
    counted.append(_page_queries(client))
    # The days counted: the session, the user with their permissions (their own, their
    # groups'; accounts.backends), the centres of the filter, which days are counted, and the
    # sums of their counts; the service level breaches (the breached clocks and the running
    # ones past due, each from its index) and the estimates' error (issue 9, item 5); the
    # sections other apps add (support's tickets of the period, issue 10, item 5: one
    # aggregate). Once the counts name models and components, their names (two queries: the
    # sums are grouped by ids, not by names).
    assert counted == [9, 11, 11]
    # The first page of a period not counted yet counts it: a query per figure for the ten
    # days, one per day for the stages (none without a repair centre at all, as at first),
    # then writes the counts (a transaction; the rows in batches, as many as the database
    # takes at once).
    assert counting[1] == counting[2]
    assert counting[0] < counting[1]

    # From the cache: the page asks for no figure (the session, the user with their
    # permissions, the centres of the filter).
    with CaptureQueriesContext(connection) as queries:
        client.get(URLS["page"], {"start": START.isoformat(), "end": END.isoformat()})
    assert len(queries) == 3


def test_today_is_counted_on_each_request_and_past_days_once(client, administrator, settings):
    settings.WORKSHOP_DASHBOARD_CACHE_SECONDS = 0
    client.force_login(administrator)
    case = SubmittedCaseFactory()  # submitted now
    CaseEvent.objects.create(request=case, status=RequestStatus.SUBMITTED)
    response = client.get(URLS["page"])
    assert response.context["figures"].opened[-1] == 1  # today, counted now
    # The 89 days before today are counted, and stored.
    assert CountedDay.objects.count() == 89
    assert not DailyFigure.objects.filter(day=timezone.localdate()).exists()
    SubmittedCaseFactory()
    assert client.get(URLS["page"]).context["figures"].opened[-1] == 2


def test_a_plot_takes_the_pages_figures_or_computes_them_without_the_sections(
    client, administrator
):
    """A plot draws none of the sections other apps add (support's tickets): alone, it does not
    compute them; after the page, it draws from the page's cached figures, asking for none."""
    client.force_login(administrator)
    known_data()
    period = {"start": START.isoformat(), "end": END.isoformat()}
    cache.clear()
    client.get(URLS["page"], period)  # counts the days once
    cache.clear()
    with CaptureQueriesContext(connection) as alone:
        assert client.get(URLS["plot"], period).status_code == 200
    assert not any("support_ticket" in query["sql"] for query in alone.captured_queries)

    cache.clear()
    client.get(URLS["page"], period)
    with CaptureQueriesContext(connection) as after_page:
        response = client.get(URLS["plot"], period)
    assert response.status_code == 200 and b"<svg" in response.content
    # The session, the user with their permissions: no figure.
    assert len(after_page) == 2
