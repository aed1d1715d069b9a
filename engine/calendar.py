"""Chinese working days: weekends and public holidays are off, 调休 make-up days are on.

Deadlines such as "20 working days" are counted with a `WorkingCalendar` built from one
`YearCalendar` per year: the official years shipped here (`builtin_years()`) plus years that
administrators enter. Every date a calculation is given or passes through must lie in a year
with data; otherwise `CalendarUnavailable` is raised — the calendar never guesses.

Counting rules (used everywhere, also in the UI):
- `add_working_days(d, n)` is the n-th working day after d; d itself is never counted, so the
  deadline "20 working days after D" is `add_working_days(D, 20)`, and `add_working_days(d, 0)`
  is d.
- `working_days_between(a, b)` is the number of working days in (a, b]; it is negative,
  −(working days in (b, a]), when b is before a. The two are inverse:
  `working_days_between(d, add_working_days(d, n)) == n`.
- A due date ends at 23:59:59 Asia/Shanghai on the due working day (`due_timedate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from engine.errors import DomainError

DEFAULT_TZ = "Asia/Shanghai"
END_OF_DAY = time(23, 59, 59)
ONE_DAY = timedelta(days=1)
BUILTIN_SOURCE = "builtin"
ADMIN_SOURCE = "admin"


class CalendarUnavailable(DomainError):
    """A date falls in a year for which no official holiday arrangement is known."""

    code = "calendar_unavailable"

    def __init__(self, year: int):
        super().__init__(
            f"{year}年的工作日历尚未录入（法定节假日及调休安排），无法计算工作日；请系统管理员在“工作日历”中录入{year}年并标记为完整。",
            {"year": str(year)},
        )
        self.year = year


@dataclass(frozen=True)
class YearCalendar:
    """One year's official arrangement: days off (holidays, including the weekend days inside
    a holiday block) and make-up working days (调休上班), each mapped to its name."""

    year: int
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    source: str = ADMIN_SOURCE

    def __post_init__(self) -> None:
        outside = [d for d in (*self.holidays, *self.workdays) if d.year != self.year]
        if outside:
            raise ValueError(f"dates outside {self.year}: {sorted(outside)}")
        both = set(self.holidays) & set(self.workdays)
        if both:
            raise ValueError(f"dates both holiday and make-up working day: {sorted(both)}")


class WorkingCalendar:
    """Working-day arithmetic over the years it was built with."""

    def __init__(self, years: Iterable[YearCalendar]):
        self._years: dict[int, YearCalendar] = {}
        for year in years:
            if year.year in self._years:
                raise ValueError(f"year {year.year} given twice")
            self._years[year.year] = year

    @property
    def years(self) -> list[int]:
        """The years with data, ascending."""
        return sorted(self._years)

    def year(self, year: int) -> YearCalendar:
        """The arrangement for `year`; CalendarUnavailable when there is none."""
        try:
            return self._years[year]
        except KeyError:
            raise CalendarUnavailable(year) from None

    def is_working_day(self, d: date) -> bool:
        """True for Monday–Friday outside holidays, and for make-up working days."""
        arrangement = self.year(d.year)
        if d in arrangement.workdays:
            return True
        if d in arrangement.holidays:
            return False
        return d.weekday() < 5

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (d not counted); d itself when n is 0."""
        if n < 0:
            raise ValueError("n must be zero or positive")
        self.year(d.year)
        current = d
        while n:
            current += ONE_DAY
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (working days in (b, a]) when b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        self.year(a.year)
        count, current = 0, a
        while current < b:
            current += ONE_DAY
            count += self.is_working_day(current)
        return count

    def remaining_working_days(self, today: date, due: date) -> int:
        """Working days left until `due`: 0 on the due day itself ("today is the last day"),
        positive before it (剩余 N 个工作日), negative after it (已逾期 −N 个工作日: the working
        days passed since the due day)."""
        return self.working_days_between(today, due)

    def due_timedate(self, start: date, n: int, tz: str = DEFAULT_TZ) -> str:
        """The deadline n working days after `start` as a UTC ISO-8601 string for a BPMN
        `timeDate`: the end (23:59:59) of the due working day in local time `tz`."""
        return end_of_day_utc(self.add_working_days(start, n), tz)


def end_of_day_utc(d: date, tz: str = DEFAULT_TZ) -> str:
    """23:59:59 on `d` in local time `tz`, as a UTC ISO-8601 string."""
    local = datetime.combine(d, END_OF_DAY, ZoneInfo(tz))
    return local.astimezone(UTC).isoformat()


def _expand(spec: str, year: int) -> list[date]:
    """'MM-DD' or 'MM-DD..MM-DD' (inclusive) in `year`."""
    first, _, last = spec.partition("..")
    start = date.fromisoformat(f"{year}-{first}")
    end = date.fromisoformat(f"{year}-{last or first}")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# The State Council General Office's notices on each year's holiday arrangement
# (国务院办公厅关于20XX年部分节假日安排的通知). Holidays are whole blocks, weekend days included;
# make-up working days are the Saturdays and Sundays worked in exchange.
_OFFICIAL = {
    2025: (
        [
            ("元旦", "01-01"),
            ("春节", "01-28..02-04"),
            ("清明节", "04-04..04-06"),
            ("劳动节", "05-01..05-05"),
            ("端午节", "05-31..06-02"),
            ("国庆节、中秋节", "10-01..10-08"),
        ],
        [
            ("春节调休上班", "01-26"),
            ("春节调休上班", "02-08"),
            ("劳动节调休上班", "04-27"),
            ("国庆节、中秋节调休上班", "09-28"),
            ("国庆节、中秋节调休上班", "10-11"),
        ],
    ),
    2026: (
        [
            ("元旦", "01-01..01-03"),
            ("春节", "02-15..02-23"),
            ("清明节", "04-04..04-06"),
            ("劳动节", "05-01..05-05"),
            ("端午节", "06-19..06-21"),
            ("中秋节", "09-25..09-27"),
            ("国庆节", "10-01..10-07"),
        ],
        [
            ("元旦调休上班", "01-04"),
            ("春节调休上班", "02-14"),
            ("春节调休上班", "02-28"),
            ("劳动节调休上班", "05-09"),
            ("国庆节调休上班", "09-20"),
            ("国庆节调休上班", "10-10"),
        ],
    ),
}


def builtin_years() -> list[YearCalendar]:
    """The officially published years shipped with Liancha (read-only)."""
    out = []
    for year, (holidays, workdays) in sorted(_OFFICIAL.items()):
        out.append(
            YearCalendar(
                year=year,
                holidays={d: name for name, spec in holidays for d in _expand(spec, year)},
                workdays={d: name for name, spec in workdays for d in _expand(spec, year)},
                source=BUILTIN_SOURCE,
            )
        )
    return out


def builtin_year_numbers() -> set[int]:
    return set(_OFFICIAL)


def default_calendar(extra: Iterable[YearCalendar] = ()) -> WorkingCalendar:
    """The built-in years plus `extra` (admin-entered) years; an extra year that duplicates a
    built-in one is ignored because the official table wins."""
    return WorkingCalendar([*builtin_years(), *(y for y in extra if y.year not in _OFFICIAL)])
