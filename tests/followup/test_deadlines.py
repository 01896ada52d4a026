"""How a notice deadline reads: days left, days late, met or missed once published."""

import datetime

from followup.services import deadline_state

DUE = datetime.date(2026, 11, 20)


def test_an_open_deadline_counts_the_days_left_then_the_days_late():
    assert deadline_state(DUE, None, datetime.date(2026, 11, 17))["days_left"] == 3
    late = deadline_state(DUE, None, datetime.date(2026, 11, 22))
    assert (late["late"], late["days_late"], late["days_left"]) == (True, 2, 0)


def test_once_done_the_deadline_is_met_or_missed_whatever_today_is():
    met = deadline_state(DUE, datetime.date(2026, 11, 20), datetime.date(2027, 1, 1))
    missed = deadline_state(DUE, datetime.date(2026, 11, 23), datetime.date(2027, 1, 1))
    assert (met["late"], met["days_late"]) == (False, 0)
    assert (missed["late"], missed["days_late"]) == (True, 3)


def test_no_due_date_is_no_deadline():
    assert deadline_state(None, None, DUE) == {"due_on": None}
