"""Properties of working-day arithmetic over every date of the built-in years."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from engine.calendar import CalendarUnavailable, default_calendar

CAL = default_calendar()  # pure data, safe to share between examples
dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
counts = st.integers(min_value=0, max_value=120)


def _add(d: date, n: int) -> date:
    try:
        return CAL.add_working_days(d, n)
    except CalendarUnavailable:
        assume(False)  # ran past 2026: nothing to compare
        raise


@given(dates, counts)
def test_add_then_between_gives_back_the_count(d, n):
    assert CAL.working_days_between(d, _add(d, n)) == n


@given(dates, st.integers(min_value=1, max_value=120))
def test_the_result_is_a_working_day_and_the_day_before_is_one_short(d, n):
    due = _add(d, n)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(d, due - timedelta(days=1)) == n - 1


@given(dates, counts, counts)
def test_more_working_days_land_strictly_later(d, n, m):
    assume(n != m)
    n, m = sorted((n, m))
    assert _add(d, n) < _add(d, m)


@given(dates, dates, st.integers(min_value=1, max_value=120))
def test_a_later_start_never_gives_an_earlier_deadline(a, b, n):
    a, b = sorted((a, b))
    assert _add(a, n) <= _add(b, n)


@given(dates, dates)
def test_between_is_antisymmetric(a, b):
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)


@given(dates, dates, dates)
def test_between_adds_up_over_consecutive_spans(a, b, c):
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@given(dates, dates)
def test_between_is_monotone_in_its_end(a, b):
    assume(b >= a)
    assert 0 <= CAL.working_days_between(a, b) <= (b - a).days
