"""The business calendar (core/business_time.py): business days and business hours skip
weekends, holidays and the hours the centre is closed, in the centre's time zone, right across
the changes of the clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from aftersales.core.business_time import (
    FRIDAY,
    SATURDAY,
    BusinessCalendar,
    CalendarError,
    ClosedDates,
)

AMS = ZoneInfo("Europe/Amsterdam")
NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def amsterdam(**kwargs) -> BusinessCalendar:
    return BusinessCalendar(time_zone="Europe/Amsterdam", **kwargs)


def at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


# --- Business days -----------------------------------------------------------------------------


def test_two_business_days_from_a_weekday_end_at_closing_two_days_later():
    calendar = amsterdam()
    # Tuesday 3 March 2026, 10:00 → Thursday 5 March, 17:00.
    assert calendar.add_business_days(at(AMS, 2026, 3, 3, 10), 2) == at(AMS, 2026, 3, 5, 17)


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        ((2026, 3, 6, 18), (2026, 3, 10)),  # Friday evening → Tuesday
        ((2026, 3, 7, 11), (2026, 3, 10)),  # Saturday → Tuesday (Monday is the first)
        ((2026, 3, 8, 23, 59), (2026, 3, 10)),  # Sunday night → Tuesday
        ((2026, 3, 5, 8), (2026, 3, 9)),  # Thursday before opening → Monday
    ],
)
def test_weekends_are_skipped(sent, due):
    calendar = amsterdam()
    assert calendar.add_business_days(at(AMS, *sent), 2) == at(AMS, *due, 17)


def test_public_holidays_and_the_centres_own_closing_days_are_skipped():
    closed = ClosedDates(holidays.country_holidays("NL"), {date(2026, 12, 28)})
    calendar = amsterdam(closed_dates=closed)
    # Thursday 24 December 2026: Christmas (25) and Boxing Day (26, a Saturday), the weekend,
    # then the centre's own closing day (Monday 28): the two days are Tuesday 29, Wednesday 30.
    assert calendar.add_business_days(at(AMS, 2026, 12, 24, 15), 2) == at(AMS, 2026, 12, 30, 17)
    # King's Day, Monday 27 April 2026.
    assert not calendar.is_business_day(date(2026, 4, 27))
    assert calendar.business_days_after(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_holidays_are_found_in_any_year_asked():
    calendar = amsterdam(closed_dates=ClosedDates(holidays.country_holidays("NL")))
    assert not calendar.is_business_day(date(2031, 12, 25))
    assert calendar.is_business_day(date(2031, 12, 23))


def test_another_weekend():
    calendar = BusinessCalendar(time_zone="Asia/Dubai", weekend=frozenset({FRIDAY, SATURDAY}))
    assert not calendar.is_business_day(date(2026, 3, 6))  # Friday
    assert calendar.is_business_day(date(2026, 3, 8))  # Sunday
    assert calendar.business_days_after(date(2026, 3, 5), 1) == date(2026, 3, 8)


def test_zero_days_is_today_when_open_else_the_next_business_day():
    calendar = amsterdam()
    assert calendar.business_days_after(date(2026, 3, 4), 0) == date(2026, 3, 4)
    assert calendar.business_days_after(date(2026, 3, 7), 0) == date(2026, 3, 9)


# --- Time zones ------------------------------------------------------------------------------


def test_the_day_an_instant_falls_on_is_the_centres_day_not_utcs():
    calendar = BusinessCalendar(time_zone=TOKYO)
    # Friday 6 March 2026 at 23:30 UTC is Saturday 08:30 in Tokyo: counted from Saturday.
    sent = datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    assert calendar.local_date(sent) == date(2026, 3, 7)
    assert calendar.add_business_days(sent, 1) == at(TOKYO, 2026, 3, 9, 17)
    # The same instant for a centre in New York is still Friday 18:30.
    assert BusinessCalendar(time_zone=NY).add_business_days(sent, 1) == at(NY, 2026, 3, 9, 17)


def test_answers_are_in_the_centres_zone_whatever_the_zone_asked_in():
    calendar = amsterdam()
    due = calendar.add_business_days(datetime(2026, 3, 3, 9, tzinfo=UTC), 2)
    assert due.tzinfo == AMS
    assert due.astimezone(UTC) == datetime(2026, 3, 5, 16, tzinfo=UTC)


def test_naive_datetimes_are_refused():
    with pytest.raises(CalendarError):
        amsterdam().add_business_days(datetime(2026, 3, 3, 9), 2)


# --- Business hours ----------------------------------------------------------------------------


def test_business_hours_carry_over_to_the_next_business_day():
    calendar = amsterdam()
    # Friday 15:00 + 4 hours: 2 on Friday, 2 on Monday → Monday 11:00.
    assert calendar.add_business_hours(at(AMS, 2026, 3, 6, 15), 4) == at(AMS, 2026, 3, 9, 11)
    # From outside the hours, counting starts at the next opening.
    assert calendar.add_business_hours(at(AMS, 2026, 3, 7, 3), 1) == at(AMS, 2026, 3, 9, 10)
    assert calendar.add_business_hours(at(AMS, 2026, 3, 6, 20), timedelta(0)) == at(
        AMS, 2026, 3, 9, 9
    )


def test_business_time_between_two_instants():
    calendar = amsterdam()
    # Friday 16:00 → Monday 10:00: one hour each day.
    start, end = at(AMS, 2026, 3, 6, 16), at(AMS, 2026, 3, 9, 10)
    assert calendar.business_time_between(start, end) == timedelta(hours=2)
    assert calendar.business_time_between(end, start) == -timedelta(hours=2)
    # A whole week: five days of eight hours.
    week = calendar.business_time_between(at(AMS, 2026, 3, 2), at(AMS, 2026, 3, 9))
    assert week == timedelta(hours=40)
    # Inside one closed stretch: nothing.
    assert calendar.business_time_between(at(AMS, 2026, 3, 7, 9), at(AMS, 2026, 3, 8, 20)) == (
        timedelta(0)
    )


def test_adding_and_measuring_agree():
    calendar = amsterdam(closed_dates=ClosedDates(holidays.country_holidays("NL")))
    start = at(AMS, 2026, 12, 23, 13, 45)
    for hours in (0.5, 3, 8, 17.25, 60):
        end = calendar.add_business_hours(start, hours)
        assert calendar.business_time_between(start, end) == timedelta(hours=hours)


# --- Changes of the clocks -------------------------------------------------------------------


def test_a_working_day_is_eight_hours_on_the_days_the_clocks_change():
    calendar = amsterdam()
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026: the Friday
    # before and the Monday after each still open 09:00-17:00 local time.
    for friday, monday in (
        (date(2026, 3, 27), date(2026, 3, 30)),
        (date(2026, 10, 23), date(2026, 10, 26)),
    ):
        friday_afternoon = at(AMS, friday.year, friday.month, friday.day, 16)
        monday_morning = at(AMS, monday.year, monday.month, monday.day, 10)
        # In UTC those are 71 or 73 hours apart; in business time two.
        assert calendar.business_time_between(friday_afternoon, monday_morning) == timedelta(
            hours=2
        )
        assert calendar.add_business_hours(friday_afternoon, 2) == monday_morning
    assert at(AMS, 2026, 3, 30, 9).utcoffset() == timedelta(hours=2)
    assert calendar.add_business_days(at(AMS, 2026, 3, 27, 12), 1) == at(AMS, 2026, 3, 30, 17)


def test_a_centre_open_round_the_clock_has_a_23_hour_day_when_the_clocks_go_forward():
    calendar = amsterdam(opens=time(0), closes=time(0), weekend=frozenset())
    sunday = date(2026, 3, 29)
    start = at(AMS, 2026, 3, 29, 0)
    end = at(AMS, 2026, 3, 30, 0)
    assert (sunday, calendar.business_time_between(start, end)) == (sunday, timedelta(hours=23))
    autumn = calendar.business_time_between(at(AMS, 2026, 10, 25, 0), at(AMS, 2026, 10, 26, 0))
    assert autumn == timedelta(hours=25)
    # Adding 24 business hours from Saturday midnight crosses the lost hour.
    assert calendar.add_business_hours(at(AMS, 2026, 3, 28, 12), 24) == at(AMS, 2026, 3, 29, 13)


# --- Mistakes --------------------------------------------------------------------------------


def test_a_calendar_that_cannot_answer_says_so():
    with pytest.raises(CalendarError):
        amsterdam(opens=time(17), closes=time(9))
    with pytest.raises(CalendarError):
        amsterdam(weekend=frozenset(range(7)))
    every_day = ClosedDates({date(2026, 1, 1) + timedelta(days=n) for n in range(800)})
    with pytest.raises(CalendarError):
        amsterdam(closed_dates=every_day).next_business_day(date(2026, 1, 1))
