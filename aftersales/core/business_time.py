"""Business time: a repair centre's calendar (its time zone, working hours, weekend days and the
days it is closed), and the arithmetic the promises of the guide need (« vous la recevrez dans
un délai de deux jours ouvrables ») and the service levels will build on.

Pure: no database, no settings, no Django. The caller builds a `BusinessCalendar` (a repair
centre does it with `RepairCentre.business_calendar()`, with its country's public holidays and
the days it closes) and asks it:

- `add_business_days(start, n)`: the deadline "within n business days" of an instant — the
  closing time of the n-th business day after the day `start` falls on, in the centre's time
  zone (a case sent on Friday evening, with two business days, is due on Tuesday at closing);
- `add_business_hours(start, duration)`: the instant when `duration` of working time has passed
  since `start`, counting only the opening hours of business days;
- `business_time_between(start, end)`: how much working time lies between two instants;
- `is_business_day(day)`, `next_business_day(day)`, `business_days_after(day, n)` for dates.

Instants are aware datetimes in any time zone; the answers are aware datetimes in the
calendar's time zone. Working hours are wall-clock times of that zone: a day on which the
clocks change still opens at 09:00 local time, and the arithmetic is done on absolute time (UTC)
so that such a day is one hour shorter or longer only when the working hours span the change.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
# The weekend of most of Europe and America; a centre elsewhere sets its own (e.g. Friday and
# Saturday).
DEFAULT_WEEKEND: frozenset[int] = frozenset({SATURDAY, SUNDAY})
# More days than any real run of closed days (a long holiday season is a few weeks): a calendar
# closed every day is a mistake, reported instead of looping for ever.
MAX_CLOSED_RUN_DAYS = 366
UTC = ZoneInfo("UTC")


class CalendarError(ValueError):
    """A calendar that cannot answer: no business day at all, working hours the wrong way round,
    a naive datetime."""


@dataclass(frozen=True)
class BusinessCalendar:
    """When a repair centre works.

    `time_zone`: an IANA name or a ZoneInfo. `opens`/`closes`: the working hours of every
    business day, wall-clock in that zone (`closes` may be `time(0)` for midnight at the end of
    the day). `weekend`: the weekdays it is closed (Monday is 0). `closed_dates`: any container
    of dates it is closed on besides (public holidays — a `holidays.HolidayBase` works as is —,
    the centre's own closing days)."""

    time_zone: ZoneInfo | str
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    weekend: frozenset[int] = DEFAULT_WEEKEND
    closed_dates: Container[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if isinstance(self.time_zone, str):
            object.__setattr__(self, "time_zone", ZoneInfo(self.time_zone))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        if self.closes != time(0) and self.closes <= self.opens:
            raise CalendarError("A business day closes after it opens.")
        if len(self.weekend) >= 7 or not self.weekend <= set(range(7)):
            raise CalendarError("The weekend is a set of weekdays (0-6) leaving one open.")

    @property
    def zone(self) -> ZoneInfo:
        assert isinstance(self.time_zone, ZoneInfo)  # made one by __post_init__
        return self.time_zone

    # --- Days -------------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.closed_dates

    def next_business_day(self, day: date) -> date:
        """The first business day after `day`."""
        for _ in range(MAX_CLOSED_RUN_DAYS):
            day += timedelta(days=1)
            if self.is_business_day(day):
                return day
        raise CalendarError(f"No business day in the {MAX_CLOSED_RUN_DAYS} days after {day}.")

    def business_days_after(self, day: date, days: int) -> date:
        """The `days`-th business day after `day` (0: `day` itself if it is a business day,
        else the next one)."""
        if days < 0:
            raise CalendarError("Count business days forwards only.")
        if days == 0:
            return day if self.is_business_day(day) else self.next_business_day(day)
        for _ in range(days):
            day = self.next_business_day(day)
        return day

    def local_date(self, instant: datetime) -> date:
        return self._local(instant).date()

    # --- Instants -----------------------------------------------------------------------------

    def opening(self, day: date) -> datetime:
        """When `day` opens, an aware datetime in the calendar's zone."""
        return datetime.combine(day, self.opens, tzinfo=self.zone)

    def closing(self, day: date) -> datetime:
        """When `day` closes (midnight at its end when `closes` is 00:00)."""
        if self.closes == time(0):
            return datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
        return datetime.combine(day, self.closes, tzinfo=self.zone)

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """The deadline "within `days` business days" of `start`: the closing time of the
        `days`-th business day after the local day of `start` (with 0, the closing time of that
        day, or of the next business day when it is closed)."""
        return self.closing(self.business_days_after(self.local_date(start), days))

    def add_business_hours(self, start: datetime, duration: timedelta | float) -> datetime:
        """The instant at which `duration` (a timedelta, or hours) of working time has passed
        since `start`. Time outside the working hours and on closed days does not count."""
        remaining = duration if isinstance(duration, timedelta) else timedelta(hours=duration)
        if remaining < timedelta(0):
            raise CalendarError("Add business time forwards only.")
        cursor = self._utc(start)
        for opened, closed in self._windows_from(cursor):
            cursor = max(cursor, opened)
            available = closed - cursor
            if remaining <= available:
                return (cursor + remaining).astimezone(self.zone)
            remaining -= available
        raise AssertionError("unreachable: _windows_from never ends")  # pragma: no cover

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The working time between two instants (negative when `end` is before `start`)."""
        if end < start:
            return -self.business_time_between(end, start)
        begin, finish = self._utc(start), self._utc(end)
        total = timedelta(0)
        for opened, closed in self._windows_from(begin):
            if opened >= finish:
                break
            total += min(closed, finish) - max(opened, begin)
        return total

    def is_open(self, instant: datetime) -> bool:
        moment = self._utc(instant)
        day = self.local_date(instant)
        return self.is_business_day(day) and self._utc(self.opening(day)) <= moment < self._utc(
            self.closing(day)
        )

    # --- Inside -------------------------------------------------------------------------------

    def _windows_from(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows (opening, closing) in UTC that end after `instant`, in order."""
        day = self._local(instant).date()
        if not self.is_business_day(day):
            day = self.next_business_day(day)
        while True:
            closed = self._utc(self.closing(day))
            if closed > instant:
                yield self._utc(self.opening(day)), closed
            day = self.next_business_day(day)

    def _local(self, instant: datetime) -> datetime:
        self._check_aware(instant)
        return instant.astimezone(self.zone)

    def _utc(self, instant: datetime) -> datetime:
        # Python subtracts two datetimes of one time zone by their wall clocks: across a change
        # of the clocks that is an hour off. In UTC it is the real time elapsed.
        self._check_aware(instant)
        return instant.astimezone(UTC)

    @staticmethod
    def _check_aware(instant: datetime) -> None:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise CalendarError("Business time needs aware datetimes (with their time zone).")


class ClosedDates:
    """Dates a centre is closed on: its country's public holidays (any container, e.g. a
    `holidays.HolidayBase`, which fills in the years it is asked about) and its own."""

    def __init__(self, *sources: Container[date]) -> None:
        self.sources = sources

    def __contains__(self, day: object) -> bool:
        return any(day in source for source in self.sources)
