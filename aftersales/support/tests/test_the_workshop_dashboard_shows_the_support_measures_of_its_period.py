"""Issue 10, item 5: the workshop dashboard has a "Support" section for its period — tickets
opened, average first response and resolution in business hours, how many still wait for a
first reply — registered by the support app (the workshop does not import it), computed with
the dashboard's figures in one query and cached with them, in the CSV too, in both languages,
and only for those who may open the dashboard."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.accounts.tests.factories import UserFactory
from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.support.choices import TicketStatus
from aftersales.support.dashboard import section_values
from aftersales.support.services import ticket_reply_by_agent, ticket_status_set
from aftersales.workshop import dashboard

from .helpers import Clock, ticket_at

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE = reverse("workshop:centre_dashboard")
CSV = reverse("workshop:centre_dashboard_csv")
PERIOD = {"start": "2026-03-02", "end": "2026-03-13"}  # two working weeks


def moment(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def tickets(monkeypatch, agent):
    """In the period: one answered Monday 10:00 (2 h) and closed Tuesday 9:30 (9 h 30), one
    answered in 4 h, one waiting for a first reply, an e-mail still to sort; after it, one
    answered at once (not counted)."""
    cache.clear()
    RepairCentreFactory()  # Barendrecht: 9:00-17:00, Monday to Friday
    clock = Clock(monkeypatch)
    plan = [
        (moment(6, 16), moment(9, 10), moment(10, 9, 30)),
        (moment(9, 9), moment(9, 13), None),
        (moment(10, 11), None, None),
        (moment(20, 10), moment(20, 10, 5), None),  # after the period
    ]
    for created, answered, closed in plan:
        ticket = ticket_at(created)
        if answered:
            clock.set(answered)
            ticket_reply_by_agent(ticket=ticket, by=agent, body="Bonjour.")
        if closed:
            clock.set(closed)
            ticket_status_set(ticket=ticket, by=agent, status=TicketStatus.CLOSED)
    ticket_at(moment(11, 12), status=TicketStatus.TO_SORT)
    monkeypatch.undo()


@pytest.fixture
def manager(db):
    """A centre's manager: the dashboard only, not the inbox."""
    group = Group.objects.create(name="centre manager")
    group.permissions.add(Permission.objects.get(codename="open_dashboard"))
    user = UserFactory(email="manager@example.com", is_staff=True)
    user.groups.add(group)
    return user


def _section(page: str) -> str:
    return page.split('id="support-measures"')[1].split("</section>")[0]


def test_the_section_counts_the_tickets_of_the_period_in_business_hours(tickets, manager, client):
    client.force_login(manager)
    response = client.get(PAGE, PERIOD)
    assert response.status_code == 200
    section = _section(response.text)
    assert "3 support tickets opened in the period." in section
    assert '<td id="support-tickets">3</td>' in section
    assert '<td id="support-answered">2</td>' in section
    assert '<td id="support-unanswered">1</td>' in section
    assert '<td id="support-closed">1</td>' in section
    assert '<td id="support-first-response">3 h 00</td>' in section  # (2 h + 4 h) / 2
    assert '<td id="support-resolution">9 h 30</td>' in section
    assert "One inbox serves every repair centre" not in section

    # The week after: only the ticket answered at once (5 minutes).
    section = _section(client.get(PAGE, {"start": "2026-03-16", "end": "2026-03-22"}).text)
    assert '<td id="support-tickets">1</td>' in section
    assert '<td id="support-first-response">0 h 05</td>' in section
    assert '<td id="support-resolution">—</td>' in section


def test_the_section_is_in_french_and_in_the_csv(tickets, administrator, client):
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    section = _section(client.get(PAGE, PERIOD).text)
    assert "Assistance" in section
    assert "3 demandes d'assistance ouvertes dans la période." in section
    assert "Délai moyen de première réponse (heures ouvrées)" in section
    assert "Sans réponse pour l'instant" in section

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = list(csv.reader(io.StringIO(client.get(CSV, PERIOD).content.decode())))
    figures = {row[0]: row[3] for row in rows}
    assert figures["Support tickets opened"] == "3"
    assert figures["Support tickets not answered yet"] == "1"
    assert figures["Average first response (business hours)"] == "3.0"
    assert figures["Average resolution (business hours)"] == "9.5"


def test_with_a_centre_chosen_the_page_says_the_tickets_are_every_centres(
    tickets, administrator, client
):
    client.force_login(administrator)
    centre = RepairCentreFactory(name="Lyon")
    section = _section(client.get(PAGE, {**PERIOD, "centre": centre.pk}).text)
    assert "One inbox serves every repair centre" in section
    assert '<td id="support-tickets">3</td>' in section


def test_the_section_is_one_query_and_cached_with_the_figures(tickets, administrator, client):
    filters = dashboard.Filters(start=date(2026, 3, 2), end=date(2026, 3, 13))
    with CaptureQueriesContext(connection) as queries:
        assert section_values(filters)["tickets"] == 3
    assert len(queries) == 1
    for _n in range(30):
        ticket_at(moment(12, 10))
    with CaptureQueriesContext(connection) as queries:
        assert section_values(filters)["tickets"] == 33
    assert len(queries) == 1

    # The page's figures are cached (per filters): a ticket opened since shows once they are
    # counted again.
    client.force_login(administrator)
    cache.clear()
    assert '<td id="support-tickets">33</td>' in _section(client.get(PAGE, PERIOD).text)
    ticket_at(moment(12, 11))
    assert '<td id="support-tickets">33</td>' in _section(client.get(PAGE, PERIOD).text)
    cache.clear()
    assert '<td id="support-tickets">34</td>' in _section(client.get(PAGE, PERIOD).text)


def test_only_those_who_may_open_the_dashboard_see_it(request, tickets, manager, client):
    client.force_login(manager)
    assert 'id="support-measures"' in client.get(PAGE, PERIOD).text
    # The agents answer the tickets but do not open the dashboard; nor does anyone else.
    for who in ("agent", "technician", "reception", "customer"):
        client.force_login(request.getfixturevalue(who))
        response = client.get(PAGE, PERIOD)
        assert response.status_code == 403, who
        assert "support-measures" not in response.text
        assert client.get(CSV, PERIOD).status_code == 403
    client.logout()
    response = client.get(PAGE, PERIOD)
    assert response.status_code == 302 and "support-measures" not in response.text
