"""Admin-entered working-day calendar years (the built-in official years live in engine.calendar).

A year is used for deadlines only once it is marked complete: a half-entered year must fail
loudly like a missing one rather than give wrong deadlines.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db import db
from adapters.models.base import utcnow

DAY_KINDS = ("holiday", "workday")


class CalendarYear(db.Model):
    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CalendarDay(db.Model):
    """One holiday (day off) or make-up working day (调休上班) of an admin-entered year."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column("date", Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # holiday | workday
    name: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year"), index=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)
