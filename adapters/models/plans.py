"""Annual plans (年度抽查计划), joint tasks (联合抽查任务) with their departments' 报到, and the
recorded draws (抽取记录) with their inspector assignments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from adapters.db import db
from adapters.models.base import utcnow

PLAN_STATUSES = ("draft", "in_review", "published", "revising")
REVISION_STATUSES = ("draft", "in_review", "returned", "approved", "published")
TASK_STATUSES = ("reporting", "drawing", "drawn", "spawning", "running", "closed", "cancelled")
REPORT_STATUSES = ("pending", "confirmed", "declined", "overdue", "absent")  # absent: closed out (截止报到)
DRAW_STATUSES = ("committed", "drawn", "confirmed", "void")


class AnnualPlan(db.Model):
    """A year's plan for a region; its rows live in revisions (the published one is public)."""

    __tablename__ = "annual_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    title: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # no FK: plans and revisions point at each other, and a circular FK cannot be created in
    # one migration on SQLite; adapters.plans keeps it consistent
    published_revision_id: Mapped[int | None] = mapped_column(Integer)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("year", "region_code", name="uq_annual_plan_year_region"),)


class AnnualPlanRevision(db.Model):
    """One version of a plan's rows: the first draft, or an adjustment (计划调整) with its reason.
    Revisions are never changed once published; history is the list of revisions."""

    __tablename__ = "annual_plan_revisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_comment: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    rows = relationship("AnnualPlanRow", order_by="AnnualPlanRow.seq", cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_revision_number"),)


class AnnualPlanRow(db.Model):
    """One joint task line of a plan revision, in the column layout real plans use."""

    __tablename__ = "annual_plan_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("annual_plan_revisions.id"), index=True)
    row_key: Mapped[str] = mapped_column(String(32))  # stable across revisions, for history and tasks
    seq: Mapped[int] = mapped_column(Integer)  # 序号
    industry: Mapped[str] = mapped_column(String(64))  # 行业
    industry_codes: Mapped[list] = mapped_column(JSON, default=list)  # GB/T 4754 prefixes
    joint_list_id: Mapped[int | None] = mapped_column(ForeignKey("industry_joint_lists.id"))
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # 牵头部门
    task_name: Mapped[str] = mapped_column(String(128))  # 任务名称
    department_ids: Mapped[list] = mapped_column(JSON, default=list)  # 联查部门
    items: Mapped[str | None] = mapped_column(Text)  # 抽查事项
    target_scope: Mapped[str | None] = mapped_column(Text)  # 联查对象
    subject: Mapped[str | None] = mapped_column(String(128))  # 检查主体
    duties: Mapped[str | None] = mapped_column(Text)  # 责任分工
    ratio: Mapped[str | None] = mapped_column(String(64))  # 抽查比例
    schedule: Mapped[str | None] = mapped_column(String(64))  # 时间安排
    notes: Mapped[str | None] = mapped_column(Text)  # 备注
    drafted_by_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))

    lead_department = relationship("Department", foreign_keys=[lead_department_id])


class JointTask(db.Model):
    """联合抽查任务: opened by the lead department from a plan row (or ad hoc)."""

    __tablename__ = "joint_tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. JT-2026-0003
    name: Mapped[str] = mapped_column(String(128))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("annual_plans.id"))
    plan_row_key: Mapped[str | None] = mapped_column(String(32))
    ad_hoc: Mapped[bool] = mapped_column(Boolean, default=False)
    ad_hoc_reason: Mapped[str | None] = mapped_column(Text)
    joint_list_id: Mapped[int | None] = mapped_column(ForeignKey("industry_joint_lists.id"))
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    industry_codes: Mapped[list] = mapped_column(JSON, default=list)
    region_codes: Mapped[list] = mapped_column(JSON, default=list)
    tag_ids: Mapped[list] = mapped_column(JSON, default=list)
    exclusion_months: Mapped[int] = mapped_column(Integer, default=12)
    inspectors_per_department: Mapped[int] = mapped_column(Integer, default=2)
    report_days: Mapped[int] = mapped_column(Integer, default=3)  # 报到 deadline, working days
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="reporting")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    spawn_progress: Mapped[dict] = mapped_column(JSON, default=dict)  # {"total", "done", "failed"}
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    lead_department = relationship("Department")
    departments = relationship("JointTaskDepartment", back_populates="task", cascade="all, delete-orphan")


class JointTaskDepartment(db.Model):
    """A participating department and its 报到: participation, items, inspector requirements."""

    __tablename__ = "joint_task_departments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("joint_tasks.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    item_ids: Mapped[list] = mapped_column(JSON, default=list)
    inspector_tag_ids: Mapped[list] = mapped_column(JSON, default=list)
    inspectors_per_target: Mapped[int] = mapped_column(Integer, default=2)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(Text)

    task = relationship("JointTask", back_populates="departments")
    department = relationship("Department")
    __table_args__ = (UniqueConstraint("task_id", "department_id", name="uq_task_department"),)


class Draw(db.Model):
    """抽取记录: everything needed to re-run a draw and check it (see docs/draw.md)."""

    __tablename__ = "draws"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("joint_tasks.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="committed")
    algorithm: Mapped[str] = mapped_column(String(32))
    commitment: Mapped[str] = mapped_column(String(64))  # SHA-256 of the entropy, stored first
    committed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entropy: Mapped[str | None] = mapped_column(Text)  # revealed with the result
    seed: Mapped[str | None] = mapped_column(String(64))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    ratios: Mapped[dict] = mapped_column(JSON, default=dict)
    minimums: Mapped[list] = mapped_column(JSON, default=list)
    pool: Mapped[list] = mapped_column(JSON, default=list)  # [[enterprise_id, uscc, risk], ...]
    pool_hash: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column(JSON, default=dict)  # targets, sizes, inspectors, leaders
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InspectorAssignment(db.Model):
    """One inspector slot of one drawn target for one department; re-draws replace a slot and
    keep the replaced row (status replaced, with the reason)."""

    __tablename__ = "inspector_assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("joint_tasks.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"))
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | replaced
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("inspector_assignments.id"))
    reason: Mapped[str | None] = mapped_column(String(256))
    redraw_no: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_assignments_task_enterprise", "task_id", "enterprise_id"),
        Index("ix_assignments_inspector_enterprise", "inspector_id", "enterprise_id"),
    )


class TaskTarget(db.Model):
    """A drawn enterprise of a task and its case (idempotent spawning on (task, enterprise))."""

    __tablename__ = "task_targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("joint_tasks.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id"))
    rank: Mapped[int] = mapped_column(Integer)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instances.id"))
    inspected_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("task_id", "enterprise_id", name="uq_task_target"),)
