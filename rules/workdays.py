"""Working-day arithmetic on the calendar of holidays an administrator edits.

Saturdays and Sundays are days off, public holidays and swapped days off are days off, and a
make-up working day (a Saturday worked in exchange for a bridge day) is a working day.
"""

import datetime

from rules.models import Holiday, HolidayKind


def _calendar(start: datetime.date, end: datetime.date) -> tuple[set, set]:
    rows = Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    days_off = {d for d, kind in rows if kind in (HolidayKind.HOLIDAY, HolidayKind.DAY_OFF)}
    worked = {d for d, kind in rows if kind == HolidayKind.WORKING_DAY}
    return days_off, worked


def is_working_day(day: datetime.date, *, _cal=None) -> bool:
    """Return True if `day` is a working day."""
    days_off, worked = _cal or _calendar(day, day)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in days_off


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """Return the date `n` working days after `start` (the day of `start` itself does not count).

    `add_working_days(friday, 1)` is the next Monday when Monday is a working day.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    horizon = start + datetime.timedelta(days=n * 2 + 60)
    cal = _calendar(start, horizon)
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if day > horizon:
            horizon = day + datetime.timedelta(days=n * 2 + 60)
            cal = _calendar(day, horizon)
        if is_working_day(day, _cal=cal):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Return the number of working days after `start` up to and including `end` (negative if end < start)."""
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    cal = _calendar(start, end)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, _cal=cal):
            count += 1
    return sign * count
