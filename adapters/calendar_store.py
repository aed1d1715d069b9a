"""Admin-entered calendar years in the database, and the loader that joins them to the built-in
official years into one `WorkingCalendar`.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from adapters.db import db
from adapters.models import CalendarDay, CalendarYear
from engine.calendar import (
    ADMIN_SOURCE,
    BUILTIN_SOURCE,
    WorkingCalendar,
    YearCalendar,
    builtin_year_numbers,
    builtin_years,
    default_calendar,
)
from engine.calendar_lines import completeness_problems
from engine.errors import Conflict, ValidationFailed


@dataclass(frozen=True)
class YearStatus:
    """One row of the calendar overview."""

    year: int
    source: str  # builtin | admin
    complete: bool
    holidays: int
    workdays: int
    entered_at: datetime | None = None
    completed_at: datetime | None = None


def load_working_calendar() -> WorkingCalendar:
    """The built-in years plus every admin-entered year marked complete."""
    complete = db.session.scalars(select(CalendarYear.year).where(CalendarYear.complete)).all()
    return default_calendar(_year_calendar(year) for year in complete)


def admin_year(year: int) -> tuple[YearCalendar, CalendarYear] | None:
    """An admin-entered year (complete or not) with its bookkeeping row, or None."""
    row = db.session.get(CalendarYear, year)
    return None if row is None else (_year_calendar(year), row)


def builtin_year(year: int) -> YearCalendar | None:
    return next((y for y in builtin_years() if y.year == year), None)


def year_overview() -> list[YearStatus]:
    """Every year with data, built-in or entered, newest first."""
    out = [
        YearStatus(y.year, BUILTIN_SOURCE, True, len(y.holidays), len(y.workdays)) for y in builtin_years()
    ]
    counts = {
        (year, kind): n
        for year, kind, n in db.session.execute(
            select(CalendarDay.year, CalendarDay.kind, func.count()).group_by(
                CalendarDay.year, CalendarDay.kind
            )
        )
    }
    for row in db.session.scalars(select(CalendarYear)):
        out.append(
            YearStatus(
                row.year,
                ADMIN_SOURCE,
                row.complete,
                counts.get((row.year, "holiday"), 0),
                counts.get((row.year, "workday"), 0),
                row.entered_at,
                row.completed_at,
            )
        )
    return sorted(out, key=lambda s: s.year, reverse=True)


def save_year(calendar: YearCalendar, *, complete: bool, user_id: int | None) -> None:
    """Replace an admin-entered year's days; `complete` decides whether deadlines may use it.

    Built-in years are read-only (Conflict); a year marked complete must pass the completeness
    checks (ValidationFailed).
    """
    year = calendar.year
    if year in builtin_year_numbers():
        raise Conflict(f"{year}年为内置的官方日历，不能修改", {"year": str(year)})
    if complete:
        problems = completeness_problems(calendar)
        if problems:
            raise ValidationFailed("；".join(problems), {"complete": "；".join(problems)})
    now = datetime.now(UTC)
    row = db.session.get(CalendarYear, year) or CalendarYear(year=year)
    row.entered_by_id, row.entered_at = user_id, now
    if complete and not row.complete:
        row.completed_by_id, row.completed_at = user_id, now
    elif not complete:
        row.completed_by_id, row.completed_at = None, None
    row.complete = complete
    db.session.add(row)
    db.session.flush()
    db.session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    for kind, days in (("holiday", calendar.holidays), ("workday", calendar.workdays)):
        db.session.add_all(
            CalendarDay(day=d, kind=kind, name=name, year=year, entered_by_id=user_id, entered_at=now)
            for d, name in days.items()
        )
    db.session.flush()


def _year_calendar(year: int) -> YearCalendar:
    rows = db.session.scalars(select(CalendarDay).where(CalendarDay.year == year)).all()
    return YearCalendar(
        year=year,
        holidays={r.day: r.name for r in rows if r.kind == "holiday"},
        workdays={r.day: r.name for r in rows if r.kind == "workday"},
        source=ADMIN_SOURCE,
    )
