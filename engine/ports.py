"""Ports: what the engine needs from the outside world, as Protocols the adapters implement."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol


class JobQueue(Protocol):
    """Background jobs. `enqueue` takes effect when the caller's transaction commits (nothing runs
    on rollback); a job with a `key` that already ran is not run again. Returns the run's id."""

    def enqueue(self, job_name: str, *, key: str | None = None, **kwargs: Any) -> str: ...


class Clock(Protocol):
    """The current time, timezone-aware (tests pass a fixed or travelling clock)."""

    def now(self) -> datetime: ...


class WorkingDayCalendar(Protocol):
    """Working-day arithmetic (`engine.calendar.WorkingCalendar` implements it)."""

    def add_working_days(self, d: date, n: int) -> date: ...

    def working_days_between(self, a: date, b: date) -> int: ...

    def due_timedate(self, start: date, n: int, tz: str = ...) -> str: ...
