"""The built-in 2025 and 2026 tables against DOMAIN.md §8 and the `holidays` package.

`holidays.China` lists each statutory holiday date (even on a weekend) plus the weekdays given
off in exchange ("Day off (substituted from MM/DD/YYYY)", naming the make-up working day); it
leaves out the other weekend days inside a holiday block. So the two sources agree when every
listed date is one of our holidays, both have the same weekday holidays, and the make-up days
match.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import holidays
import pytest

from engine.calendar import builtin_year_numbers, builtin_years

SUBSTITUTED = re.compile(r"substituted from (\d\d/\d\d/\d{4})")
YEARS = {y.year: y for y in builtin_years()}


def test_builtin_years_are_2025_and_2026():
    assert builtin_year_numbers() == {2025, 2026}
    assert all(y.source == "builtin" for y in YEARS.values())


@pytest.mark.parametrize("year", [2025, 2026])
def test_holidays_agree_with_the_holidays_package(year):
    package = holidays.China(years=year)
    ours = YEARS[year].holidays
    assert set(package) <= set(ours)
    assert {d for d in ours if d.weekday() < 5} == {d for d in package if d.weekday() < 5}


@pytest.mark.parametrize("year", [2025, 2026])
def test_make_up_working_days_agree_with_the_holidays_package(year):
    package = holidays.China(years=year)
    named = {
        datetime.strptime(m.group(1), "%m/%d/%Y").date()
        for name in package.values()
        if (m := SUBSTITUTED.search(name))
    }
    assert set(YEARS[year].workdays) == named
    assert all(d.weekday() >= 5 for d in named)


def test_2026_matches_the_domain_notes():
    def block(m1, d1, m2, d2):
        first, last = date(2026, m1, d1), date(2026, m2, d2)
        return {date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)}

    expected = (
        block(1, 1, 1, 3)
        | block(2, 15, 2, 23)
        | block(4, 4, 4, 6)
        | block(5, 1, 5, 5)
        | block(6, 19, 6, 21)
        | block(9, 25, 9, 27)
        | block(10, 1, 10, 7)
    )
    assert set(YEARS[2026].holidays) == expected
    assert set(YEARS[2026].workdays) == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }


def test_2025_totals():
    # 元旦 1 + 春节 8 + 清明 3 + 劳动节 5 + 端午 3 + 国庆中秋 8 days off; 5 make-up days.
    assert len(YEARS[2025].holidays) == 28
    assert len(YEARS[2025].workdays) == 5
