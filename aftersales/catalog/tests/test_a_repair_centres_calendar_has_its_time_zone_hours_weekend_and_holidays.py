"""Each repair centre has its business calendar (issue 9, item 1): its time zone, working hours,
weekend days, its country's public holidays (the `holidays` package, with a region's own) and
the days it closes besides. What an administrator types is checked at the field."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from aftersales.catalog.models import ClosedDay, RepairCentre
from aftersales.catalog.tests.factories import RepairCentreFactory

pytestmark = pytest.mark.django_db


def test_the_default_centre_works_monday_to_friday_nine_to_five_in_amsterdam():
    calendar = RepairCentreFactory().business_calendar()
    assert calendar.zone == ZoneInfo("Europe/Amsterdam")
    assert (calendar.opens, calendar.closes) == (time(9), time(17))
    assert calendar.is_business_day(date(2026, 3, 6))  # Friday
    assert not calendar.is_business_day(date(2026, 3, 7))  # Saturday


def test_the_countrys_public_holidays_and_the_centres_own_days_are_closed():
    centre = RepairCentreFactory(country="NL")
    ClosedDay.objects.create(centre=centre, day=date(2026, 5, 15), name="Bridge day")
    calendar = centre.business_calendar()
    assert not calendar.is_business_day(date(2026, 4, 27))  # King's Day
    assert not calendar.is_business_day(date(2026, 5, 14))  # Ascension Day
    assert not calendar.is_business_day(date(2026, 5, 15))  # the centre's bridge day
    assert calendar.is_business_day(date(2026, 5, 18))


def test_a_region_adds_its_own_public_holidays():
    munich = RepairCentreFactory(country="DE", holiday_subdivision="BY", time_zone="Europe/Berlin")
    berlin = RepairCentreFactory(country="DE", holiday_subdivision="BE", time_zone="Europe/Berlin")
    epiphany = date(2026, 1, 6)  # a public holiday in Bavaria, not in Berlin
    assert not munich.business_calendar().is_business_day(epiphany)
    assert berlin.business_calendar().is_business_day(epiphany)


def test_a_countrys_holidays_are_made_once_per_process_and_each_region_has_its_own():
    """Every move of a case reads its centre's calendar: the package's object (which computes
    a year's days at its first lookup) is made once per country and region, not per move."""
    munich = RepairCentreFactory(country="DE", holiday_subdivision="BY", time_zone="Europe/Berlin")
    again = RepairCentre.objects.get(pk=munich.pk)  # another request's copy of the same centre
    berlin = RepairCentreFactory(country="DE", holiday_subdivision="BE", time_zone="Europe/Berlin")
    assert again.public_holidays is munich.public_holidays
    assert berlin.public_holidays is not munich.public_holidays
    assert date(2026, 1, 6) in again.public_holidays  # Epiphany, Bavaria's
    assert date(2026, 1, 6) not in berlin.public_holidays


def test_a_centre_elsewhere_counts_in_its_own_time_zone_and_weekend():
    dubai = RepairCentreFactory(
        country="AE", time_zone="Asia/Dubai", weekend_days=[5, 6], opens_at=time(8)
    )
    calendar = dubai.business_calendar()
    # Friday 6 March 2026 at 21:00 UTC is Saturday 01:00 in Dubai: the next business day is
    # Monday, which closes at 17:00 Dubai time.
    sent = datetime(2026, 3, 6, 21, 0, tzinfo=ZoneInfo("UTC"))
    assert calendar.add_business_days(sent, 1) == datetime(
        2026, 3, 9, 17, 0, tzinfo=ZoneInfo("Asia/Dubai")
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"weekend_days": [5, 9]}, "weekend_days"),
        ({"weekend_days": [0, 1, 2, 3, 4, 5, 6]}, "weekend_days"),
        ({"weekend_days": "sat"}, "weekend_days"),
        ({"opens_at": time(17), "closes_at": time(9)}, "closes_at"),
        ({"holiday_subdivision": "XX"}, "holiday_subdivision"),
        ({"tracking_range_first": 10, "tracking_range_last": 5}, "tracking_range_last"),
        ({"tracking_range_first": 10}, "tracking_range_last"),
        (
            {"tracking_range_first": 1, "tracking_range_last": 5, "tracking_range_next": 9},
            "tracking_range_next",
        ),
    ],
)
def test_a_wrong_setting_is_refused_at_its_field(fields, field):
    centre = RepairCentreFactory.build(**fields)
    centre.zone.save()
    centre.zone_id = centre.zone.pk
    with pytest.raises(ValidationError) as refused:
        centre.full_clean()
    assert field in refused.value.message_dict
