"""The working-day calendar as the engine sees it: built-in years plus admin-entered years from
the database, reloaded when an admin saves a year (and at most every few minutes otherwise)."""

from __future__ import annotations

import time
from datetime import date

from engine.calendar import DEFAULT_TZ, WorkingCalendar

RELOAD_SECONDS = 300


class DbCalendar:
    """Implements engine.ports.WorkingDayCalendar over `adapters.calendar_store`; call inside an
    app context."""

    def __init__(self) -> None:
        self._calendar: WorkingCalendar | None = None
        self._loaded_at = 0.0

    def invalidate(self) -> None:
        self._calendar = None

    def current(self) -> WorkingCalendar:
        if self._calendar is None or time.monotonic() - self._loaded_at > RELOAD_SECONDS:
            from adapters.calendar_store import load_working_calendar

            self._calendar = load_working_calendar()
            self._loaded_at = time.monotonic()
        return self._calendar

    def add_working_days(self, d: date, n: int) -> date:
        return self.current().add_working_days(d, n)

    def working_days_between(self, a: date, b: date) -> int:
        return self.current().working_days_between(a, b)

    def due_timedate(self, start: date, n: int, tz: str = DEFAULT_TZ) -> str:
        return self.current().due_timedate(start, n, tz)

    def remaining_working_days(self, today: date, due: date) -> int:
        return self.current().remaining_working_days(today, due)
