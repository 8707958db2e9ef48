"""The workshop dashboard's figures, counted by the database, on known data
(`dashboard_data.known_data`: five cases submitted in a ten-day period at two centres, one before
it received in it, one cancelled before it, one after it): cases opened and closed per day,
statuses reached per week, how long each stage lasted (from the timeline), the top problems and
damaged components per model, and how the cases were paid for; filtered by centre; the CSV says
the same."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from aftersales.repairs.choices import Problem, RequestStatus
from aftersales.workshop import dashboard
from aftersales.workshop.tests.dashboard_data import END, START, day, known_data

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def known(db):
    return known_data()


def test_cases_opened_and_closed_per_day(known):
    figures = dashboard.figures_compute(known.filters())
    assert figures.days[0] == START and figures.days[-1] == END and len(figures.days) == 10
    opened = dict(zip(figures.days, figures.opened, strict=True))
    assert {d: n for d, n in opened.items() if n} == {day(0): 2, day(2): 2, day(5): 1}
    closed = dict(zip(figures.days, figures.closed, strict=True))
    assert {d: n for d, n in closed.items() if n} == {day(9): 1}

    at_one_centre = dashboard.figures_compute(known.filters(centre=known.centre))
    assert at_one_centre.opened_total == 4  # the plan case is the other centre's


def test_statuses_reached_per_week(known):
    figures = dashboard.figures_compute(known.filters())
    assert figures.weeks == [day(0), day(7)]  # Mondays
    assert figures.reached[S.RECEIVED] == [6, 0]
    assert figures.reached[S.QUOTED] == [2, 1]
    assert figures.reached[S.REPAIRING] == [1, 0]
    assert figures.reached[S.REPLACING] == [1, 0]
    assert figures.reached[S.SHIPPED] == [1, 0]
    assert figures.reached[S.CLOSED] == [0, 1]
    assert figures.reached[S.CANCELLED] == [0, 0]  # cancelled before the period
    # No clock was derived from these hand-written timelines (their own test: the dashboard
    # counts the service level breaches per week).
    assert figures.sla_breaches == [0, 0]


def test_each_stage_lasts_from_its_move_in_to_the_next_move(known):
    stages = dashboard.figures_compute(known.filters()).stages
    # 24 h, 67 h, 4 h, 24 h, 24 h, and 240 h for the case submitted before the period.
    assert stages[S.SUBMITTED] == {
        "count": 6,
        "mean_hours": 63.8,
        "lt1": 1,
        "1to2": 3,
        "2to5": 1,
        "5to10": 0,
        "ge10": 1,
    }
    assert stages[S.RECEIVED]["count"] == 5 and stages[S.RECEIVED]["lt1"] == 5
    assert stages[S.RECEIVED]["mean_hours"] == 1.2
    assert stages[S.EVALUATING]["count"] == 5 and stages[S.EVALUATING]["mean_hours"] == 13.2
    assert (stages[S.QUOTED]["count"], stages[S.QUOTED]["lt1"], stages[S.QUOTED]["1to2"]) == (
        3,
        2,
        1,
    )
    assert stages[S.REPAIRING]["count"] == 1 and stages[S.REPAIRING]["2to5"] == 1  # 48 h
    assert stages[S.SHIPPED]["mean_hours"] == 96.0
    # Still in it: not ended, not counted.
    assert stages[S.AWAITING_PAYMENT]["count"] == 0
    assert stages[S.REPLACING]["count"] == 0


def test_top_problems_and_damaged_components_per_model(known):
    figures = dashboard.figures_compute(known.filters())
    assert list(figures.problems) == ["Mavic 2 Pro", "Spark"]  # the most cases first
    assert figures.problems["Mavic 2 Pro"] == [
        (Problem.GIMBAL_CAMERA.value, 2),
        (Problem.ACCIDENT_DAMAGE.value, 2),
        (Problem.WATER_DAMAGE.value, 1),
    ]
    assert figures.problems["Spark"] == [(Problem.ACCIDENT_DAMAGE.value, 1)]
    # Every evaluation of the period: the repaired case's two (battery; gimbal and battery).
    assert figures.components["Mavic 2 Pro"] == [(known.gimbal.pk, 3), (known.battery.pk, 3)]
    assert figures.components["Spark"] == [(known.battery.pk, 1)]


def test_how_the_cases_were_paid_for(known):
    figures = dashboard.figures_compute(known.filters())
    assert figures.shares == {"warranty": 1, "plan": 2, "paid": 1, "refused": 1}
    at_one_centre = dashboard.figures_compute(known.filters(centre=known.centre))
    assert at_one_centre.shares == {"warranty": 1, "plan": 1, "paid": 1, "refused": 1}


def test_the_csv_has_the_same_figures(client, known, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("workshop:centre_dashboard_csv"),
        {"start": START.isoformat(), "end": END.isoformat(), "centre": ""},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Figure", "Date or group", "Series", "Value"]
    assert ["Cases opened per day", day(0).isoformat(), "", "2"] in rows
    assert ["Cases closed per day", day(9).isoformat(), "", "1"] in rows
    quoted = "Quote sent: waiting for your answer"
    assert ["Cases per week by status reached", day(7).isoformat(), quoted, "1"] in rows
    assert ["Stages ended in the period", "Submitted: waiting for your parcel", "", "6"] in rows
    submitted = "Submitted: waiting for your parcel"
    assert ["Mean time in the stage (hours)", submitted, "", "63.8"] in rows
    assert ["Top problems declared", "Mavic 2 Pro", "Gimbal and camera malfunction", "2"] in rows
    assert ["Top damaged components found", "Mavic 2 Pro", "Battery", "3"] in rows
    assert ["How the cases were paid for", "Quote refused", "", "1"] in rows
    opened = [row for row in rows if row[0] == "Cases opened per day"]
    assert sum(int(row[3]) for row in opened) == 5 and len(opened) == 10


def test_the_csv_and_the_page_speak_french(client, known, administrator):
    client.force_login(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    query = {"start": START.isoformat(), "end": END.isoformat(), "centre": known.centre.pk}
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("workshop:centre_dashboard_csv"), query).content.decode()
            )
        )
    )
    assert rows[0] == ["Chiffre", "Date ou groupe", "Série", "Valeur"]
    assert ["Composants endommagés les plus fréquents", "Mavic 2 Pro", "Nacelle", "3"] in rows
    page = client.get(reverse("workshop:centre_dashboard"), query)
    assert page.status_code == 200
    assert "Tableau de bord de l’atelier" in page.text
    assert "02/03/2026" in page.text  # the French date format
    svg = client.get(reverse("workshop:centre_dashboard_plot", args=["opened-closed"]), query)
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in svg.text and "Dossiers ouverts et clôturés par jour" in svg.text
