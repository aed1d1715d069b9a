"""The office's draw ratio tables (抽查比例): versions of a DMN decision table plus the minimum
rules. The newest version is in force; versions are never changed, so every draw names the
exact table it used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db import db
from adapters.models.base import utcnow
from adapters.models.plans import InspectorAssignment


class DrawRuleVersion(db.Model):
    __tablename__ = "draw_rule_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    dmn: Mapped[str] = mapped_column(Text)  # DMN XML: decision `draw_ratios`, risk_class -> ratio
    minimums: Mapped[list] = mapped_column(JSON, default=list)  # [[pool_at_most, at_least], ...]
    content_hash: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(String(256))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The previous inspection of a drawn target is looked up by enterprise (inspector draw).
Index("ix_assignments_enterprise", InspectorAssignment.enterprise_id)
