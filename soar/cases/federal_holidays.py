"""US federal holidays (5 U.S.C. 6103) and the detainer hold window that skips them.

Written here rather than taken from a package because the rule set is small and fixed
by statute, and the hold deadline must not change when a third-party calendar does.
Observance follows 5 U.S.C. 6103(b) and Executive Order 11582: a holiday on a Saturday
is observed the Friday before, on a Sunday the Monday after. Not modelled: Inauguration
Day (a holiday only in the Washington DC area) and one-off closures by executive order
(e.g. 24 December 2019); both are rare and local.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from functools import cache

# 8 CFR 287.7(d): hold "not to exceed 48 hours, excluding Saturdays, Sundays, and holidays".
HOLD_HOURS = 48


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0 = Monday) of a month; n = -1 for the last one."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[n - 1] if n > 0 else days[n]


def observed(day: date) -> date:
    """The day a fixed-date holiday is observed: Saturday → Friday, Sunday → Monday."""
    if day.weekday() == calendar.SATURDAY:
        return day - timedelta(days=1)
    if day.weekday() == calendar.SUNDAY:
        return day + timedelta(days=1)
    return day


def _actual(year: int) -> dict[date, str]:
    """Holidays by their actual date in `year` (before weekend observance)."""
    days = {
        date(year, 1, 1): "New Year's Day",
        nth_weekday(year, 2, calendar.MONDAY, 3): "Washington's Birthday",
        nth_weekday(year, 5, calendar.MONDAY, -1): "Memorial Day",
        date(year, 7, 4): "Independence Day",
        nth_weekday(year, 9, calendar.MONDAY, 1): "Labor Day",
        nth_weekday(year, 10, calendar.MONDAY, 2): "Columbus Day",
        date(year, 11, 11): "Veterans Day",
        nth_weekday(year, 11, calendar.THURSDAY, 4): "Thanksgiving Day",
        date(year, 12, 25): "Christmas Day",
    }
    if year >= 1986:  # Pub. L. 98-144: first observed 20 January 1986.
        days[nth_weekday(year, 1, calendar.MONDAY, 3)] = "Martin Luther King Jr. Day"
    if year >= 2021:  # Pub. L. 117-17, signed 17 June 2021.
        days[date(year, 6, 19)] = "Juneteenth National Independence Day"
    return days


@cache
def federal_holidays(year: int) -> dict[date, str]:
    """Days off for federal employees that fall in `year`, with their names.

    New Year's Day on a Saturday is observed on 31 December of the year before, so that
    year's list carries it.
    """
    holidays: dict[date, str] = {}
    for source_year in (year, year + 1):
        for day, name in _actual(source_year).items():
            when = observed(day)
            if when.year == year:
                holidays[when] = name if when == day else f"{name} (observed)"
    return dict(sorted(holidays.items()))


def is_business_day(day: date) -> bool:
    """Not a Saturday, Sunday or federal holiday."""
    return day.weekday() < calendar.SATURDAY and day not in federal_holidays(day.year)


def hold_deadline(release_at: datetime, hours: int = HOLD_HOURS) -> datetime:
    """When a detainer hold ends: `hours` after release, counting business-day hours only.

    Time on Saturdays, Sundays and federal holidays does not count (8 CFR 287.7(d)).
    `release_at` is the facility's local wall-clock time; so is the result.
    """
    remaining = timedelta(hours=hours)
    cursor = release_at
    while True:
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), time(), cursor.tzinfo)
        if is_business_day(cursor.date()):
            available = next_midnight - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
        cursor = next_midnight
