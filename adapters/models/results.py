"""The result dictionary (抽查结果字典, DOMAIN.md §6): the codes a checklist item's result is
chosen from. Editable by the office; a code that was used in a submitted checklist (`used_at`)
or that has child codes cannot be deleted, only deactivated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db import db
from adapters.models.base import Timestamps


class ResultCode(Timestamps, db.Model):
    __tablename__ = "result_codes"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("result_codes.code"), index=True)
    counts_as_problem: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
