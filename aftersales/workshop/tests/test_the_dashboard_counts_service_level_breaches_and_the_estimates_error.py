"""Issue 9, item 5 on the workshop dashboard: the service level clocks that breached each week
(derived from the timelines, `repairs.sla`), per stage, in a plot with its table and in the CSV;
and how far the estimated return dates were from the day the cases really closed (mean and
median absolute error in days)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.catalog.tests.factories import RepairCentreFactory
from aftersales.repairs import sla
from aftersales.repairs.choices import RequestStatus
from aftersales.repairs.models import ReturnEstimate
from aftersales.repairs.sla import sla_recompute
from aftersales.repairs.tests.factories import SubmittedCaseFactory
from aftersales.workshop import dashboard, plots
from aftersales.workshop.tests.dashboard_data import START, at, day, moves

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def centre(db):
    # Open around the clock every day: the arithmetic is plain days.
    from datetime import time

    return RepairCentreFactory(
        name="Barendrecht", opens_at=time(0), closes_at=time(0), weekend_days=[]
    )


def case_with(centre, *steps):
    case = SubmittedCaseFactory(repair_centre=centre, submitted_at=steps[0][1])
    moves(case, *steps)
    return case


def test_breaches_are_counted_in_the_week_they_happened(centre):
    other = RepairCentreFactory(
        name="Lyon", opens_at=centre.opens_at, closes_at=centre.closes_at, weekend_days=[]
    )
    # Evaluation within 2 days: received on day 0, quoted on day 3 → breached on day 2.
    case_with(
        centre,
        (S.SUBMITTED, at(day(-1))),
        (S.RECEIVED, at(day(0))),
        (S.EVALUATING, at(day(1))),
        (S.QUOTED, at(day(3))),
    )
    # In time: quoted the next day.
    case_with(centre, (S.SUBMITTED, at(day(-1))), (S.RECEIVED, at(day(0))), (S.QUOTED, at(day(1))))
    # Evaluated in exactly 2 days (in time), then the repair (5 days) still running: breached
    # on day 7, the second week.
    case_with(
        centre, (S.SUBMITTED, at(day(-1))), (S.RECEIVED, at(day(0))), (S.REPAIRING, at(day(2)))
    )
    # At the other centre: the label late (received 3 days after the submission, breached on
    # day 3), then the evaluation still running since day 4 (breached on day 6).
    case_with(other, (S.SUBMITTED, at(day(1))), (S.RECEIVED, at(day(4))))
    sla_recompute(open_only=False)

    figures = dashboard.figures_compute(dashboard.Filters(start=START, end=day(9)))
    assert figures.weeks == [day(0), day(7)]
    assert figures.sla_breaches_by_stage == {
        "label": [1, 0],
        "evaluation": [2, 0],
        "repair": [0, 1],
        "shipping": [0, 0],
    }
    assert figures.sla_breaches == [3, 1]
    mine = dashboard.figures_compute(dashboard.Filters(start=START, end=day(9), centre=centre))
    assert mine.sla_breaches == [1, 1]
    # A later period counts none of them.
    assert (
        sum(dashboard.figures_compute(dashboard.Filters(start=day(14), end=day(20))).sla_breaches)
        == 0
    )


def test_the_error_of_the_estimated_return_dates(centre):
    case = SubmittedCaseFactory(repair_centre=centre)
    closed = date(2026, 3, 6)
    for estimated in (closed, closed + timedelta(days=2), closed - timedelta(days=3)):
        ReturnEstimate.objects.create(
            request=case,
            centre=centre,
            made_at=timezone.now(),
            estimated_on=estimated,
            closed_on=closed,
            error_days=(estimated - closed).days,
        )
    # Not closed yet: not measured.
    ReturnEstimate.objects.create(
        request=case, centre=centre, made_at=timezone.now(), estimated_on=closed
    )
    error = dashboard.figures_compute(dashboard.Filters(start=START, end=day(9))).estimate_error
    assert error == {"count": 3, "mean_abs_days": 1.7, "median_abs_days": 2.0, "late_share": 33}


def test_the_page_plots_the_breaches_and_says_the_error(client, administrator, centre, settings):
    settings.LANGUAGE_CODE = "en"
    case_with(centre, (S.SUBMITTED, at(day(-1))), (S.RECEIVED, at(day(0))), (S.QUOTED, at(day(4))))
    sla_recompute(open_only=False)
    client.force_login(administrator)
    query = {"start": START.isoformat(), "end": day(9).isoformat()}
    page = client.get(reverse("workshop:centre_dashboard"), query).text
    section = page.split('id="plot-sla"')[1].split("</section>")[0]
    assert "plots/sla.svg" in section and "1 in the period" in section
    assert 'id="estimate-error"' in page
    svg = client.get(reverse("workshop:centre_dashboard_plot", args=["sla"]), query)
    assert svg.status_code == 200 and b"<svg" in svg.content
    csv = client.get(reverse("workshop:centre_dashboard_csv"), query).content.decode()
    assert "Service level breaches per week" in csv and "Median error" in csv


def test_a_plot_of_the_stored_counts_leaves_the_clocks_out_and_the_sla_plot_keeps_them(
    client, administrator, centre, settings
):
    """The plots of the stored counts take light figures (no SLA clocks, no estimates' error:
    two aggregates less); the SLA plot, asked afterwards for the same period, is drawn from the
    whole figures, not from the light ones in the cache."""
    settings.LANGUAGE_CODE = "en"
    settings.WORKSHOP_DASHBOARD_CACHE_SECONDS = 300
    case_with(centre, (S.SUBMITTED, at(day(-1))), (S.RECEIVED, at(day(0))), (S.QUOTED, at(day(4))))
    sla_recompute(open_only=False)
    filters = dashboard.Filters(start=START, end=day(9))
    whole = dashboard.figures_compute(filters)
    light = dashboard.figures_compute(filters, with_sections=False, light=True)
    assert light.light and not whole.light
    assert sum(whole.sla_breaches) == 1 and whole.estimate_error["count"] == 0
    assert light.sla_breaches_by_stage == {} and light.estimate_error == {}
    # The stored counts are the same.
    for name in ("days", "opened", "closed", "weeks", "reached", "stages", "problems", "shares"):
        assert getattr(light, name) == getattr(whole, name), name
    with pytest.raises(ValueError, match="whole figures"):
        plots.plot_svg("sla", light)

    client.force_login(administrator)
    query = {"start": START.isoformat(), "end": day(9).isoformat()}
    drawn = client.get(reverse("workshop:centre_dashboard_plot", args=["opened-closed"]), query)
    assert drawn.status_code == 200
    assert dashboard.figures_of(filters, light=True).light  # cached, light
    svg = client.get(reverse("workshop:centre_dashboard_plot", args=["sla"]), query)
    assert svg.status_code == 200
    (stage,) = [s for s, counts in whole.sla_breaches_by_stage.items() if sum(counts)]
    label = str(sla.STAGES_BY_KEY[stage].label)
    assert label.split()[0] in svg.content.decode()
    assert not dashboard.figures_of(filters).light
