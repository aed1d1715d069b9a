"""Working-day arithmetic on the official 2025 and 2026 arrangements, with dates worked out
by hand from the State Council notices."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.calendar import CalendarUnavailable, WorkingCalendar, YearCalendar, default_calendar
from engine.errors import DomainError


@pytest.fixture
def cal() -> WorkingCalendar:
    return default_calendar()


def test_twenty_working_days_from_2026_09_15_lands_on_2026_10_19(cal):
    # Tue 9-15 → 16, 17, 18 (3), Sun 9-20 worked (4), 21–24 (8), 中秋 25–27 off, 28–30 (11),
    # 国庆 10-1…7 off, 10-8, 9 (13), Sat 10-10 worked (14), 12–16 (19), Mon 10-19 (20).
    assert cal.add_working_days(date(2026, 9, 15), 20) == date(2026, 10, 19)


def test_make_up_days_count_and_holidays_do_not(cal):
    assert cal.is_working_day(date(2026, 9, 20))  # a Sunday worked for 国庆
    assert cal.is_working_day(date(2026, 10, 10))  # a Saturday worked for 国庆
    assert not any(cal.is_working_day(date(2026, 10, day)) for day in range(1, 8))
    assert not cal.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert cal.is_working_day(date(2026, 10, 8))  # an ordinary Thursday


def test_counting_across_spring_festival_2026(cal):
    # Thu 2-12 → Fri 2-13 (1), Sat 2-14 worked (2), 2-15…23 off, 24, 25, 26 (5).
    assert cal.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    # Sat 2-28 is worked, Sun 3-1 is not.
    assert cal.add_working_days(date(2026, 2, 27), 1) == date(2026, 2, 28)
    assert cal.add_working_days(date(2026, 2, 28), 1) == date(2026, 3, 2)


def test_counting_across_spring_festival_2025(cal):
    # Fri 1-24 → Sun 1-26 worked (1), Mon 1-27 (2), 1-28…2-4 off, Wed 2-5 (3).
    assert cal.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)


def test_counting_across_the_new_year_into_2026(cal):
    # Thu 2025-12-25 → 26, 29, 30, 31 (4), 1-1…3 off, Sun 1-4 worked (5), 5–9 (10).
    assert cal.add_working_days(date(2025, 12, 25), 10) == date(2026, 1, 9)


def test_zero_working_days_is_the_start_date_itself(cal):
    assert cal.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_negative_count_is_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 3, 2), -1)


def test_working_days_between_counts_the_half_open_interval(cal):
    assert cal.working_days_between(date(2026, 9, 15), date(2026, 10, 19)) == 20
    assert cal.working_days_between(date(2026, 10, 19), date(2026, 9, 15)) == -20
    assert cal.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_remaining_and_overdue_working_days(cal):
    due = date(2026, 10, 19)
    assert cal.remaining_working_days(date(2026, 10, 9), due) == 7  # Sat 10, 12–16, 19
    assert cal.remaining_working_days(due, due) == 0
    assert cal.remaining_working_days(date(2026, 10, 21), due) == -2  # overdue on 20 and 21


@pytest.mark.parametrize("start", [date(2026, 12, 25), date(2024, 12, 31), date(2027, 1, 4)])
def test_a_year_without_data_raises_instead_of_guessing(cal, start):
    with pytest.raises(CalendarUnavailable) as info:
        cal.add_working_days(start, 10)
    assert isinstance(info.value, DomainError)
    missing = 2027 if start.year != 2024 else 2024
    assert f"{missing}年" in info.value.message
    assert info.value.code == "calendar_unavailable"


def test_between_and_is_working_day_also_refuse_a_year_without_data(cal):
    with pytest.raises(CalendarUnavailable):
        cal.working_days_between(date(2026, 12, 1), date(2027, 1, 15))
    with pytest.raises(CalendarUnavailable):
        cal.is_working_day(date(2027, 6, 1))


def test_an_admin_entered_year_extends_the_calendar():
    year = YearCalendar(2027, holidays={date(2027, 1, 1): "元旦"}, workdays={})
    cal = default_calendar([year])
    # Fri 2026-12-25 → 28, 29, 30, 31 (4), 2027-1-1 off, Mon 1-4 (5).
    assert cal.add_working_days(date(2026, 12, 25), 5) == date(2027, 1, 4)
    assert cal.years == [2025, 2026, 2027]


def test_the_official_table_wins_over_an_entered_builtin_year():
    rogue = YearCalendar(2026, holidays={date(2026, 3, 2): "x"}, workdays={})
    assert default_calendar([rogue]).is_working_day(date(2026, 3, 2))


def test_year_calendar_refuses_dates_of_another_year_or_both_kinds():
    with pytest.raises(ValueError):
        YearCalendar(2027, holidays={date(2026, 1, 1): "元旦"})
    with pytest.raises(ValueError):
        YearCalendar(2027, holidays={date(2027, 1, 2): "a"}, workdays={date(2027, 1, 2): "b"})


def test_due_timedate_is_the_end_of_the_due_day_in_shanghai_as_utc(cal):
    assert cal.due_timedate(date(2026, 9, 15), 20) == "2026-10-19T15:59:59+00:00"


def test_due_timedate_is_accepted_by_spiffworkflow_timers(cal):
    fire = TimerEventDefinition.get_datetime(cal.due_timedate(date(2026, 9, 15), 20))
    assert fire == datetime.fromisoformat("2026-10-19T23:59:59+08:00")
