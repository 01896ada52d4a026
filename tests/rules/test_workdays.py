"""Working-day arithmetic on the holiday calendar: Tết, swapped days off, make-up working days."""

import datetime

import pytest

from rules.holidays_vn import HOLIDAYS, install_holidays
from rules.models import Holiday, HolidayKind
from rules.workdays import WorkCalendar, add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.fixture
def calendar(db):
    install_holidays()


def test_the_holiday_table_is_consistent():
    dates = [d for d, _k, _n in HOLIDAYS]
    assert len(dates) == len(set(dates))
    for day, kind, _name in HOLIDAYS:
        if kind == HolidayKind.WORKING_DAY:
            assert day.weekday() >= 5, f"a make-up working day must be a weekend day: {day}"
        if kind == HolidayKind.DAY_OFF:
            assert day.weekday() < 5, f"a swapped day off must be a weekday: {day}"
    for year in (2025, 2026, 2027):
        names = " ".join(n for d, _k, n in HOLIDAYS if d.year == year)
        for holiday in ("Tết Nguyên đán", "Giỗ Tổ Hùng Vương", "Quốc khánh", "Quốc tế Lao động", "Tết Dương lịch"):
            assert holiday in names, (year, holiday)


def test_installing_holidays_twice_changes_nothing_and_keeps_corrections(db):
    install_holidays()
    Holiday.objects.filter(date=D(2027, 2, 4)).update(name="Corrected by an administrator")
    count = Holiday.objects.count()
    assert install_holidays() == 0
    assert Holiday.objects.count() == count
    assert Holiday.objects.get(date=D(2027, 2, 4)).name == "Corrected by an administrator"


def test_the_day_before_tet_2026_plus_one_working_day_is_the_monday_after_tet(calendar):
    # Tết Bính Ngọ: days off from Saturday 14/2 to Sunday 22/2/2026.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert not any(is_working_day(D(2026, 2, 14) + datetime.timedelta(days=i)) for i in range(9))


def test_ten_working_days_across_tet_2026(calendar):
    # 9/2 (Mon) + 10 working days: 10, 11, 12, 13/2, then 23, 24, 25, 26, 27/2 and 2/3.
    assert add_working_days(D(2026, 2, 9), 10) == D(2026, 3, 2)
    # Without the holiday table it would be 23/2.
    Holiday.objects.all().delete()
    assert add_working_days(D(2026, 2, 9), 10) == D(2026, 2, 23)


def test_tet_2025_spans_25_january_to_2_february(calendar):
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_a_swapped_day_off_is_not_a_working_day(calendar):
    # 2/1/2026 (Friday) was swapped with Saturday 10/1/2026.
    assert not is_working_day(D(2026, 1, 2))
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    # 2/5/2025 (Friday) was swapped with Saturday 26/4/2025: 29/4 + 1 skips 30/4, 1/5, 2/5 and the weekend.
    assert add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)


def test_a_make_up_saturday_is_a_working_day(calendar):
    assert is_working_day(D(2026, 1, 10))
    assert add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert working_days_between(D(2026, 1, 9), D(2026, 1, 12)) == 2  # Saturday 10 and Monday 12


def test_hung_kings_day_on_a_sunday_gives_the_monday_off(calendar):
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


@pytest.mark.parametrize("n", [1, 5, 10, 30, 60])
@pytest.mark.parametrize("start", [D(2025, 1, 20), D(2025, 12, 29), D(2026, 2, 10), D(2026, 8, 20), D(2026, 12, 30)])
def test_working_days_between_undoes_add_working_days(calendar, start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n
    assert is_working_day(end)


def test_thirty_working_days_from_the_answer_rule_across_tet_2026(calendar):
    # 30 working days from 2/2/2026: 9 before Tết (3–13/2), 5 after it (23–27/2), then 15 in
    # 2–20/3 and the 30th on Monday 23/3/2026.
    assert add_working_days(D(2026, 2, 2), 30) == D(2026, 3, 23)


def test_a_calendar_loads_its_range_in_one_query_and_answers_from_memory(calendar, django_assert_num_queries):
    with django_assert_num_queries(1):
        cal = WorkCalendar(D(2026, 1, 1), D(2026, 3, 31))
    with django_assert_num_queries(0):
        assert cal.add_working_days(D(2026, 2, 9), 10) == D(2026, 3, 2)
        assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
        assert cal.is_working_day(D(2026, 1, 10))  # the make-up Saturday
        assert not cal.is_working_day(D(2026, 2, 17))  # Tết
        assert cal.day_index(D(2026, 2, 23)) - cal.day_index(D(2026, 2, 13)) == 1


def test_a_question_outside_the_range_widens_it_with_one_query_and_gets_the_same_answer(
    calendar, django_assert_num_queries
):
    cal = WorkCalendar(D(2026, 2, 1), D(2026, 2, 10))
    with django_assert_num_queries(1):
        assert cal.add_working_days(D(2026, 2, 9), 10) == D(2026, 3, 2)
    with django_assert_num_queries(1):
        assert cal.working_days_between(D(2025, 12, 31), D(2026, 2, 2)) == 22  # 1/1 and 2/1 off, Saturday 10/1 worked
    assert working_days_between(D(2025, 12, 31), D(2026, 2, 2)) == 22
