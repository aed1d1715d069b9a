"""Public records of 一公开: published inspection results, published follow-up outcomes, and the
corrections made to them (更正), which are public too.

Only what the public may see is stored here — never the credit risk class, never an inspector.
The enterprise name is stored with the byte-order ("C") collation on PostgreSQL so that one
btree index on (enterprise_name, id) serves both the prefix search (LIKE 'x%') and its keyset
order; SQLite's BINARY default does the same with GLOB.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db import db
from adapters.models.base import utcnow

NAME_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")
JOINT_INSPECTION = "部门联合抽查"


class PublishedResult(db.Model):
    """The public record of one case's approved result (one per case)."""

    __tablename__ = "published_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), unique=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    uscc: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(NAME_TYPE)
    plan_number: Mapped[str | None] = mapped_column(String(32))
    plan_name: Mapped[str | None] = mapped_column(String(128))
    task_number: Mapped[str | None] = mapped_column(String(32))
    task_name: Mapped[str | None] = mapped_column(String(128))
    inspection_type: Mapped[str] = mapped_column(String(32), default=JOINT_INSPECTION)
    organs: Mapped[list] = mapped_column(JSON, default=list)  # inspecting organs' names, lead first
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    inspected_on: Mapped[date | None] = mapped_column(Date)  # the visit
    completed_on: Mapped[date] = mapped_column(Date)  # the result approved
    result_text: Mapped[str] = mapped_column(String(500))  # every result of the case, by name
    # [{"department", "item_code", "item_name", "result_codes": [...], "result_names": [...]}]
    items: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    correction_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_published_results_uscc_id", "uscc", "id"),
        Index("ix_published_results_name_id", "enterprise_name", "id"),
    )


class PublishedFollowUp(db.Model):
    """The public outcome of one follow-up (后续处置结果), linked to the case's result."""

    __tablename__ = "published_follow_ups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    follow_up_id: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("published_results.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    department_name: Mapped[str] = mapped_column(String(128))  # the receiving department
    problem: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(32))
    outcome_name: Mapped[str] = mapped_column(String(64))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    correction_count: Mapped[int] = mapped_column(Integer, default=0)


class PublicationCorrection(db.Model):
    """One correction of a published record: the reason and each changed field's old and new
    value (`changes`: {field: {"before", "after"}}). Public; the corrector's account is kept for
    the audit only, the public sees the correcting organ."""

    __tablename__ = "publication_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("published_results.id"), index=True)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("published_follow_ups.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    organ: Mapped[str] = mapped_column(String(128))
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
