"""The working-day calendar: the one place that says which days are worked.

Saturdays and Sundays are days off, public holidays and swapped days off are days off, and a
make-up working day (a Saturday worked in exchange for a bridge day) is a working day.

`WorkCalendar(start, end)` reads the holiday table for a range in one query and answers from
memory; loops (the reminder scans, the report's working days to answer, the bulk petition
generator) build one and ask it for every row. A question outside the range widens it with one
more query, so an answer never depends on the range chosen. The module-level functions build a
calendar for one question.
"""

import bisect
import datetime

from rules.models import Holiday, HolidayKind

DAY = datetime.timedelta(days=1)
DAYS_OFF = (HolidayKind.HOLIDAY, HolidayKind.DAY_OFF)


class WorkCalendar:
    """Working days on the holiday calendar over `start`..`end` (inclusive), loaded in one query."""

    def __init__(self, start: datetime.date, end: datetime.date):
        if end < start:
            start, end = end, start
        self._load(start, end)

    def _load(self, start: datetime.date, end: datetime.date) -> None:
        rows = Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
        days_off = {d for d, kind in rows if kind in DAYS_OFF}
        worked = {d for d, kind in rows if kind == HolidayKind.WORKING_DAY}
        self.start, self.end = start, end
        # The ordinals of the working days in the range, ascending.
        self._working: list[int] = []
        day = start
        while day <= end:
            if day in worked or (day.weekday() < 5 and day not in days_off):
                self._working.append(day.toordinal())
            day += DAY

    def _cover(self, *days: datetime.date) -> None:
        """Widen the range (one query) so that it holds every day of `days`."""
        low, high = min(days), max(days)
        if low < self.start or high > self.end:
            self._load(min(low, self.start), max(high, self.end))

    def is_working_day(self, day: datetime.date) -> bool:
        """Return True if `day` is a working day."""
        self._cover(day)
        position = bisect.bisect_left(self._working, day.toordinal())
        return position < len(self._working) and self._working[position] == day.toordinal()

    def day_index(self, day: datetime.date) -> int:
        """Return the running count of working days up to and including `day`.

        Differences of indexes are `working_days_between`; the index itself is only meaningful
        relative to another day's index on the same calendar.
        """
        self._cover(day)
        return bisect.bisect_right(self._working, day.toordinal())

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Return the number of working days after `start` up to and including `end` (negative if end < start)."""
        self._cover(start, end)
        return self.day_index(end) - self.day_index(start)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """Return the date `n` working days after `start` (the day of `start` itself does not count).

        `add_working_days(friday, 1)` is the next Monday when Monday is a working day.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return start
        self._cover(start)
        while True:
            position = self.day_index(start) + n - 1
            if position < len(self._working):
                return datetime.date.fromordinal(self._working[position])
            self._cover(self.end + datetime.timedelta(days=n * 2 + 60))


def _horizon(start: datetime.date, n: int) -> datetime.date:
    # Enough days for n working days even across Tết (at most ~9 days off in a row).
    return start + datetime.timedelta(days=n * 2 + 60)


def is_working_day(day: datetime.date) -> bool:
    """Return True if `day` is a working day."""
    return WorkCalendar(day, day).is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """Return the date `n` working days after `start` (the day of `start` itself does not count).

    `add_working_days(friday, 1)` is the next Monday when Monday is a working day.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    return WorkCalendar(start, _horizon(start, n)).add_working_days(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Return the number of working days after `start` up to and including `end` (negative if end < start)."""
    if end == start:
        return 0
    return WorkCalendar(start, end).working_days_between(start, end)
